import Communication
import Envs

/// What a ``RunConfig`` resolves to against the registries: the algorithm and strategy with
/// every setting, the tasks, which learner runs which tasks, and the communication graph.
/// Everything is checked here, before a run directory exists; ``config`` is the fully
/// resolved configuration that `config.json` records.
public struct RunPlan {
    public var config: RunConfig
    public var algorithm: AlgorithmEntry
    public var strategy: StrategyEntry
    public var task: any RegisteredTask
    /// Fully resolved parameters of every training task.
    public var tasks: [JSONValue]
    /// Held-out tasks of the task set (for zero-shot evaluation).
    public var heldOut: [(name: String, parameters: JSONValue)]
    /// `learnerTasks[k]`: the task indices learner k's batch holds (each `copiesPerTask` times).
    public var learnerTasks: [[Int]]
    /// The graph of a decentralised run whose strategy mixes over one (nil otherwise).
    public var graph: Graph?
    /// The observation and action spaces of the tasks.
    public var observationSpace: Space
    public var actionSpace: Space
    /// The name of the family's episode metric (`safe_flight` for navigation), nil if it has none.
    public var episodeMetricName: String?
    /// The agents' spaces of a multi-agent task (one copy), nil for a single-agent task; the
    /// spaces above are then agent 0's.
    public var jointLayout: JointLayout?

