import Communication
import Envs

/// What a ``RunConfig`` resolves to against a registry: the tasks, which learner runs which
/// tasks, and the communication graph.
public struct RunPlan {
    public var config: RunConfig
    public var task: any RegisteredTask
    /// Fully resolved parameters of every training task.
    public var tasks: [JSONValue]
    /// Held-out tasks of the task set (for zero-shot evaluation).
    public var heldOut: [(name: String, parameters: JSONValue)]
    /// `learnerTasks[k]`: the task indices learner k's batch holds (each `copiesPerTask` times).
    public var learnerTasks: [[Int]]
    /// The graph of a decentralised run (nil otherwise).
    public var graph: Graph?

    public init(config: RunConfig, registry: TaskRegistry) throws {
        if let problem = config.validationProblem() { throw TrainingError(problem) }
        self.config = config
        var overrides = JSONValue.object([])
        for (k, v) in config.parameters.sorted(by: { $0.key < $1.key }) { overrides = overrides.setting(k, to: .real(v)) }
        if !config.taskSet.isEmpty {
            let set = try registry.taskSet(config.taskSet)
            let t = try registry.task(set.task.description)
            task = t
            tasks = try set.tasks.enumerated().map { i, p in try t.resolve(p.merging(overrides), context: "task set \(set.name), task \(i)") }
            heldOut = try set.heldOut.map { ($0.name, try t.resolve($0.parameters.merging(overrides), context: "held-out task \($0.name)")) }
        } else {
            task = try registry.task(config.task)
            tasks = [try task.resolve(overrides, context: "task \(config.task)")]
            heldOut = []
        }
        switch config.architecture {
        case "centralised":
            learnerTasks = [Array(tasks.indices)]
        case "specialised":
            learnerTasks = tasks.indices.map { [$0] }
        default:
            let agents = config.agents == 0 ? tasks.count : config.agents
            let taskCount = tasks.count
            learnerTasks = (0..<agents).map { [$0 % taskCount] }
            if agents > 1 {
                let topology = try Topology.parse(config.topology, degree: config.degree, probability: config.edgeProbability, agents: agents)
                let g = try topology.makeGraph(agents: agents, seed: config.seed)
                guard g.isConnected || config.strategy == "none" || config.strategy == "central" else {
                    throw TrainingError("the \(config.topology) graph on \(agents) agents is not connected, and \(config.strategy) needs a connected graph; raise the degree or edge probability")
                }
                graph = g
            }
        }
    }

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
        let agents = learnerTasks.count
        guard config.architecture == "decentralised", agents > 1 else { return NoCommunication() }
        switch config.strategy {
        case "none": return NoCommunication()
        case "central": return CentralAveraging(agentCount: agents)
        default:
            let rule = try MixingRule.parse(config.weights)
            let weights = rule.weights(for: graph!)
            switch config.strategy {
            case "consensus": return try Consensus(weights: weights)
            case "diffusion-cta": return try Diffusion(weights: weights, order: .combineThenAdapt)
            default: return try Diffusion(weights: weights, order: .adaptThenCombine)
            }
        }
    }

    /// The link conditions of the run.
    public func links() throws -> LinkConditions {
        try LinkConditions(dropProbability: config.linkDrop, noiseStandardDeviation: config.linkNoise, seed: deriveSeed(config.seed, 0x11AC))
    }
}
