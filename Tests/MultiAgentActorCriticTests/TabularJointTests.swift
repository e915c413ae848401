import Envs
import Foundation
import MultiAgentActorCritic
import Testing
import Training
import TrainingCatalogue

@Suite("Paper 004 Algorithm 1 and its baselines on the joint cohort")
struct TabularJointTests {
    let registry = try! TaskRegistry.standard

    func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("shoal-lijia-\(UUID().uuidString)").path
    }

    /// A small random MDP (20 states, 3 agents of 3 actions) so that runs take well under a second.
    func config(_ algorithm: String, architecture: Architecture = .decentralised, rounds: Int = 60) -> RunConfig {
        var c = RunConfig()
        c.task = "random-mdp/local-actions-v1"
        c.parameters = ["states": 20, "agents": 3]
        c.algorithm = algorithm
        c.architecture = architecture
        c.rounds = rounds
        c.checkpointEvery = 20
        c.logEvery = 5
        c.evalEpisodes = 2
        c.threads = 1
        c.tensorboard = false
        return c
    }

    func train(_ config: RunConfig, path: String, resume: Bool = false, stopAfter: Int? = nil) throws -> RunDirectory {
        let plan = try RunPlan(config: config, registry: registry, algorithms: .standard)
        let directory = resume ? try RunDirectory.open(at: path) : try RunDirectory.create(at: path, force: false)
        if !resume { try directory.writeConfig(plan.config) }
        var session = try plan.algorithm.openRun(plan: plan, directory: directory, resume: resume)
        _ = try session.run(stopAfter: stopAfter, progress: nil)
        return directory
    }

    func comparable(_ directory: RunDirectory) throws -> [JSONValue] {
        try directory.metricsLines().map { line in
            .object(line.objectPairs!.filter { !["wall_seconds", "perf/env_steps_per_second"].contains($0.key) })
        }
    }

    @Test("softmax (eq. 6), sampling, the critic step (eq. 7) and the clipped actor step (eqs. 32–34) on hand-computed values")
    func tabularMath() {
        let zeta: [Double] = [0, log(2), log(5)]
        var p = [Double](repeating: 0, count: 3)
        zeta.withUnsafeBufferPointer { z in p.withUnsafeMutableBufferPointer { softmaxPolicy(z, offset: 0, count: 3, into: $0) } }
        #expect(abs(p[0] - 0.125) < 1e-12 && abs(p[1] - 0.25) < 1e-12 && abs(p[2] - 0.625) < 1e-12)
        p.withUnsafeBufferPointer { p in
            #expect(sampleIndex(p, count: 3, uniform: 0.1) == 0)
            #expect(sampleIndex(p, count: 3, uniform: 0.125) == 1)
            #expect(sampleIndex(p, count: 3, uniform: 0.374) == 1)
            #expect(sampleIndex(p, count: 3, uniform: 0.999) == 2)
        }
        // Q(s, a) = 2, r = 1, γ Q(s', ã) = 0.9 · 3: δ = 1 + 2.7 − 2 = 1.7, Q += 0.1 · 1.7.
        var q: [Double] = [0, 2, 0, 3]
        let delta = tabularCriticStep(&q, index: 1, reward: 1, nextValue: 3, alpha: 0.1, gamma: 0.9)
        #expect(abs(delta - 1.7) < 1e-12 && abs(q[1] - 2.17) < 1e-12)
        // π = (1/2, 1/4, 1/4), Q(s, ·) = (1, 3, −1): v = 1; step β π ⊙ (Q − v) = 0.5 · (0, 0.5, −0.5).
        var z: [Double] = [9, 0, 0, 0.9, -0.9, 7]
        let qs: [Double] = [0, 0, 0, 1, 3, -1]
        [0.5, 0.25, 0.25].withUnsafeBufferPointer { pi in
            tabularActorStep(zeta: &z, q: qs, offset: 3, count: 3, probabilities: pi, beta: 0.5, lower: -1, upper: 1)
        }
        // 0.9 + 0 = 0.9; −0.9 + 0.25 = −0.65; 7 − 0.25 = 6.75 → clipped to T_M = 1. Other states untouched.
        #expect(z[0] == 9 && z[1] == 0 && z[2] == 0)
        #expect(abs(z[3] - 0.9) < 1e-12 && abs(z[4] - (-0.65)) < 1e-12 && z[5] == 1)
        // With T_m: a row pushed below it is clipped there.
        var low: [Double] = [-0.95]
        [1.0].withUnsafeBufferPointer { pi in
            tabularActorStep(zeta: &low, q: [0], offset: 0, count: 1, probabilities: pi, beta: 1, lower: -1, upper: 1)
        }
        #expect(low[0] == -0.95)  // one action: Q − v = 0, no step
    }

    @Test("same seed, same metrics whatever the threads; a killed and resumed run equals an uninterrupted one",
          arguments: [("tabular-dac", Architecture.decentralised), ("tabular-dac", .centralised), ("joint-q-learning", .centralised)])
    func determinismAndResume(algorithm: String, architecture: Architecture) throws {
        var c = config(algorithm, architecture: architecture, rounds: 24)
        c.checkpointEvery = 8
        c.logEvery = 4
        c.algorithmSettings = .object([("steps_per_round", .integer(50))])
        let whole = try train(c, path: temporary())
        let lines = try comparable(whole)
        #expect(lines.count == 6)
        var threaded = c
        threaded.threads = 3
        #expect(try comparable(try train(threaded, path: temporary())) == lines)
        var other = c
        other.seed = 9
        #expect(try comparable(try train(other, path: temporary())) != lines)
        let path = temporary()
        _ = try train(c, path: path, stopAfter: 12)
        #expect(try comparable(try train(c, path: path, resume: true)) == lines)
        let summary = try whole.readSummary()
        #expect(summary["agents"]?.doubleValue == (architecture == .centralised ? 1 : 3))
        #expect(summary["messages"]?.doubleValue == 0)
        #expect(summary["env_steps"]?.doubleValue == Double(24 * 50))
        #expect(summary["mean_eval_return"]?.doubleValue?.isFinite == true)
    }

    @Test("Algorithm 1 learns: the last episodes beat the first ones by a margin on a small random MDP")
    func algorithmOneLearns() throws {
        var c = config("tabular-dac", rounds: 300)
        c.checkpointEvery = 300
        c.logEvery = 30
        c.returnWindow = 50
        let lines = try train(c, path: temporary()).metricsLines()
        let first = lines.first!["train/episode_return"]!.doubleValue!
        let last = lines.last!["train/episode_return"]!.doubleValue!
        #expect(last > first + 10, "first interval \(first), last \(last)")
    }

    @Test("the centralised learner controls every agent and writes the joint action's digits")
    func jointActionDigits() throws {
        let layout = JointLayout(count: 1, observationSpaces: [.discrete(4), .discrete(4), .discrete(4)],
                                 actionSpaces: [.discrete(3), .discrete(2), .discrete(3)], stateSpace: .discrete(4))
        let agents = try TabularJointAgents(agents: [0, 1, 2], layout: layout, algorithm: "test")
        #expect(agents.actionCount == 18)
        var actions = [Float](repeating: -1, count: 3)
        // 17 = 2 + 3 · (1 + 2 · 2).
        actions.withUnsafeMutableBufferPointer { agents.write(17, row: 0, layout: layout, into: $0) }
        #expect(actions == [2, 1, 2])
    }

    @Test("bad input is one sentence before anything runs")
    func badInput() {
        func problem(_ edit: (inout RunConfig) -> Void) -> String? {
            var c = config("tabular-dac")
            edit(&c)
            do { _ = try RunPlan(config: c, registry: registry, algorithms: .standard) } catch let e as TrainingError { return e.message } catch {
                return "\(error)"
            }
            return nil
        }
        #expect(problem { _ in } == nil)
        #expect(problem { $0.algorithmSettings = .object([("preference_min", .real(2)), ("preference_max", .real(2))]) }
                == "tabular-dac settings: preference_min T_m must be below preference_max T_M (Algorithm 1 needs T_m < T_M), got T_m = 2.0, T_M = 2.0")
        #expect(problem { $0.task = "random-mdp-v1"; $0.parameters = [:] }
                == "algorithm tabular-dac needs a multi-agent task (its learners act together in one environment), but random-mdp-v1 is a single-agent task; use mpe/simple-spread-v1 or random-mdp/local-actions-v1")
        #expect(problem { $0.algorithm = "a2c" }?.hasPrefix("task random-mdp/local-actions-v1 is a multi-agent task (its agents act together), but algorithm a2c trains single-agent learners") == true)
        #expect(problem { $0.agents = 5 }
                == "a decentralised run of random-mdp/local-actions-v1 has one learner per agent of the task (3), got agents 5; change the task's agents parameter instead")
        #expect(problem { $0.task = "mpe/simple-spread-v1"; $0.parameters = [:] }?.hasPrefix("algorithm tabular-dac acts in discrete action spaces, but agent 0 of mpe/simple-spread-v1 has") == true
                || problem { $0.task = "mpe/simple-spread-v1"; $0.parameters = [:] }?.hasPrefix("algorithm tabular-dac keeps tables") == true)
        #expect(problem { $0.algorithm = "joint-q-learning" }?.hasPrefix("algorithm joint-q-learning does not run in the decentralised architecture") == true)
        #expect(problem { $0.parameters = ["observation_one_hot": 1] } != nil)
    }
}
