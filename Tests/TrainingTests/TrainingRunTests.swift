import ActorCritic
import Communication
import Envs
import EnvsTesting
import Foundation
import Testing
import Training

@Suite("Training runs: determinism, resumption, diffusion")
struct TrainingRunTests {
    let registry = try! TaskRegistry.standard.adding(TaskRegistry.testingTasks)

    func config(rounds: Int = 8) -> RunConfig {
        var c = RunConfig()
        c.task = "testing/identity-v1"
        c.agents = 3
        c.copiesPerTask = 2
        c.topology = "complete"
        c.rounds = rounds
        c.checkpointEvery = 4
        c.logEvery = 2
        c.evalEpisodes = 2
        c.threads = 2
        c.a2c = JSONObjectBox(.object([("steps_per_update", .integer(5)), ("hidden", .array([.integer(16)]))]))
        return c
    }

    func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("shoal-run-\(UUID().uuidString)").path
    }

    func train(_ config: RunConfig, path: String, resume: Bool = false, stopAfter: Int? = nil) throws -> RunDirectory {
        let plan = try RunPlan(config: config, registry: registry)
        let directory = resume ? try RunDirectory.open(at: path) : try RunDirectory.create(at: path, force: false)
        if !resume { try directory.writeConfig(config) }
        let settings = try decodeStrictly(A2CConfig.self, from: config.a2c.value, defaults: A2CConfig.diffusionDefaults,
                                          allowedKeys: ["steps_per_update", "hidden"], context: "a2c")
        var run = try TrainingRun(plan: plan, directory: directory, resume: resume) { _, env, tasks, seed in
            try A2CLearner(config: settings, environment: env, tasks: tasks, seed: seed)
        }
        _ = try run.run(stopAfter: stopAfter)
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
        #expect(a.tensors["agent.1.parameters"] == b.tensors["agent.1.parameters"])
    }

    @Test func anExistingRunIsNeverOverwritten() throws {
        let path = temporary()
        _ = try train(config(rounds: 2), path: path)
        let e = #expect(throws: TrainingError.self) { _ = try RunDirectory.create(at: path, force: false) }
        #expect(e?.message.contains("already exists and is not empty; pass --force") == true)
        _ = try RunDirectory.create(at: path, force: true)
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
            return c.validationProblem()
        }
        #expect(problem { $0.algorithm = "a3c" } == "algorithm 'a3c' is not known; did you mean 'a2c'? Valid: a2c, siac, reinforce.")
        #expect(problem { $0.architecture = "centralised"; $0.strategy = "consensus"; $0.agents = 0 }?.contains("does not communicate") == true)
        #expect(problem { $0.algorithm = "siac"; $0.strategy = "central" }?.contains("SiAC learners") == true)
        #expect(problem { $0.linkDrop = 1.5 } == "link_drop must lie in [0, 1], got 1.5")
        #expect(problem { $0.taskSet = "pendulum-25" } == "give exactly one of task_set (a task set name) or task (one task id)")
        let unknown = #expect(throws: TrainingError.self) { _ = try RunConfig.decode(try JSONValue.parse(#"{"round": 3}"#), context: "c.json") }
        #expect(unknown?.message.hasPrefix("c.json: unknown key 'round'; did you mean 'rounds'?") == true)
        let type = #expect(throws: TrainingError.self) { _ = try RunConfig.decode(try JSONValue.parse(#"{"rounds": "many"}"#), context: "c.json") }
        #expect(type?.message == "c.json: 'rounds' has the wrong type; it must be an integer")
        let set = #expect(throws: RegistryError.self) {
            var c = RunConfig()
            c.taskSet = "acrobot-extrem-25"
            _ = try RunPlan(config: c, registry: registry)
        }
        #expect(set?.message.contains("did you mean acrobot-extreme-25?") == true)
    }

    @Test func relativeDeviationOnHandValues() {
        // Parameter 0: values 1 and 3 (σ = 1, μ = 2); parameter 1: −2 and −2 (σ = 0, μ = −2).
        let rows: [[Float]] = [[1, -2], [3, -2]]
        #expect(abs(relativeDeviation(rows) - 1.0 / 4.0) < 1e-12)
        #expect(abs(unweightedRelativeDeviation(rows) - 0.25) < 1e-12)
        #expect(abs(consensusDistance(rows) - 1) < 1e-12)
        #expect(relativeDeviation([[1, 2], [1, 2]]) == 0)
    }
}
