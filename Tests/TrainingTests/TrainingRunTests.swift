import ActorCritic
import Communication
import NeuralNets
import Envs
import EnvsTesting
import Foundation
import Testing
import Training
import TrainingCatalogue

@Suite("Training runs: determinism, resumption, diffusion")
struct TrainingRunTests {
    let registry = try! TaskRegistry.standard.adding(TaskRegistry.testingTasks)

    func config(rounds: Int = 8) -> RunConfig {
        var c = RunConfig()
        c.task = "testing/identity-v1"
        c.agents = 3
        c.copiesPerTask = 2
        c.topology = .complete
        c.rounds = rounds
        c.checkpointEvery = 4
        c.logEvery = 2
        c.evalEpisodes = 2
        c.threads = 2
        c.algorithmSettings = .object([("steps_per_update", .integer(5)), ("hidden", .array([.integer(16)]))])
        return c
    }

    func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("shoal-run-\(UUID().uuidString)").path
    }

    func train(_ config: RunConfig, path: String, resume: Bool = false, stopAfter: Int? = nil) throws -> RunDirectory {
        let plan = try RunPlan(config: config, registry: registry, algorithms: .standard)
        let directory = resume ? try RunDirectory.open(at: path) : try RunDirectory.create(at: path, force: false)
        if !resume { try directory.writeConfig(plan.config) }
        var session = try plan.algorithm.openRun(plan: plan, directory: directory, resume: resume)
        _ = try session.run(stopAfter: stopAfter, progress: nil)
        return directory
    }

    /// Metrics without the wall-clock columns.
    func comparable(_ directory: RunDirectory) throws -> [JSONValue] {
        try directory.metricsLines().map { line in
            .object(line.objectPairs!.filter { !["wall_seconds", "perf/env_steps_per_second"].contains($0.key) })
        }
    }

    @Test func sameConfigAndSeedGiveTheSameMetrics() throws {
        let a = try train(config(), path: temporary()), b = try train(config(), path: temporary())
        let ma = try comparable(a)
        #expect(ma.count == 4)
        #expect(ma == (try comparable(b)))
        var other = config()
        other.seed = 1
        #expect(ma != (try comparable(try train(other, path: temporary()))))
        let summary = try a.readSummary()
        for key in ["mean_train_return", "mean_eval_return", "relative_deviation", "messages", "bytes", "env_steps", "env_steps_per_second", "wall_seconds"] {
            #expect(summary[key] != nil, "summary lacks \(key)")
        }
        // 3 agents on a complete graph: 2 messages each per round, 8 rounds.
        #expect(summary["messages"] == .integer(48))
        #expect(summary["env_steps"] == .integer(8 * 3 * 2 * 5))
    }

    @Test func aKilledAndResumedRunEqualsAnUninterruptedOne() throws {
        let whole = try train(config(), path: temporary())
        let path = temporary()
        _ = try train(config(), path: path, stopAfter: 6)   // killed during the second segment
        let resumed = try train(config(), path: path, resume: true)
        #expect(try comparable(whole) == comparable(resumed))
        let a = try whole.latestCheckpoint()!, b = try resumed.latestCheckpoint()!
        #expect(a.round == 8 && b.round == 8)
        #expect(a.tensors["agent.1.actor.layers.0.weight"] != nil)
        for name in a.tensors.keys { #expect(a.tensors[name] == b.tensors[name], "\(name) differs") }
    }

    static let smallSettings: [String: JSONValue] = [
        "a2c": .object([("steps_per_update", .integer(5)), ("hidden", .array([.integer(16)]))]),
        "ppo": .object([("steps_per_rollout", .integer(8)), ("minibatch_size", .integer(8)), ("epochs", .integer(2)), ("hidden", .array([.integer(16)]))]),
        "siac": .object([("episodes_per_update", .integer(1)), ("hidden", .array([.integer(16)]))]),
        "reinforce": .object([("trajectories_per_update", .integer(2)), ("hidden", .array([.integer(16)]))]),
    ]

    @Test("same seed, same metrics; a killed and resumed run equals an uninterrupted one", arguments: ["a2c", "ppo", "siac", "reinforce"])
    func everyAlgorithmIsDeterministicAndResumes(algorithm: String) throws {
        var c = config()
        c.algorithm = algorithm
        c.algorithmSettings = Self.smallSettings[algorithm]!
        c.strategy = algorithm == "siac" ? "diffusion-atc" : "consensus"
        let whole = try train(c, path: temporary())
        #expect(try comparable(whole) == comparable(try train(c, path: temporary())))
        let path = temporary()
        _ = try train(c, path: path, stopAfter: 6)
        let resumed = try train(c, path: path, resume: true)
        #expect(try comparable(whole) == comparable(resumed))
        let a = try whole.latestCheckpoint()!, b = try resumed.latestCheckpoint()!
        for name in a.tensors.keys { #expect(a.tensors[name] == b.tensors[name], "\(algorithm): \(name) differs") }
        // A finished run resumed takes no further round and keeps its metrics.
        let before = try comparable(resumed)
        _ = try train(c, path: path, resume: true)
        #expect(try comparable(resumed) == before)
        #expect(try resumed.latestCheckpoint()!.round == 8)
    }

    @Test func aRunKilledBeforeItsFirstCheckpointResumesFromTheStart() throws {
        let whole = try train(config(), path: temporary())
        let path = temporary()
        _ = try train(config(), path: path, stopAfter: 0)
        #expect(try RunDirectory.open(at: path).latestCheckpoint() == nil)
        let resumed = try train(config(), path: path, resume: true)
        #expect(try comparable(whole) == comparable(resumed))
    }

    @Test func aDamagedLatestCheckpointFallsBackToTheNewestValidOne() throws {
        let whole = try train(config(), path: temporary())
        let path = temporary()
        _ = try train(config(), path: path, stopAfter: 6)   // checkpoints at rounds 4 (and none later)
        let dir = try RunDirectory.open(at: path)
        // A torn write of a later checkpoint, and a torn metrics line.
        try Data("garbage".utf8).write(to: dir.url.appendingPathComponent("checkpoints/round-000008.safetensors"))
        let handle = try FileHandle(forWritingTo: dir.url.appendingPathComponent("metrics.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"round": 5, "env_st"#.utf8))
        try handle.close()
        #expect(try dir.latestCheckpoint()?.round == 4)
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("checkpoints/round-000008.safetensors"))
        let resumed = try train(config(), path: path, resume: true)
        #expect(try comparable(whole) == comparable(resumed))
    }

    @Test("evaluation during training logs eval/episode_return and keeps the best checkpoint; old checkpoints are pruned")
    func evaluationDuringTraining() throws {
        var c = config()
        c.evalEvery = 60          // 30 env steps per round: every other round
        c.keepCheckpoints = 1
        let path = temporary()
        let dir = try train(c, path: path)
        let lines = try dir.metricsLines()
        let evals = lines.compactMap { $0["eval/episode_return"]?.doubleValue }
        #expect(evals.count == 4, "\(lines)")
        let best = try #require(try dir.checkpoint(named: "best"))
        #expect(Double(best.metadata["eval_return"] ?? "") == evals.max())
        #expect(best.tensors["agent.0.actor.layers.0.weight"] != nil)
        #expect(dir.checkpointRounds() == [8])
        // A partial file of an interrupted write is removed on the next start.
        try Data([1, 2, 3]).write(to: dir.url.appendingPathComponent("checkpoints/.round-000009.safetensors.partial"))
        var session = try RunPlan(config: c, registry: registry, algorithms: .standard).algorithm
            .openRun(plan: try RunPlan(config: c, registry: registry, algorithms: .standard), directory: dir, resume: true, keepMetrics: true, checkpoint: "best")
        #expect(!FileManager.default.fileExists(atPath: path + "/checkpoints/.round-000009.safetensors.partial"))
        #expect(try session.evaluate(agent: 0, task: try registry.task("testing/identity-v1"), parameters: .object([]), episodes: 2, greedy: true, seed: 1).count == 2)
        let missing = #expect(throws: TrainingError.self) { _ = try dir.checkpoint(named: "round-000003") }
        #expect(missing?.message.contains("it has: best, round-000008, last") == true)
    }

    @Test("eval_every_rounds evaluates after every multiple of its rounds, and refuses eval_every beside it")
    func evaluationEveryRounds() throws {
        var c = config(rounds: 9)
        c.logEvery = 1
        c.evalEveryRounds = 3
        let lines = try train(c, path: temporary()).metricsLines()
        let evaluated = lines.filter { $0["eval/episode_return"]?.doubleValue != nil }.compactMap { $0["round"]?.doubleValue }
        #expect(evaluated == [3, 6, 9], "\(lines)")
        c.evalEvery = 60
        #expect(c.validationProblem() == "give eval_every (environment steps) or eval_every_rounds (rounds), not both")
        c.evalEvery = 0
        c.evalEveryRounds = -1
        #expect(c.validationProblem() == "eval_every_rounds must be 0 (none) or positive, got -1")
        let decoded = try RunConfig.decode(.object([("task", .string("testing/identity-v1")), ("eval_every_rounds", .integer(4))]), context: "test")
        #expect(decoded.evalEveryRounds == 4 && decoded.json["eval_every_rounds"]?.doubleValue == 4)
    }

    @Test("checkpoint tensors are named per layer with PyTorch's nn.Linear shapes, and the metadata records the network")
    func checkpointLayoutIsReadableByOtherTools() throws {
        let dir = try train(config(rounds: 2), path: temporary())
        let file = try SafetensorsFile(contentsOf: dir.url.appendingPathComponent("checkpoints/round-000002.safetensors").path)
        func shape(_ name: String) -> [Int]? { file.tensors.first { $0.name == name }?.shape }
        // testing/identity-v1: 4 symbols observed one-hot, 4 actions; one hidden layer of 16.
        #expect(shape("agent.0.actor.layers.0.weight") == [16, 4])
        #expect(shape("agent.0.actor.layers.0.bias") == [16])
        #expect(shape("agent.0.actor.layers.1.weight") == [4, 16])
        #expect(shape("agent.2.critic.layers.1.weight") == [1, 16])
        #expect(shape("agent.0.optimizer.actor.square_average") != nil)
        #expect(file.metadata["actor_sizes"] == "4,16,4")
        #expect(file.metadata["actor_activations"] == "tanh,identity")
        #expect(file.metadata["policy"] == "categorical")
        #expect(file.metadata["algorithm"] == "a2c" && file.metadata["round"] == "2" && file.metadata["env_steps"] == "60")
    }

    @Test func aCheckpointWithNonFiniteWeightsIsRefused() throws {
        let path = temporary()
        let dir = try train(config(rounds: 4), path: path)
        let url = dir.url.appendingPathComponent("checkpoints/round-000004.safetensors")
        let file = try SafetensorsFile(contentsOf: url.path)
        let poisoned = try file.tensors.map { t in
            try SafetensorsTensor(name: t.name, shape: t.shape, values: t.name == "agent.1.actor.layers.0.bias" ? t.values.map { _ in Float.nan } : t.values)
        }
        try SafetensorsFile(tensors: poisoned, metadata: file.metadata).write(to: url.path)
        let e = #expect(throws: TrainingError.self) {
            let plan = try RunPlan(config: config(rounds: 4), registry: registry, algorithms: .standard)
            _ = try plan.algorithm.openRun(plan: plan, directory: dir, resume: true, keepMetrics: true)
        }
        #expect(e?.message.contains("non-finite value") == true, "\(String(describing: e))")
    }

    @Test func anExistingRunIsNeverOverwritten() throws {
        let path = temporary()
        _ = try train(config(rounds: 2), path: path)
        let e = #expect(throws: TrainingError.self) { _ = try RunDirectory.create(at: path, force: false) }
        #expect(e?.message.contains("already exists and is not empty; pass --force") == true)
        _ = try RunDirectory.create(at: path, force: true)
        // --force never deletes a directory that is not a Shoal run.
        let other = temporary()
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: other).appendingPathComponent("notes.txt"))
        let refused = #expect(throws: TrainingError.self) { _ = try RunDirectory.create(at: other, force: true) }
        #expect(refused?.message.contains("is not a Shoal run directory") == true)
        #expect(FileManager.default.fileExists(atPath: other + "/notes.txt"))
        #expect(throws: TrainingError.self) { _ = try RunDirectory.create(at: "", force: true) }
    }

    @Test func diffusionOfIdenticalLearnersEqualsOneLearner() throws {
        let env = { try registry.make("testing/identity-v1", count: 2) }
        let tasks = TaskAssignment(taskOfRow: [0, 0])
        var single = try A2CLearner(config: A2CConfig(), environment: env(), tasks: tasks, seed: 5)
        let learners = try (0..<3).map { _ in try A2CLearner(config: A2CConfig(), environment: env(), tasks: tasks, seed: 5) }
        let graph = try Graph.ring(agents: 3)
        var cohort = try Cohort(learners: learners, strategy: try Diffusion(weights: MixingRule.hastings.weights(for: graph)), threads: 2)
        for _ in 0..<10 {
            _ = try single.learn(step: nil)
            _ = try cohort.runRound()
        }
        var reference: [Float] = []
        single.copyParameters(into: &reference)
        for row in cohort.parameterRows() {
            let worst = zip(row, reference).map { abs($0 - $1) / max(1, abs($1)) }.max()!
            #expect(worst < 1e-5)
        }
    }

    @Test func badConfigurationsGetOneSentence() throws {
        func problem(_ edit: (inout RunConfig) -> Void) -> String? {
            var c = config()
            edit(&c)
            do { _ = try RunPlan(config: c, registry: registry, algorithms: .standard) } catch let e as TrainingError { return e.message } catch {
                return "\(error)"
            }
            return nil
        }
        #expect(problem { $0.algorithm = "a3c" } == "unknown algorithm 'a3c'; did you mean 'a2c'? Valid: a2c, ppo, siac, reinforce, pg, dcpg, dist-mtps, es, espc, dql, ebcdql, davia, tabular-dac, joint-q-learning, off-policy-dac, maddpg.")
        #expect(problem { $0.architecture = .centralised; $0.strategy = "consensus"; $0.agents = 0 }?.contains("does not communicate") == true)
        #expect(problem { $0.algorithm = "siac"; $0.algorithmSettings = .object([]); $0.strategy = "central" }
                == "algorithm siac cannot drive strategy 'central'; it supports: none, diffusion-atc, diffusion-cta, event-triggered")
        #expect(problem { $0.strategy = "difusion-atc" } == "unknown strategy 'difusion-atc'; did you mean 'diffusion-atc'? Valid: none, central, diffusion-atc, diffusion-cta, consensus, lazy-aggregation, es, espc, event-triggered, admm.")
        #expect(problem { $0.linkDrop = 1.5 } == "link_drop must lie in [0, 1], got 1.5")
        #expect(problem { $0.taskSet = "pendulum-25" } == "give exactly one of task_set (a task set name) or task (one task id)")
        // Settings of another algorithm are an error, not ignored.
        #expect(problem { $0.unclaimedSettings = [SettingsBlock(name: "siac", value: .object([("hidden", .array([.integer(8)]))]))] }
                == "settings for siac do not apply to a run of algorithm a2c; name them a2c.KEY")
        #expect(problem { $0.algorithmSettings = .object([("learning_rat", .real(0.1))]) }
                == "a2c settings: unknown key 'learning_rat'; did you mean 'learning_rate'? Valid keys: activation, discount, encoder, entropy_coefficient, gae_lambda, hidden, learning_rate, max_gradient_norm, rmsprop_alpha, rmsprop_epsilon, steps_per_update, value_coefficient.")
        #expect(problem { $0.algorithmSettings = .object([("steps_per_update", .real(2.5))]) } == "a2c settings: 'steps_per_update' must be an integer, got 2.5")
        // A real setting whose default is whole (γ-like λ = 1, a zero coefficient) takes fractions.
        #expect(problem { $0.algorithmSettings = .object([("gae_lambda", .real(0.95)), ("entropy_coefficient", .real(0.001))]) } == nil)
        #expect(problem { $0.strategy = "lazy-aggregation"; $0.strategySettings = .object([("xi", .array([.real(0.1), .real(0.2)]))]) }
                == "algorithm a2c cannot drive strategy 'lazy-aggregation'; it supports: none, central, diffusion-atc, diffusion-cta, consensus, event-triggered")
        #expect(problem { $0.algorithm = "reinforce"; $0.algorithmSettings = .object([]); $0.strategy = "lazy-aggregation"
                          $0.strategySettings = .object([("xi", .array([.real(0.1), .real(0.2)]))]) }
                == "lazy-aggregation settings: xi must be non-increasing (ξ_1 ≥ ξ_2 ≥ …), got [0.1, 0.2]")
        let unknown = #expect(throws: TrainingError.self) { _ = try RunConfig.decode(try JSONValue.parse(#"{"round": 3}"#), context: "c.json") }
        #expect(unknown?.message.hasPrefix("c.json: unknown key 'round'; did you mean 'rounds'?") == true)
        let type = #expect(throws: TrainingError.self) { _ = try RunConfig.decode(try JSONValue.parse(#"{"rounds": 20.5}"#), context: "c.json") }
        #expect(type?.message == "c.json: 'rounds' must be an integer, got 20.5")
        let seed = #expect(throws: TrainingError.self) { _ = try RunConfig.decode(try JSONValue.parse(#"{"seed": -1}"#), context: "c.json") }
        #expect(seed?.message == "c.json: 'seed' must be a non-negative integer (above 2^53 written as a string), got -1")
        let arch = #expect(throws: TrainingError.self) { _ = try RunConfig.decode(try JSONValue.parse(#"{"architecture": "centralized"}"#), context: "c.json") }
        #expect(arch?.message == "c.json: unknown architecture 'centralized'; did you mean 'centralised'? Valid: decentralised, centralised, specialised.")
        let set = #expect(throws: RegistryError.self) {
            var c = RunConfig()
            c.taskSet = "acrobot-extrem-25"
            _ = try RunPlan(config: c, registry: registry, algorithms: .standard)
        }
        #expect(set?.message.contains("did you mean acrobot-extreme-25?") == true)
    }

    @Test("compatibility is checked the same way for 1, 3 and 1000 agents")
    func compatibilityIndependentOfAgentCount() throws {
        for agents in [2, 3, 1000] {
            var c = config()
            c.agents = agents
            c.topology = .ring
            c.algorithm = "siac"
            c.algorithmSettings = .object([])
            c.strategy = "consensus"
            let e = #expect(throws: TrainingError.self) { _ = try RunPlan(config: c, registry: registry, algorithms: .standard) }
            #expect(e?.message == "algorithm siac cannot drive strategy 'consensus'; it supports: none, diffusion-atc, diffusion-cta, event-triggered")
        }
        var one = config()
        one.agents = 1
        one.strategy = "consensus"
        let e = #expect(throws: TrainingError.self) { _ = try RunPlan(config: one, registry: registry, algorithms: .standard) }
        #expect(e?.message.hasPrefix("strategy 'consensus' needs at least 2 agents") == true)
    }

    @Test("the plan resolves every setting, and the resolved configuration resolves to itself")
    func resolvedConfigurationIsAFixedPoint() throws {
        var c = RunConfig()
        c.task = "testing/identity-v1"
        c.algorithm = "ppo"
        c.agents = 0
        let plan = try RunPlan(config: c, registry: registry, algorithms: .standard)
        #expect(plan.config.agents == 1)
        #expect(plan.config.strategy == "none")
        #expect(plan.config.algorithmSettings["steps_per_rollout"] == .integer(2048))
        #expect(plan.config.algorithmSettings["clip_range"]?.doubleValue.map { abs($0 - 0.2) < 1e-7 } == true)
        let again = try RunConfig.decode(try JSONValue.parse(plan.config.json.description), context: "config.json")
        #expect(again == plan.config)
        #expect(try RunPlan(config: again, registry: registry, algorithms: .standard).config == plan.config)
        // A settings block named after neither the algorithm nor the strategy survives a round trip
        // (the plan refuses it; nothing a user wrote is dropped). Found by Fuzz/run.sh run-config.
        let odd = try RunConfig.decode(try JSONValue.parse(#"{"algorithm": "ppo", "ppo": {"clip_range": 0.1}, "ion": {"xi": [0.2]}, "strategy": "lazy-aggregation"}"#), context: "x")
        #expect(odd.unclaimedSettings == [SettingsBlock(name: "ion", value: .object([("xi", .array([.real(0.2)]))]))])
        #expect(try RunConfig.decode(try JSONValue.parse(odd.json.description), context: "y") == odd)
        // Seeds above 2^53 round-trip exactly.
        c.seed = UInt64.max
        let big = try RunPlan(config: c, registry: registry, algorithms: .standard).config
        #expect(try RunConfig.decode(try JSONValue.parse(big.json.description), context: "x").seed == UInt64.max)
    }

    @Test("every registered strategy builds and passes the strategy contract of its registry entry")
    func everyStrategyIsSelectable() throws {
        let graph = try Graph.ring(agents: 50)
        let context = StrategyContext(agents: 50, graph: graph, weights: MixingRule.hastings.weights(for: graph), rounds: 10, seed: 3)
        for entry in StrategyRegistry.standard.entries {
            let strategy = try entry.makeStrategy(settings: try entry.resolve(.object([])), context: context)
            #expect(strategy.localStep == entry.localStep, "\(entry.name)")
            #expect(strategy.inputs == entry.inputs, "\(entry.name)")
        }
        #expect(StrategyRegistry.standard.names.count == 10)
    }

    @Test("every optimiser saves and restores its whole state")
    func optimiserStateRoundTrips() throws {
        func check<O: Optimizer>(_ make: () -> O) throws {
            var a = make(), b = make()
            var p = try ParameterVector(layout: ParameterLayout([("w", [3])]), values: [1, 2, 3])
            var q = p
            for k in 0..<3 {
                var g = try ParameterVector(layout: p.layout, values: [0.5, -1, Float(k)])
                _ = try a.step(&p, gradient: &g)
            }
            var state: [String: [Float]] = [:]
            for t in a.stateTensors() { state[t.name] = t.values }
            try b.restoreState(from: state)
            q = p
            var g1 = try ParameterVector(layout: p.layout, values: [0.25, 0.5, -2])
            var g2 = g1
            _ = try a.step(&p, gradient: &g1)
            _ = try b.step(&q, gradient: &g2)
            #expect(p.values == q.values, "\(O.self)")
            #expect(throws: (any Error).self) { var c = make(); try c.restoreState(from: [:]) }
        }
        try check { Adam(learningRate: 0.1) }
        try check { RMSProp(schedule: .constant(0.1), alpha: 0.9, epsilon: 1e-5, momentum: 0.5, centered: true) }
        try check { HeavyBallMomentum(schedule: .constant(0.1), momentum: 0.6) }
        try check { SGD(learningRate: 0.1) }
    }

    @Test func relativeDeviationOnHandValues() {
        // Parameter 0: values 1 and 3 (σ = 1, μ = 2); parameter 1: −2 and −2 (σ = 0, μ = −2);
        // parameter 2: 0.5 and 1.5 (σ = 0.5, μ = 1). Weighted: (1 + 0 + 0.5) / (2 + 2 + 1) = 0.3;
        // literal mean of σ/|μ|: (0.5 + 0 + 0.5) / 3 = 1/3 — the two definitions differ here.
        let rows: [[Float]] = [[1, -2, 0.5], [3, -2, 1.5]]
        #expect(abs(relativeDeviation(rows) - 0.3) < 1e-12)
        #expect(abs(unweightedRelativeDeviation(rows) - 1.0 / 3.0) < 1e-12)
        #expect(abs(consensusDistance([[1, -2], [3, -2]]) - 1) < 1e-12)
        #expect(relativeDeviation([[1, 2], [1, 2]]) == 0)
    }
}

extension TrainingRunTests {
    /// Task parameters in a run configuration may be text (a choice of reward, say) as well as
    /// numbers; both round-trip through config.json and reach the task, which checks them.
    @Test func textTaskParametersReachTheTask() throws {
        let c = try RunConfig.decode(try JSONValue.parse(#"{"task": "mpe/simple-spread-v1", "algorithm": "off-policy-dac", "weights": "maximum-degree", "parameters": {"continuous": true, "reward": "assigned-loss"}}"#), context: "x")
        #expect(c.parameters == ["continuous": 1, "reward": "assigned-loss"])
        #expect(try RunConfig.decode(try JSONValue.parse(c.json.description), context: "y") == c)
        let multi = try TaskRegistry.standard
        let plan = try RunPlan(config: c, registry: multi, algorithms: .standard)
        #expect(plan.config.parameters["reward"] == "assigned-loss")
        var wrong = c
        wrong.parameters["reward"] = "asigned-loss"
        do {
            _ = try RunPlan(config: wrong, registry: multi, algorithms: .standard)
            Issue.record("a reward the task does not know was accepted")
        } catch {
            #expect("\(error)".contains("'asigned-loss' is not valid: reward must be"), "\(error)")
        }
    }
}
