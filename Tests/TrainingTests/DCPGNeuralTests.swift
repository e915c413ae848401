import ActorCritic
import Communication
import Envs
import Foundation
import NeuralNets
import PolicyGradient
import Testing
import Training
import TrainingCatalogue

@Suite("DCPG neural modes: the regulariser gradient, the learners' own steps at λ = 0, threads, bad input")
struct DCPGNeuralTests {
    let registry = try! TaskRegistry.standard

    /// Four agents on a ring over the scan-observed indoor worlds (short episodes).
    func navigationConfig(gradient: String, lambda: Double = 0.05, strategy: String = "consensus", rounds: Int = 2) -> RunConfig {
        var c = RunConfig()
        c.algorithm = "dcpg"
        c.taskSet = "navigation-indoor-4-scan"
        c.parameters = ["max_episode_steps": 12]
        c.architecture = strategy == "none" ? .specialised : .decentralised
        c.strategy = strategy
        c.topology = .ring
        c.weights = .lazyMetropolis
        c.rounds = rounds
        c.checkpointEvery = rounds
        c.logEvery = rounds
        c.evalEpisodes = 1
        c.threads = 1
        c.tensorboard = false
        c.algorithmSettings = .object([
            ("gradient", .string(gradient)), ("lambda", .real(lambda)),
            ("reinforce", .object([("hidden", .array([.integer(8)])), ("trajectories_per_update", .integer(2)), ("learning_rate", .real(0.05))])),
            ("a2c", .object([("hidden", .array([.integer(8)])), ("steps_per_update", .integer(6))])),
            ("ppo", .object([("hidden", .array([.integer(8)])), ("steps_per_rollout", .integer(8)), ("minibatch_size", .integer(4)), ("epochs", .integer(2))])),
        ])
        return c
    }

    func learner(_ plan: RunPlan, _ k: Int = 0) throws -> (DCPGLearner, LearnerContext) {
        let settings = try resolveSettings(DCPGConfig.self, from: plan.config.algorithmSettings, defaults: DCPGConfig(), context: "dcpg")
        let (assignments, tasks) = plan.rows(ofLearner: k)
        let env = try plan.task.makeVector(assignments, threads: 1)
        let context = LearnerContext(index: k, environment: env, tasks: tasks, seed: 7, learners: plan.learnerTasks.count, strategy: plan.strategy,
                                     task: plan.task, assignments: assignments, weights: plan.graph.map { plan.config.weights.weights(for: $0) })
        return (try settings.makeLearner(context), context)
    }

    @Test func regularizerGradientMatchesFiniteDifferencesOnASmallMLP() throws {
        // Golden: uniform logits have zero gradient and value log(1/|A|).
        var zero = [Float](repeating: 0, count: 6)
        let v = addUniformRegularizerGradient(logits: [0, 0, 0, 1, 1, 1], rows: 2, lambda: 0.5, into: &zero)
        #expect(abs(v - log(1.0 / 3)) < 1e-12 && zero.allSatisfy { abs($0) < 1e-7 })
        // Two actions, logits (0, ln 3): π = (¼, ¾); the loss gradient is −λ(½ − π) = (−λ/4, +λ/4).
        var g: [Float] = [0, 0]
        let w = addUniformRegularizerGradient(logits: [0, Float(log(3.0))], rows: 1, lambda: 0.4, into: &g)
        #expect(abs(g[0] + 0.1) < 1e-6 && abs(g[1] - 0.1) < 1e-6)
        #expect(abs(w - 0.5 * (log(0.25) + log(0.75))) < 1e-6)
        // Through a 3 → 5 → 4 tanh MLP: the accumulated gradient of −λ·mean_r (1/|A|) Σ_a log π(a|s_r)
        // against central differences of the same loss (in Double from Float log-probabilities).
        let lambda: Float = 0.7
        var model = try PolicyValueModel(observationSize: 3, actionSpace: .discrete(4), hidden: [5], activation: .tanh, kind: .categorical,
                                         withCritic: false, seed: 3, batchCapacity: 4)
        // Larger output weights than the 0.01-gain default, so that π is far from uniform.
        var row: [Float] = []
        model.copyParameters(into: &row)
        var h = SplitMix64(seed: 11)
        for i in row.indices { row[i] = Float(Double(h.next() % 2001) / 1000 - 1) }
        try model.loadParameters(from: row)
        let observations: [Float] = [0.3, -0.8, 0.5, 1.0, 0.2, -0.4, -0.6, 0.9, 0.1, 0.0, -0.3, 0.7]
        let rows = 4
        model.uniformRegularizer = lambda
        model.zeroGradients()
        _ = try observations.withUnsafeBufferPointer {
            try model.accumulatePolicyGradient(observations: $0, rawActions: [0, 1, 2, 3], weights: [0, 0, 0, 0], entropyCoefficient: 0, rows: rows)
        }
        let analytic = model.actorGradient.values
        func loss(_ m: inout PolicyValueModel) throws -> Double {
            var total = 0.0
            var lp: [Float] = []
            for a in 0..<4 {
                try observations.withUnsafeBufferPointer {
                    try m.logProbs(observations: $0, rawActions: [Float](repeating: Float(a), count: rows), rows: rows, into: &lp)
                }
                total += lp.reduce(0) { $0 + Double($1) }
            }
            return -Double(lambda) * total / 4 / Double(rows)
        }
        let eps: Float = 1e-2
        var worst = 0.0
        for i in 0..<row.count {
            var plus = row, minus = row
            plus[i] += eps; minus[i] -= eps
            try model.loadParameters(from: plus)
            let up = try loss(&model)
            try model.loadParameters(from: minus)
            let down = try loss(&model)
            let numeric = (up - down) / Double(2 * eps)
            worst = max(worst, abs(numeric - Double(analytic[i])) / max(1e-2, abs(numeric)))
        }
        #expect(worst < 2e-2, "largest relative error \(worst)")
        #expect(analytic.contains { abs($0) > 1e-3 })
    }