    public init(config raw: RunConfig, registry: TaskRegistry, algorithms: AlgorithmRegistry,
                strategies: StrategyRegistry = .standard) throws {
        if let problem = raw.validationProblem() { throw TrainingError(problem) }
        var config = raw
        algorithm = try algorithms.entry(named: config.algorithm)
        // Tasks.
        // Overrides are numbers or text; a boolean parameter takes 0 (false) or 1 (true).
        func taskOverrides(for t: any RegisteredTask) throws -> JSONValue {
            var o = JSONValue.object([])
            for (k, value) in config.parameters.sorted(by: { $0.key < $1.key }) {
                switch value {
                case .text(let text):
                    o = o.setting(k, to: .string(text))
                case .number(let v) where t.parameterFields.first(where: { $0.name == k })?.kind == .boolean:
                    guard v == 0 || v == 1 else { throw TrainingError("parameter \(k) of \(t.id) is true or false: give 1 or 0, got \(formatJSONNumber(v))") }
                    o = o.setting(k, to: .bool(v == 1))
                case .number(let v):
                    o = o.setting(k, to: .real(v))
                }
            }
            return o
        }
        if !config.taskSet.isEmpty {
            let set = config.redrawTasks ? try redrawnTaskSet(config.taskSet, runSeed: config.seed, registry: registry) : try registry.taskSet(config.taskSet)
            let t = try registry.task(set.task.description)
            task = t
            let overrides = try taskOverrides(for: t)
            tasks = try set.tasks.enumerated().map { i, p in try t.resolve(p.merging(overrides), context: "task set \(set.name), task \(i)") }
            heldOut = try set.heldOut.map { ($0.name, try t.resolve($0.parameters.merging(overrides), context: "held-out task \($0.name)")) }
        } else {
            task = try registry.task(config.task)
            tasks = [try task.resolve(try taskOverrides(for: task), context: "task \(config.task)")]
            heldOut = []
        }
        // Spaces, and the memory the run needs, before anything large is built.
        if let multi = task as? any MultiAgentRegisteredTask {
            let multiAgentAlgorithms = algorithms.entries.filter { $0.actsJointly || $0.multiAgentTasks }.map(\.name)
            guard algorithm.actsJointly || algorithm.multiAgentTasks else {
                throw TrainingError("task \(task.id) is a multi-agent task (its agents act together), but algorithm \(algorithm.name) trains single-agent learners; use one of \(multiAgentAlgorithms.joined(separator: ", "))")
            }
            let probe = try multi.makeMultiAgentVector([tasks[0]], threads: 1)
            if algorithm.actsJointly {
                let layout = JointLayout(probe)
                jointLayout = layout
                observationSpace = layout.observationSpaces[0]
                actionSpace = layout.actionSpaces[0]
            } else {
                // Learners that are the task's agents (agent 0's spaces stand for them).
                observationSpace = probe.observationSpaces[0]
                actionSpace = probe.actionSpaces[0]
                if config.agents == 0 { config.agents = probe.agents }
                guard config.agents == probe.agents else {
                    throw TrainingError("the learners of a multi-agent task are its agents: task \(task.id) has \(probe.agents), so agents must be \(probe.agents) (or left out), got \(config.agents)")
                }
            }
        } else {
            guard !algorithm.multiAgentTasks else {
                throw TrainingError("algorithm \(algorithm.name) trains multi-agent tasks (such as mpe/simple-spread-v1), but \(task.id) is a single-agent task")
            }
            guard !algorithm.actsJointly else {
                throw TrainingError("algorithm \(algorithm.name) needs a multi-agent task (its learners act together in one environment), but \(task.id) is a single-agent task; use mpe/simple-spread-v1 or random-mdp/local-actions-v1")
            }
            let probe = try task.makeVector([tasks[0]], threads: 1)
            observationSpace = probe.observationSpace
            actionSpace = probe.actionSpace
            episodeMetricName = probe.episodeMetricName
        }
        let learners: Int, copies: Int
        switch config.architecture {
        case .centralised: (learners, copies) = (1, tasks.count * config.copiesPerTask)
        case .specialised: (learners, copies) = (tasks.count, config.copiesPerTask)
        case .decentralised: (learners, copies) = (config.agents == 0 ? (jointLayout?.agents ?? tasks.count) : config.agents, config.copiesPerTask)
        }
        let settingsForEstimate = config.algorithmSettings.objectPairs?.isEmpty ?? true ? algorithm.defaults
            : algorithm.defaults.merging(config.algorithmSettings)
        let bytes = runMemoryEstimate(learners: learners, copiesPerLearner: copies, observationSize: observationSpace.size,
                                      actionSize: actionSpace.size, settings: settingsForEstimate)
        do {
            try MemoryBudget.standard.check(bytes, for: "a run of \(learners) learner(s) with \(copies) environment copies each and these \(algorithm.name) settings")
        } catch { throw TrainingError(error.description) }
        // Learners, and the strategy (a decentralised run of one agent has no one to talk to).
        if let layout = jointLayout {
            // A joint run: the learners share one batch holding every task; one learner per agent
            // (decentralised) or one for them all (centralised).
            let wanted = config.architecture == .centralised ? 1 : layout.agents
            guard config.architecture != .specialised else {
                throw TrainingError("a multi-agent task runs decentralised (one learner per agent) or centralised (one learner for all agents), not specialised")
            }
            guard config.agents == 0 || config.agents == wanted else {
                throw TrainingError(config.architecture == .centralised
                    ? "a centralised run of \(task.id) has one learner controlling its \(layout.agents) agents, got agents \(config.agents)"
                    : "a decentralised run of \(task.id) has one learner per agent of the task (\(layout.agents)), got agents \(config.agents); change the task's agents parameter instead")
            }
            config.agents = wanted
            learnerTasks = [[Int]](repeating: Array(tasks.indices), count: wanted)
        } else {
        switch config.architecture {
        case .centralised: learnerTasks = [Array(tasks.indices)]
        case .specialised: learnerTasks = tasks.indices.map { [$0] }
        case .decentralised:
            if config.agents == 0 { config.agents = tasks.count }
            let taskCount = tasks.count
            learnerTasks = (0..<config.agents).map { [$0 % taskCount] }
        }
        if config.architecture != .decentralised {
            guard config.agents == 0 || config.agents == learnerTasks.count else {
                throw TrainingError("agents can be chosen in the decentralised architecture only; the \(config.architecture.rawValue) one has \(learnerTasks.count) learner(s) here, got agents \(config.agents)")
            }
            config.agents = learnerTasks.count
        }
        }
        if config.strategy == nil {
            config.strategy = config.architecture.communicates && learnerTasks.count > 1
                ? (algorithm.defaultStrategy ?? DiffusionAdaptThenCombineSettings.name) : NoCommunicationSettings.name
        }
        strategy = try strategies.entry(named: config.resolvedStrategy)
        if let problem = compatibilityProblem(algorithm: algorithm, strategy: strategy, architecture: config.architecture) {
            throw TrainingError(problem)
        }
        if strategy.communicates && learnerTasks.count < 2 {
            throw TrainingError("strategy '\(strategy.name)' needs at least 2 agents to talk, but the run has \(learnerTasks.count); raise --agents or use strategy none")
        }
        // Settings blocks: the algorithm's and the strategy's, nothing else.
        for block in config.unclaimedSettings {
            if algorithms.names.contains(block.name) {
                throw TrainingError("settings for \(block.name) do not apply to a run of algorithm \(algorithm.name); name them \(algorithm.name).KEY")
            }
            if strategies.names.contains(block.name) {
                throw TrainingError("settings for strategy \(block.name) do not apply to a run of strategy \(strategy.name)")
            }
            var m = "unknown key '\(block.name)'"
            if let g = closestName(to: block.name, among: RunConfig.keys + [algorithm.name, strategy.name]) { m += "; did you mean '\(g)'?" } else { m += "." }
            throw TrainingError(m + " A settings object must be named after the algorithm (\(algorithm.name)) or the strategy (\(strategy.name)).")
        }
        config.unclaimedSettings = []
        if algorithm.name == strategy.name {
            // An algorithm named after the strategy it drives (es, espc) shares one settings
            // block with it: the strategy's keys go to the strategy, the others to the algorithm.
            let merged = config.algorithmSettings.merging(config.strategySettings)
            let strategyKeys = Set(strategy.defaults.objectPairs?.map(\.key) ?? [])
            let pairs = merged.objectPairs ?? []
            config.algorithmSettings = .object(pairs.filter { !strategyKeys.contains($0.key) })
            config.strategySettings = .object(pairs.filter { strategyKeys.contains($0.key) })
        }
        config.algorithmSettings = try algorithm.resolve(config.algorithmSettings)
        config.strategySettings = try strategy.resolve(config.strategySettings)
        // Whether the algorithm can act in the task's action space.
        for (m, space) in (jointLayout?.actionSpaces ?? [actionSpace]).enumerated() where !algorithm.actions.accepts(space) {
            let whose = jointLayout == nil ? "" : "agent \(m) of "
            throw TrainingError("algorithm \(algorithm.name) acts in \(algorithm.actions == .box ? "continuous (box)" : "discrete") action spaces, but \(whose)\(task.id) has \(space)")
        }
        if let problem = algorithm.runProblem(config: config, task: task.id.description, observation: observationSpace, action: actionSpace) {
            throw TrainingError(problem)
        }
        // The graph.
        if strategy.usesGraph {
            let agents = learnerTasks.count
            let topology = try config.topology.topology(degree: config.degree, edgeProbability: config.edgeProbability, agents: agents)
            let g = try topology.makeGraph(agents: agents, seed: config.seed)
            guard g.isConnected else {
                throw TrainingError("the \(config.topology.rawValue) graph on \(agents) agents is not connected, and \(strategy.name) needs a connected graph; raise the degree or edge probability")
            }
            graph = g
        }
        self.config = config
        // Build the strategy once, so that settings that depend on the run (ESPC's m against
        // the agent count) are refused before a run directory exists.
        _ = try makeStrategy()
    }

