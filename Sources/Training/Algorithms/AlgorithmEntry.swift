import Envs

/// A registered algorithm with its settings and learner types erased: what
/// ``AlgorithmRegistry`` lists.
public struct AlgorithmEntry: Sendable {
    public let name: String
    public let summary: String
    public let source: String
    public let architectures: [Architecture]
    public let strategies: [String]
    public let actions: ActionSupport
    /// The strategy of a decentralised run that names none (nil: `diffusion-atc`).
    public let defaultStrategy: String?
    /// The learners apply the strategy's step direction themselves (see ``AlgorithmSettings``).
    public let appliesCommunicatedGradient: Bool
    /// Its learners act together in one multi-agent environment (``JointAlgorithmSettings``).
    public let actsJointly: Bool
    /// It trains multi-agent tasks (and only those).
    public let multiAgentTasks: Bool
    /// Every setting with its default, as JSON.
    public let defaults: JSONValue
    /// Whether the run can spread its learners over processes (cohort learners can; an algorithm
    /// with its own driver runs in one).
    public let runsAcrossProcesses: Bool
    let resolveBlock: @Sendable (JSONValue, String) throws -> JSONValue
    let open: @Sendable (RunPlan, RunDirectory, Bool, Bool, String?, any ProcessGroup) throws -> any RunSession

    let runCheck: @Sendable (RunConfig, String, Space, Space) -> String?

    /// An algorithm whose learners the cohort runs.
    public init<S: AlgorithmSettings>(_ type: S.Type) {
        self.init(definition: S.self) { plan, directory, resume, keepMetrics, checkpoint, group in
            let settings = try resolveSettings(S.self, from: plan.config.algorithmSettings, defaults: S(), context: "\(S.name) settings")
            let strategy = plan.strategy
            let learners = plan.learnerTasks.count
            let strategySettings = plan.config.strategySettings, strategySeed = plan.strategySeed
            return try TrainingRun<S.AlgorithmLearner>(plan: plan, directory: directory, resume: resume, keepMetrics: keepMetrics,
                                                            checkpoint: checkpoint, group: group) { k, env, tasks, seed in
                try settings.makeLearner(LearnerContext(index: k, environment: env, tasks: tasks, seed: seed, learners: learners, strategy: strategy,
                                                        strategySettings: strategySettings, strategySeed: strategySeed, task: plan.task,
                                                        assignments: plan.rows(ofLearner: k).assignments,
                                                        weights: plan.graph.map { plan.config.weights.weights(for: $0) }))
            }
        }
    }

    /// An algorithm with its own driver.
    public init<S: SessionAlgorithmSettings>(_ type: S.Type) {
        self.init(definition: S.self, acrossProcesses: false) { plan, directory, resume, keepMetrics, checkpoint, group in
            guard group.size == 1 else {
                throw TrainingError("algorithm \(S.name) runs in one process; start it without mpirun")
            }
            guard checkpoint == nil || checkpoint == "last" else {
                throw TrainingError("algorithm \(S.name) keeps only its last checkpoint; evaluate it with --checkpoint last")
            }
            let settings = try resolveSettings(S.self, from: plan.config.algorithmSettings, defaults: S(), context: "\(S.name) settings")
            return try settings.openSession(plan: plan, directory: directory, resume: resume, keepMetrics: keepMetrics)
        }
    }

    /// An algorithm whose learners act together in one multi-agent environment (one process).
    public init<S: JointAlgorithmSettings>(_ type: S.Type) {
        self.init(definition: S.self, acrossProcesses: false) { plan, directory, resume, keepMetrics, checkpoint, group in
            guard group.size == 1 else {
                throw TrainingError("algorithm \(S.name) runs in one process; start it without mpirun")
            }
            let settings = try resolveSettings(S.self, from: plan.config.algorithmSettings, defaults: S(), context: "\(S.name) settings")
            return try JointTrainingRun<S.AlgorithmLearner>(plan: plan, directory: directory, stepsPerRound: settings.stepsPerRound,
                                                             talks: S.talksOverGraph, resume: resume, keepMetrics: keepMetrics,
                                                             checkpoint: checkpoint) { context in
                try settings.makeLearner(context)
            }
        }
    }

    init<S: AlgorithmDefinition>(definition: S.Type, acrossProcesses: Bool = true,
                                 open: @escaping @Sendable (RunPlan, RunDirectory, Bool, Bool, String?, any ProcessGroup) throws -> any RunSession) {
        runsAcrossProcesses = acrossProcesses
        name = S.name
        summary = S.summary
        source = S.source
        architectures = S.architectures
        strategies = S.strategies
        actions = S.actions
        defaultStrategy = S.defaultStrategy
        appliesCommunicatedGradient = S.appliesCommunicatedGradient
        actsJointly = S.actsJointly
        multiAgentTasks = S.multiAgentTasks
        runCheck = { S.runProblem(config: $0, task: $1, observation: $2, action: $3) }
        defaults = (try? encodeJSON(S())) ?? .object([])
        resolveBlock = { block, context in
            let s = try resolveSettings(S.self, from: block, defaults: S(), context: context)
            if let p = s.validationProblem() { throw TrainingError("\(context): \(p)") }
            return try encodeJSON(s)
        }
        self.open = open
    }

    /// A problem with the run for this algorithm (see ``AlgorithmDefinition/runProblem(config:task:observation:action:)``), or nil.
    public func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String? {
        runCheck(config, task, observation, action)
    }

    /// The algorithm's settings with every default filled in, checked (one sentence on error).
    public func resolve(_ block: JSONValue) throws -> JSONValue {
        try resolveBlock(block, "\(name) settings")
    }

    /// Builds the learners of `plan` (restoring the latest checkpoint, or the one named
    /// `checkpoint`, with `resume`; with `keepMetrics` the metric lines after it are kept, as
    /// evaluation of a finished run wants).
    /// With a `group` of several processes (`mpirun`), this rank builds only its block of agents.
    public func openRun(plan: RunPlan, directory: RunDirectory, resume: Bool, keepMetrics: Bool = false,
                        checkpoint: String? = nil, group: any ProcessGroup = SingleProcess()) throws -> any RunSession {
        try open(plan, directory, resume, keepMetrics, checkpoint, group)
    }
}

/// Every algorithm a run can name. The standard list (every algorithm module's entries) is
/// `AlgorithmRegistry.standard` in `TrainingCatalogue`; tests may build smaller ones.
public struct AlgorithmRegistry: Sendable {
    public let entries: [AlgorithmEntry]

    public init(_ entries: [AlgorithmEntry]) { self.entries = entries }

    public var names: [String] { entries.map(\.name) }

    /// The algorithm called `name`, or one sentence with a suggestion and the valid names.
    public func entry(named name: String) throws -> AlgorithmEntry {
        if let e = entries.first(where: { $0.name == name }) { return e }
        throw TrainingError(unknownNameMessage("algorithm", name, among: names))
    }
}