    @Test func atLambdaZeroWithoutCommunicationTheStepIsTheLearnersOwn() throws {
        for gradient in ["reinforce", "a2c", "ppo"] {
            let plan = try RunPlan(config: navigationConfig(gradient: gradient, lambda: 0, strategy: "none"), registry: registry, algorithms: .standard)
            var (dcpg, context) = try learner(plan)
            let settings = try resolveSettings(DCPGConfig.self, from: plan.config.algorithmSettings, defaults: DCPGConfig(), context: "dcpg")
            var own: any Learner
            var regularized = try learner(try RunPlan(config: navigationConfig(gradient: gradient, lambda: 0.5, strategy: "none"),
                                                      registry: registry, algorithms: .standard)).0
            let env = try plan.task.makeVector(plan.rows(ofLearner: 0).0, threads: 1)
            switch gradient {
            case "reinforce": own = try ReinforceLearner(config: settings.reinforce, environment: env, tasks: context.tasks, seed: context.seed)
            case "a2c": own = try A2CLearner(config: settings.a2c, environment: env, tasks: context.tasks, seed: context.seed)
            default: own = try PPOLearner(config: settings.ppo, environment: env, tasks: context.tasks, seed: context.seed)
            }
            var start: [Float] = [], a: [Float] = [], b: [Float] = [], r: [Float] = []
            own.copyParameters(into: &start)
            for _ in 0..<2 {
                _ = try dcpg.learn(step: nil)
                _ = try own.learn(step: nil)
                _ = try regularized.learn(step: nil)
            }
            dcpg.copyParameters(into: &a); own.copyParameters(into: &b); regularized.copyParameters(into: &r)
            #expect(a == b, "\(gradient)")
            #expect(a != start, "\(gradient)")
            #expect(r != a, "\(gradient): λ > 0 changes the step")
            // The proposed step (for consensus) is the same step too.
            var s1 = [Float](repeating: 0, count: a.count), s2 = s1
            _ = try s1.withUnsafeMutableBufferPointer { try dcpg.learn(step: $0) }
            _ = try s2.withUnsafeMutableBufferPointer { try own.learn(step: $0) }
            #expect(s1 == s2, "\(gradient)")
        }
    }

    func finalRows(_ config: RunConfig) throws -> [Float] {
        let plan = try RunPlan(config: config, registry: registry, algorithms: .standard)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-dcpg-nn-\(UUID().uuidString)").path
        let directory = try RunDirectory.create(at: path, force: false)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var session = try plan.algorithm.openRun(plan: plan, directory: directory, resume: false)
        _ = try session.run(stopAfter: nil, progress: nil)
        let checkpoint = try #require(try directory.checkpoint(named: nil))
        return checkpoint.tensors.keys.sorted().filter { $0.hasPrefix("agent.") && !$0.contains("optim") }.flatMap { checkpoint.tensors[$0] ?? [] }
    }

    @Test func sameSeedSameNetworksWhateverTheThreadCount() throws {
        for gradient in ["reinforce", "a2c", "ppo"] {
            var c = navigationConfig(gradient: gradient)
            let one = try finalRows(c)
            c.threads = 2
            #expect(try finalRows(c) == one, "\(gradient)")
            #expect(!one.isEmpty)
        }
    }

    func planProblem(_ config: RunConfig) -> String {
        do {
            _ = try RunPlan(config: config, registry: registry, algorithms: .standard)
            return ""
        } catch { return "\(error)" }
    }