    /// The seed of the strategy's own draws (ES perturbations, ESPC sending); ES learners
    /// derive from it too.
    public var strategySeed: UInt64 { deriveSeed(config.seed, RandomStream.strategy) }

    /// The rows of learner k's batch: one assignment per copy.
    public func rows(ofLearner k: Int) -> (assignments: [JSONValue], tasks: TaskAssignment) {
        var assignments: [JSONValue] = [], owners: [Int] = []
        for t in learnerTasks[k] {
            for _ in 0..<config.copiesPerTask {
                assignments.append(tasks[t])
                owners.append(t)
            }
        }
        return (assignments, TaskAssignment(taskOfRow: owners))
    }

    /// A fresh strategy for a segment (strategies that keep state restart at checkpoints).
    public func makeStrategy() throws -> any CommunicationStrategy {
        let weights = graph.map { config.weights.weights(for: $0) }
        let context = StrategyContext(agents: learnerTasks.count, graph: graph, weights: weights, rounds: config.rounds,
                                      seed: strategySeed, learnersApplySteps: algorithm.appliesCommunicatedGradient)
        return try strategy.makeStrategy(settings: config.strategySettings, context: context)
    }

    /// The link conditions of the run.
    public func links() throws -> LinkConditions {
        try LinkConditions(dropProbability: config.linkDrop, noiseStandardDeviation: config.linkNoise, seed: deriveSeed(config.seed, RandomStream.links))
    }
}
