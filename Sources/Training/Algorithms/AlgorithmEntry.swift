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
    /// Every setting with its default, as JSON.
    public let defaults: JSONValue
    let resolveBlock: @Sendable (JSONValue, String) throws -> JSONValue
    let open: @Sendable (RunPlan, RunDirectory, Bool, Bool) throws -> any RunSession

    public init<S: AlgorithmSettings>(_ type: S.Type) {
        name = S.name
        summary = S.summary
        source = S.source
        architectures = S.architectures
        strategies = S.strategies
        actions = S.actions
        defaults = (try? encodeJSON(S())) ?? .object([])
        resolveBlock = { block, context in
            let s = try resolveSettings(S.self, from: block, defaults: S(), context: context)
            if let p = s.validationProblem() { throw TrainingError("\(context): \(p)") }
            return try encodeJSON(s)
        }
        open = { plan, directory, resume, keepMetrics in
            let settings = try resolveSettings(S.self, from: plan.config.algorithmSettings, defaults: S(), context: "\(S.name) settings")
            let strategy = plan.strategy
            let learners = plan.learnerTasks.count
            return try TrainingRun<S.AlgorithmLearner>(plan: plan, directory: directory, resume: resume, keepMetrics: keepMetrics) { k, env, tasks, seed in
                try settings.makeLearner(LearnerContext(index: k, environment: env, tasks: tasks, seed: seed, learners: learners, strategy: strategy))
            }
        }
    }

    /// The algorithm's settings with every default filled in, checked (one sentence on error).
    public func resolve(_ block: JSONValue) throws -> JSONValue {
        try resolveBlock(block, "\(name) settings")
    }

    /// Builds the learners of `plan` (restoring the latest checkpoint with `resume`; with
    /// `keepMetrics` the metric lines after it are kept, as evaluation of a finished run wants).
    public func openRun(plan: RunPlan, directory: RunDirectory, resume: Bool, keepMetrics: Bool = false) throws -> any RunSession {
        try open(plan, directory, resume, keepMetrics)
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