    @Test func badInputIsOneSentenceBeforeAnythingRuns() throws {
        #expect(planProblem(navigationConfig(gradient: "a2c")) == "")
        // A neural mode on a task observed by its state index.
        var chain = navigationConfig(gradient: "reinforce")
        chain.taskSet = "two-task-chain"
        chain.parameters = [:]
        let tabular = planProblem(chain)
        #expect(tabular.contains("dcpg's neural reinforce gradient needs observation vectors for a network"), "\(tabular)")
        // The reverse: a tabular mode on the navigation worlds.
        let reverse = planProblem(navigationConfig(gradient: "monte-carlo"))
        #expect(reverse.contains("needs a finite task observed by its state index") && reverse.contains("use a neural gradient"), "\(reverse)")
        // λ < 0.
        let negative = planProblem(navigationConfig(gradient: "ppo", lambda: -0.5))
        #expect(negative.contains("lambda (λ) must be a finite number ≥ 0, got -0.5"), "\(negative)")
        // A graph that is not connected.
        var apart = navigationConfig(gradient: "a2c")
        apart.topology = .erdosRenyi
        apart.edgeProbability = 0
        #expect(planProblem(apart).contains("is not connected"), "\(planProblem(apart))")
        // Momentum is not Algorithm 1's plain step; an unknown nested key is refused with the valid ones.
        var heavy = navigationConfig(gradient: "reinforce")
        heavy.algorithmSettings = heavy.algorithmSettings.setting("reinforce", to: .object([("momentum", .real(0.6))]))
        #expect(planProblem(heavy).contains("dcpg.reinforce.momentum must be 0, got 0.6"), "\(planProblem(heavy))")
        var typo = navigationConfig(gradient: "a2c")
        typo.algorithmSettings = typo.algorithmSettings.setting("a2c", to: .object([("learning_rat", .real(0.1))]))
        #expect(planProblem(typo).contains("unknown key 'learning_rat'; did you mean 'learning_rate'?"), "\(planProblem(typo))")
    }
}

@Suite("train/safe_flight: the navigation family's episode metric in the learners' reports and the metrics")
struct SafeFlightMetricTests {
    let registry = try! TaskRegistry.standard

    @Test func learnersReportTheMetricOfEachEndedEpisodeAndTheRunLogsItsMean() throws {
        // Each report's metrics pair with its episodes, and a flight of L planar steps of 0.4 m
        // covers at most 0.4·L metres.
        let task = try registry.task("navigation/indoor-planar-v1")
        let p = try task.resolve(.object([("observation", .string("scan")), ("max_episode_steps", .integer(15))]), context: "test")
        for algorithm in ["reinforce", "a2c"] {
            let env = try task.makeVector(repeating: p, count: 2, threads: 1)
            var learner: any Learner = algorithm == "a2c"
                ? try A2CLearner(config: A2CConfig(), environment: env, tasks: TaskAssignment(taskOfRow: [0, 0]), seed: 3)
                : try ReinforceLearner(config: ReinforceConfig(), environment: env, tasks: TaskAssignment(taskOfRow: [0, 0]), seed: 3)
            var seen = 0
            for _ in 0..<6 {
                let r = try learner.learn(step: nil)
                #expect(r.episodeMetrics.count == r.episodes.count, "\(algorithm)")
                for (e, m) in zip(r.episodes, r.episodeMetrics) {
                    #expect(m >= 0 && m <= 0.4 * Double(e.length) + 1e-4, "\(algorithm): \(m) m in \(e.length) steps")
                }
                seen += r.episodes.count
            }
            #expect(seen > 0, "\(algorithm)")
        }
        // A run logs their mean as train/safe_flight; a task without the metric does not.
        var c = RunConfig()
        c.algorithm = "a2c"
        c.taskSet = "navigation-indoor-4-scan"
        c.parameters = ["max_episode_steps": 15]
        c.rounds = 6; c.logEvery = 3; c.checkpointEvery = 6; c.evalEpisodes = 1; c.threads = 1; c.tensorboard = false
        func lines(_ c: RunConfig) throws -> [JSONValue] {
            let plan = try RunPlan(config: c, registry: registry, algorithms: .standard)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-msf-\(UUID().uuidString)").path
            let directory = try RunDirectory.create(at: path, force: false)
            defer { try? FileManager.default.removeItem(atPath: path) }
            var session = try plan.algorithm.openRun(plan: plan, directory: directory, resume: false)
            _ = try session.run(stopAfter: nil, progress: nil)
            return try directory.metricsLines()
        }
        let flights = try lines(c).compactMap { $0["train/safe_flight"]?.doubleValue }
        #expect(!flights.isEmpty && flights.allSatisfy { $0 > 0 && $0 <= 0.4 * 15 + 1e-4 }, "\(flights)")
        c.taskSet = "cart-pole-4"
        c.parameters = [:]
        if (try? registry.taskSet("cart-pole-4")) == nil { c.taskSet = ""; c.task = "cart-pole-v1" }
        #expect(try lines(c).allSatisfy { $0["train/safe_flight"]?.doubleValue == nil })
    }
}
