import Communication
import Envs
import Foundation

/// Everything a training run needs. What a user writes may leave things out; the
/// ``RunPlan`` resolves it against the registries (strategy, agent count, every algorithm and
/// strategy setting), and the resolved configuration is what the run directory's
/// `config.json` holds, so that `shoal train --config RUN/config.json` repeats the run bit for bit.
///
/// JSON keys are snake_case; decoding is strict (``decode(_:context:base:)``). Besides the
/// fixed keys, a configuration holds at most two settings blocks: one named after the
/// algorithm (`"a2c": {"learning_rate": 0.001}`) and one after the strategy
/// (`"lazy-aggregation": {"xi": [0.1]}`).
public struct RunConfig: Sendable, Equatable {
    /// The algorithm's name in the algorithm registry (`a2c`, `ppo`, `siac`, `reinforce`, …).
    public var algorithm = "a2c"
    /// See ``Architecture``.
    public var architecture = Architecture.decentralised
    /// The communication strategy's name in ``StrategyRegistry``; nil means the architecture's
    /// default (`diffusion-atc` for decentralised runs, `none` otherwise).
    public var strategy: String?
    /// A task set (`acrobot-extreme-25`) — or empty, with ``task`` naming one task.
    public var taskSet = ""
    /// One task id when ``taskSet`` is empty (every agent then runs this task).
    public var task = ""
    /// Draw the task set's tasks again for this run's seed (a `draw` task set of the bundled
    /// family files; see ``redrawnTaskSet(_:runSeed:registry:)``); false: the set as bundled.
    /// The held-out tasks stay the same.
    public var redrawTasks = false
    /// Parameter overrides applied to every task: numbers (0 or 1 for a boolean) or text.
    public var parameters: [String: TaskParameterValue] = [:]
    /// Agents (learners). A decentralised run may choose them (0: one per task); agent k runs
    /// task k mod tasks. A centralised run has one and a specialised run one per task: 0 there,
    /// or that number. The plan resolves 0 to the actual count.
    public var agents = 0
    /// Environment copies per task in each learner's batch.
    public var copiesPerTask = 1
    /// The graph family.
    public var topology = TopologyName.ring
    /// Average degree of `random`, degree of `regular`: neighbours other than the agent itself.
    /// Paper 000 counts neighbourhoods with the agent (|N_k| = degree + 1, eq. 4); a
    /// configuration may give that instead as `neighbourhood_size`, which sets `degree` to
    /// `neighbourhood_size − 1` (config.json records the degree).
    public var degree = 4.2
    /// Edge probability of `erdos-renyi`.
    public var edgeProbability = 0.2
    /// Mixing weights on the graph.
    public var weights = MixingRule.hastings
    /// Probability that a directed link drops its message in a round.
    public var linkDrop = 0.0
    /// Standard deviation of Gaussian noise added to received parameters.
    public var linkNoise = 0.0
    /// Rounds (one collect-and-update cycle of every learner, then one exchange).
    public var rounds = 100
    /// Stop once this many environment steps were taken in total (0: no limit).
    public var maxEnvironmentSteps = 0
    /// Stop after this many seconds of wall-clock (0: no limit); the run is still complete.
    public var maxWallSeconds = 0.0
    /// Stop once every agent has finished ``returnWindow`` training episodes and the mean
    /// training return (their last ``returnWindow`` episodes, averaged over agents) reaches
    /// this value (nil: never).
    public var targetReturn: Double?
    /// The root seed (any 64-bit value; above 2^53 it is written as a string in JSON).
    public var seed: UInt64 = 0
    /// Threads the learners (or, centralised, the environment copies) are spread over.
    public var threads = 2
    /// Rounds between checkpoints; each checkpoint also starts a new segment (episodes
    /// restart), which is what makes a resumed run equal an uninterrupted one.
    public var checkpointEvery = 100
    /// Rounds between metric lines.
    public var logEvery = 10
    /// Test episodes per task at the end of the run (0: none).
    public var evalEpisodes = 10
    /// Test episodes take the most likely action (true) or sample the policy (false).
    public var evalGreedy = true
    /// Training episodes per agent that make up "mean training return" (the last N).
    public var returnWindow = 20
    /// Environment steps between evaluations during training (0: only at the end): every agent
    /// plays ``evalEpisodes`` test episodes of each of its tasks, logged as `eval/episode_return`,
    /// and the best evaluated state is kept as `checkpoints/best.safetensors`.
    public var evalEvery = 0
    /// Rounds between evaluations during training (0: none by rounds), the same evaluation as
    /// ``evalEvery`` at fixed rounds instead (paper 000's "10 test episodes per epoch", whose
    /// epochs are a fixed number of episodes per copy, not of environment steps).
    public var evalEveryRounds = 0
    /// Round checkpoints kept on disk (the newest; `best` is kept besides).
    public var keepCheckpoints = 3
    /// Write TensorBoard event files beside `metrics.jsonl`.
    public var tensorboard = true
    /// The algorithm's settings block (resolved by the plan: every setting).
    public var algorithmSettings = JSONValue.object([])
    /// The strategy's settings block (resolved by the plan).
    public var strategySettings = JSONValue.object([])
    /// Settings blocks named after neither the algorithm nor the strategy (the plan refuses them).
    public var unclaimedSettings: [SettingsBlock] = []

    public init() {}

    /// The fixed keys, in the order `config.json` lists them.
    public static let keys = ["algorithm", "architecture", "strategy", "task_set", "task", "redraw_tasks", "parameters", "agents", "copies_per_task",
                              "topology", "degree", "edge_probability", "weights", "link_drop", "link_noise", "rounds",
                              "max_environment_steps", "max_wall_seconds", "target_return", "seed", "threads", "checkpoint_every",
                              "log_every", "eval_episodes", "eval_greedy", "return_window", "eval_every", "eval_every_rounds", "keep_checkpoints",
                              "tensorboard"]

    /// The strategy a run of this configuration uses.
    public var resolvedStrategy: String { strategy ?? (architecture.communicates ? DiffusionAdaptThenCombineSettings.name : NoCommunicationSettings.name) }

    /// The first out-of-range number, as one sentence, or nil (names and compatibility are
    /// checked by the ``RunPlan``).
    public func validationProblem() -> String? {
        if taskSet.isEmpty == task.isEmpty { return "give exactly one of task_set (a task set name) or task (one task id)" }
        if redrawTasks && taskSet.isEmpty { return "redraw_tasks needs a task set (task_set), not one task" }
        if agents < 0 { return "agents must be 0 (one per task) or positive, got \(agents)" }
        if copiesPerTask < 1 { return "copies_per_task must be at least 1, got \(copiesPerTask)" }
        if rounds < 1 { return "rounds must be at least 1, got \(rounds)" }
        if !(0...1).contains(linkDrop) { return "link_drop must lie in [0, 1], got \(linkDrop)" }
        if !(linkNoise >= 0) { return "link_noise must be 0 or positive, got \(linkNoise)" }
        if !(degree > 0 && degree < 1e6) { return "degree must be a positive number below 10^6, got \(degree)" }
        if !(0...1).contains(edgeProbability) { return "edge_probability must lie in [0, 1], got \(edgeProbability)" }
        if threads < 1 { return "threads must be at least 1, got \(threads)" }
        if checkpointEvery < 1 { return "checkpoint_every must be at least 1, got \(checkpointEvery)" }
        if logEvery < 1 { return "log_every must be at least 1, got \(logEvery)" }
        if evalEpisodes < 0 { return "eval_episodes must be 0 or positive, got \(evalEpisodes)" }
        if returnWindow < 1 { return "return_window must be at least 1, got \(returnWindow)" }
        if evalEvery < 0 { return "eval_every must be 0 (only at the end) or positive, got \(evalEvery)" }
        if evalEvery > 0 && evalEpisodes < 1 { return "eval_every needs eval_episodes of at least 1" }
        if evalEveryRounds < 0 { return "eval_every_rounds must be 0 (none) or positive, got \(evalEveryRounds)" }
        if evalEveryRounds > 0 && evalEpisodes < 1 { return "eval_every_rounds needs eval_episodes of at least 1" }
        if evalEveryRounds > 0 && evalEvery > 0 { return "give eval_every (environment steps) or eval_every_rounds (rounds), not both" }
        if keepCheckpoints < 1 { return "keep_checkpoints must be at least 1, got \(keepCheckpoints)" }
        if maxEnvironmentSteps < 0 { return "max_environment_steps must be 0 (no limit) or positive, got \(maxEnvironmentSteps)" }
        if !(maxWallSeconds >= 0) { return "max_wall_seconds must be 0 (no limit) or positive, got \(maxWallSeconds)" }
        return nil
    }
}

extension RunConfig {
    /// The configuration as JSON: fixed keys in ``keys`` order, then the algorithm's and the
    /// strategy's settings blocks (a block without settings is left out).
    public var json: JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [
            ("algorithm", .string(algorithm)), ("architecture", .string(architecture.rawValue)),
        ]
        if let strategy { pairs.append(("strategy", .string(strategy))) }
        pairs += [
            ("task_set", .string(taskSet)), ("task", .string(task)), ("redraw_tasks", .bool(redrawTasks)),
            ("parameters", .object(parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value.json) })),
            ("agents", .integer(agents)), ("copies_per_task", .integer(copiesPerTask)),
            ("topology", .string(topology.rawValue)), ("degree", .real(degree)), ("edge_probability", .real(edgeProbability)),
            ("weights", .string(weights.rawValue)), ("link_drop", .real(linkDrop)), ("link_noise", .real(linkNoise)),
            ("rounds", .integer(rounds)), ("max_environment_steps", .integer(maxEnvironmentSteps)),
            ("max_wall_seconds", .real(maxWallSeconds)), ("target_return", targetReturn.map(JSONValue.real) ?? .null),
            ("seed", seed < (1 << 53) ? .integer(Int(seed)) : .string(String(seed))), ("threads", .integer(threads)),
            ("checkpoint_every", .integer(checkpointEvery)), ("log_every", .integer(logEvery)),
            ("eval_episodes", .integer(evalEpisodes)), ("eval_greedy", .bool(evalGreedy)), ("return_window", .integer(returnWindow)),
            ("eval_every", .integer(evalEvery)), ("eval_every_rounds", .integer(evalEveryRounds)), ("keep_checkpoints", .integer(keepCheckpoints)), ("tensorboard", .bool(tensorboard)),
        ]
        if algorithm == resolvedStrategy {
            // One block for an algorithm named after its strategy (es, espc).
            let shared = algorithmSettings.merging(strategySettings)
            if !(shared.objectPairs?.isEmpty ?? true) { pairs.append((algorithm, shared)) }
            pairs += unclaimedSettings.map { ($0.name, $0.value) }
            return .object(pairs)
        }
        if !(algorithmSettings.objectPairs?.isEmpty ?? true) { pairs.append((algorithm, algorithmSettings)) }
        // Blocks named after neither (which the plan refuses) are kept, so that nothing a user
        // wrote is lost in a round trip.
        pairs += unclaimedSettings.map { ($0.name, $0.value) }
        if !(strategySettings.objectPairs?.isEmpty ?? true) { pairs.append((resolvedStrategy, strategySettings)) }
        return .object(pairs)
    }

    /// Reads a configuration over `base`: the keys present replace base's values, settings
    /// blocks merge key by key. Strict: an unknown key is an error with a suggestion, a value of
    /// the wrong kind names the key, what it must be and what it was. A settings block must be
    /// named after the run's algorithm or strategy; the ``RunPlan`` checks that.
    public static func decode(_ json: JSONValue, context: String, base: RunConfig = RunConfig()) throws -> RunConfig {
        guard let pairs = json.objectPairs else { throw TrainingError("\(context): a configuration is a JSON object, got \(json.typeName)") }
        var c = base
        var blocks = base.blocks
        func fail(_ key: String, _ what: String, _ v: JSONValue) -> TrainingError {
            TrainingError("\(context): '\(key)' must be \(what), got \(v.description)")
        }
        func int(_ k: String, _ v: JSONValue) throws -> Int {
            guard case .number(let d, _) = v, d.isFinite, d == d.rounded(), abs(d) < 9.0e15 else { throw fail(k, "an integer", v) }
            return Int(d)
        }
        func real(_ k: String, _ v: JSONValue) throws -> Double {
            guard case .number(let d, _) = v, d.isFinite else { throw fail(k, "a finite number", v) }
            return d
        }
        func string(_ k: String, _ v: JSONValue) throws -> String {
            guard case .string(let s) = v else { throw fail(k, "a string", v) }
            return s
        }
        func choice<C: NamedChoice>(_ k: String, _ v: JSONValue, _ type: C.Type) throws -> C {
            do { return try C.parse(try string(k, v)) } catch let e as TrainingError { throw TrainingError("\(context): \(e.message)") }
        }
        if json["degree"] != nil && json["neighbourhood_size"] != nil {
            throw TrainingError("\(context): give 'degree' (neighbours besides the agent) or 'neighbourhood_size' (the paper's |N_k|, the agent included), not both")
        }
        for (k, v) in pairs {
            switch k {
            case "algorithm": c.algorithm = try string(k, v)
            case "architecture": c.architecture = try choice(k, v, Architecture.self)
            case "strategy": c.strategy = v == .null ? nil : try string(k, v)
            case "task_set": c.taskSet = try string(k, v)
            case "task": c.task = try string(k, v)
            case "redraw_tasks":
                guard case .bool(let b) = v else { throw fail(k, "true or false", v) }
                c.redrawTasks = b
            case "parameters":
                guard let items = v.objectPairs else { throw fail(k, "an object of task parameters", v) }
                var p = c.parameters
                for (name, value) in items {
                    switch value {
                    case .string(let text): p[name] = .text(text)
                    case .bool(let b): p[name] = .number(b ? 1 : 0)
                    default: p[name] = .number(try real("parameters.\(name)", value))
                    }
                }
                c.parameters = p
            case "agents": c.agents = try int(k, v)
            case "copies_per_task": c.copiesPerTask = try int(k, v)
            case "topology": c.topology = try choice(k, v, TopologyName.self)
            case "degree": c.degree = try real(k, v)
            case "neighbourhood_size":
                let size = try real(k, v)
                guard size > 1 else { throw fail(k, "above 1 (it counts the agent itself, so a neighbour needs more than 1)", v) }
                c.degree = size - 1
            case "edge_probability": c.edgeProbability = try real(k, v)
            case "weights": c.weights = try choice(k, v, MixingRule.self)
            case "link_drop": c.linkDrop = try real(k, v)
            case "link_noise": c.linkNoise = try real(k, v)
            case "rounds": c.rounds = try int(k, v)
            case "max_environment_steps": c.maxEnvironmentSteps = try int(k, v)
            case "max_wall_seconds": c.maxWallSeconds = try real(k, v)
            case "target_return": c.targetReturn = v == .null ? nil : try real(k, v)
            case "seed":
                if case .string(let s) = v, let seed = UInt64(s) { c.seed = seed } else {
                    guard case .number(let d, _) = v, d >= 0, d == d.rounded(), d < 9.007_199_254_740_992e15 else {
                        throw fail(k, "a non-negative integer (above 2^53 written as a string)", v)
                    }
                    c.seed = UInt64(d)
                }
            case "threads": c.threads = try int(k, v)
            case "checkpoint_every": c.checkpointEvery = try int(k, v)
            case "log_every": c.logEvery = try int(k, v)
            case "eval_episodes": c.evalEpisodes = try int(k, v)
            case "eval_greedy":
                guard case .bool(let b) = v else { throw fail(k, "true or false", v) }
                c.evalGreedy = b
            case "return_window": c.returnWindow = try int(k, v)
            case "eval_every": c.evalEvery = try int(k, v)
            case "eval_every_rounds": c.evalEveryRounds = try int(k, v)
            case "keep_checkpoints": c.keepCheckpoints = try int(k, v)
            case "tensorboard":
                guard case .bool(let b) = v else { throw fail(k, "true or false", v) }
                c.tensorboard = b
            default:
                guard let items = v.objectPairs else {
                    var m = "\(context): unknown key '\(k)'"
                    if let g = closestName(to: k, among: keys + ["neighbourhood_size"]) { m += "; did you mean '\(g)'?" } else { m += "." }
                    throw TrainingError(m + " Valid keys: \(keys.joined(separator: ", ")), neighbourhood_size (instead of degree), and a settings object named after the algorithm or the strategy.")
                }
                var block = blocks.first(where: { $0.name == k })?.value ?? .object([])
                for (name, value) in items { block = block.setting(name, to: value) }
                if let i = blocks.firstIndex(where: { $0.name == k }) { blocks[i].value = block } else { blocks.append((k, block)) }
            }
        }
        c.blocks = blocks
        return c
    }

    /// The settings blocks as named objects (the algorithm's first).
    var blocks: [(name: String, value: JSONValue)] {
        get {
            var b: [(name: String, value: JSONValue)] = []
            let shared = algorithm == resolvedStrategy
            let own = shared ? algorithmSettings.merging(strategySettings) : algorithmSettings
            if !(own.objectPairs?.isEmpty ?? true) { b.append((algorithm, own)) }
            b += unclaimedSettings.map { ($0.name, $0.value) }
            if !shared, !(strategySettings.objectPairs?.isEmpty ?? true) { b.append((resolvedStrategy, strategySettings)) }
            return b
        }
        set {
            algorithmSettings = newValue.first(where: { $0.name == algorithm })?.value ?? .object([])
            strategySettings = newValue.first(where: { $0.name == resolvedStrategy })?.value ?? .object([])
            unclaimedSettings = newValue.filter { $0.name != algorithm && $0.name != resolvedStrategy }.map { SettingsBlock(name: $0.name, value: $0.value) }
        }
    }
}

/// A named settings object of a configuration.
public struct SettingsBlock: Sendable, Equatable {
    public var name: String
    public var value: JSONValue
    public init(name: String, value: JSONValue) {
        self.name = name
        self.value = value
    }
}

/// A Codable value as a ``JSONValue`` (keys sorted).
public func encodeJSON<T: Encodable>(_ value: T) throws -> JSONValue {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(value)
    return try JSONValue.parse(String(decoding: data, as: UTF8.self))
}
