import Communication
import Envs
import Foundation
import PolicyGradient
import Testing
import Training
import TrainingCatalogue

@Suite("Paper 002: PG and LAPG with M learners in one multi-agent task")
struct DistributedPGTests {
    let registry = try! TaskRegistry.standard

    func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("shoal-pg-\(UUID().uuidString)").path
    }

    /// A small run: M = 2 heterogeneous, N = 4, a 8-unit network, 24 rounds.
    func config(_ strategy: String, lazy: JSONValue = .object([]), rounds: Int = 24, threads: Int = 1) -> RunConfig {
        var c = RunConfig()
        c.task = "mpe/lapg-2-heterogeneous-v1"
        c.algorithm = "pg"
        c.strategy = strategy
        c.rounds = rounds
        c.checkpointEvery = 10
        c.logEvery = 2
        c.evalEpisodes = 2
        c.threads = threads
        c.algorithmSettings = .object([("episodes", .integer(4)), ("hidden", .array([.integer(8)])), ("momentum", .real(0.6))])
        if strategy == "lazy-aggregation" { c.strategySettings = lazy }
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

    func comparable(_ directory: RunDirectory, dropping extra: [String] = []) throws -> [JSONValue] {
        try directory.metricsLines().map { line in
            .object(line.objectPairs!.filter { !(["wall_seconds", "perf/env_steps_per_second"] + extra).contains($0.key) })
        }
    }

    func finalTheta(_ directory: RunDirectory) throws -> [Float] {
        try #require(try directory.latestValidCheckpoint()?.tensors["theta"])
    }

    @Test("condition (16)'s right-hand side and decision, on hand-computed values")
    func thresholdGolden() {
        // (0.5·4 + 0.25·8) / (0.1² · 2²) + 6 · 0.5 = 4 / 0.04 + 3 = 103.
        #expect(abs(lazyUploadThreshold(xi: [0.5, 0.25], parameterChanges: [4, 8], stepSize: 0.1, learners: 2, variance: 0.5) - 103) < 1e-9)
        // Fewer changes than D (the first rounds): the missing ones count as 0.
        #expect(abs(lazyUploadThreshold(xi: [0.5, 0.25], parameterChanges: [4], stepSize: 0.1, learners: 2, variance: 0) - 50) < 1e-9)
        // M = 5, α = 0.01, ξ = (0.2): 0.2 · 1e-4 / (1e-4 · 25) = 0.008.
        #expect(abs(lazyUploadThreshold(xi: [0.2], parameterChanges: [1e-4], stepSize: 0.01, learners: 5, variance: 0) - 0.008) < 1e-15)
        #expect(lazyUploadThreshold(xi: [0], parameterChanges: [7], stepSize: 0.01, learners: 3, variance: 0) == 0)
        #expect(lazyShouldUpload(innovation: 103, threshold: 103))      // ties upload
        #expect(!lazyShouldUpload(innovation: 102.9, threshold: 103))
        #expect(lazyShouldUpload(innovation: 0, threshold: 0))          // ξ = 0, σ² = 0: always
    }

    @Test("a sample of L (Lemma 3) and Theorem 1's step-size bound, on hand-computed values")
    func smoothnessGolden() {
        // N = 2 paired episodes of one value: d = (2, 4), d̄ = 3, ‖d̄‖² = 9, Σ(d − d̄)² = 2, noise
        // 2 / (2·1) = 1; over ‖θ₁ − θ₂‖ = 0.5: raw 3/0.5 = 6, debiased √8/0.5.
        let a = smoothnessSample([3, 5], [1, 1], episodes: 2, size: 1, distance: 0.5)
        #expect(a.raw == 6)
        #expect(abs(a.debiased - 8.0.squareRoot() / 0.5) < 1e-12)
        // Identical differences: no noise, raw = debiased = ‖(1, 0)‖ / 2.
        let b = smoothnessSample([1, 0, 1, 0], [0, 0, 0, 0], episodes: 2, size: 2, distance: 2)
        #expect(b.raw == 0.5 && b.debiased == 0.5)
        // d = (1, −0.5): ‖d̄‖² = 0.0625 below the noise 0.5625: the change is not resolved.
        let c = smoothnessSample([1, -0.5], [0, 0], episodes: 2, size: 1, distance: 1)
        #expect(c.raw == 0.25 && c.debiased == 0)
        // (1 − 3·(0.03·10)) / 50 = 0.1 / 50 = 0.002.
        #expect(abs(lapgStepSizeBound(xi: [Double](repeating: 0.03, count: 10), smoothness: 50) - 0.002) < 1e-15)
        // Σξ ≥ 1/3: no step size meets eq. (21).
        #expect(lapgStepSizeBound(xi: [0.2, 0.2], smoothness: 10) < 0)
    }

    @Test("the σ² rules of condition (16): as written, zero, and the innovation's expected noise")
    func varianceTermGolden() {
        #expect(lapgVarianceTerm(.estimated, fresh: 3, lagged: 9) == 3)
        #expect(lapgVarianceTerm(.zero, fresh: 3, lagged: 9) == 0)
        // 6σ² = σ̂²(θ^k) + σ̂²(θ̂) = 12.
        #expect(lapgVarianceTerm(.innovationNoise, fresh: 3, lagged: 9) * 6 == 12)
        #expect(lazyUploadThreshold(xi: [0], parameterChanges: [1], stepSize: 0.1, learners: 2,
                                    variance: lapgVarianceTerm(.innovationNoise, fresh: 3, lagged: 9)) == 12)
    }

    @Test("the smoothness probe samples L near the trajectory, positive, and leaves the run's numbers unchanged")
    func smoothnessProbe() throws {
        var plain = config("central", rounds: 6)
        plain.checkpointEvery = 100
        var probed = plain
        probed.algorithmSettings = probed.algorithmSettings.setting("smoothness_every", to: .integer(3))
            .setting("smoothness_episodes", to: .integer(16)).setting("smoothness_pairs", to: .integer(2))
        let a = try train(plain, path: temporary()), b = try train(probed, path: temporary())
        #expect(try comparable(a) == comparable(b))
        let summary = try b.readSummary()
        let listed = summary["smoothness_samples"]?.arrayValue ?? []
        let samples = listed.compactMap { $0.doubleValue }
        #expect(samples.count == listed.count)
        // Probes at rounds 0 and 3, and after the last round (6): 3 × 2 pairs.
        #expect(samples.count == 6)
        #expect(samples.allSatisfy { $0 >= 0 && $0.isFinite })
        let raw = try #require(summary["smoothness_raw_estimate"]?.doubleValue)
        #expect(raw > 0 && raw >= samples.max()!)
        #expect(summary["smoothness_estimate"]?.doubleValue == samples.max())
    }

    @Test("ĝ_m and σ̂²_m from the N per-episode gradients, on hand-computed values")
    func gradientStatistics() {
        var mean: [Float] = []
        // g_1 = (1, 2), g_2 = (3, 6): ḡ = (2, 4); Σ‖g_n − ḡ‖² = (1 + 4) + (1 + 4) = 10; /(N(N−1)) = 5.
        #expect(episodeGradientStatistics([1, 2, 3, 6], episodes: 2, size: 2, mean: &mean) == 5)
        #expect(mean == [2, 4])
        // Three episodes of one scalar: 0, 3, 6 → mean 3, spread 18, /(3·2) = 3.
        #expect(episodeGradientStatistics([0, 3, 6], episodes: 3, size: 1, mean: &mean) == 3)
        #expect(mean == [3])
        #expect(episodeGradientStatistics([5, -1], episodes: 1, size: 2, mean: &mean) == 0)
    }

    @Test("the innovation restores the fresh gradient exactly; the aggregate sums the copies")
    func innovationAndAggregate() {
        var lagged: [Double] = [0, 0, 0]
        let g1: [Float] = [0.1, -3.7e-5, 1234.5]
        #expect(innovationSquaredNorm(fresh: g1, lagged: lagged) == Double(g1[0]) * Double(g1[0]) + Double(g1[1]) * Double(g1[1]) + Double(g1[2]) * Double(g1[2]))
        _ = applyInnovation(g1, to: &lagged)
        #expect(lagged == g1.map(Double.init))
        let g2: [Float] = [0.30000001, 2.5e-5, -0.001]
        let delta = applyInnovation(g2, to: &lagged)
        #expect(lagged == g2.map(Double.init))
        #expect(delta[0] == Double(g2[0]) - Double(g1[0]))
        var out: [Float] = []
        aggregateGradients([[1, 2], [0.5, -4]], into: &out)
        #expect(out == [1.5, -2])
    }

    @Test("with ξ = 0 and σ² forced to 0, LAPG equals PG bit for bit")
    func lapgReducesToPG() throws {
        let pg = try train(config("central"), path: temporary())
        let lapg = try train(config("lazy-aggregation", lazy: .object([("xi", .array([.real(0)])), ("variance", .string("zero"))])),
                             path: temporary())
        #expect(try comparable(pg) == comparable(lapg))
        #expect(try finalTheta(pg) == finalTheta(lapg))
        let last = try #require(try pg.metricsLines().last)
        #expect(last["comm/uploads"]?.doubleValue == Double(2 * 24))
        #expect(last["comm/broadcasts"]?.doubleValue == Double(2 * 24))
    }

    @Test("LAPG with ξ > 0 skips uploads, uploads everyone at the first round, and learns a different θ")
    func lapgSkips() throws {
        let lazy = try train(config("lazy-aggregation", lazy: .object([("xi", .array([.real(0.2), .real(0.1)]))])), path: temporary())
        let lines = try lazy.metricsLines()
        let first = try #require(lines.first)
        // Round 1 and 2 logged together: 2 uploads at round 1, at most 2 at round 2.
        #expect(first["comm/uploads"]!.doubleValue! >= 2)
        let last = try #require(lines.last)
        let uploads = last["comm/uploads"]!.doubleValue!
        #expect(uploads < 2 * 24)
        #expect(last["comm/broadcasts"]?.doubleValue == Double(2 * 24))
        let summary = try lazy.readSummary()
        #expect(summary["uploads"]?.doubleValue == uploads)
        let pg = try train(config("central"), path: temporary())
        #expect(try finalTheta(pg) != finalTheta(lazy))
    }

    @Test("same seed, same metrics on 1 and 2 threads; a killed and resumed run equals an uninterrupted one",
          arguments: ["central", "lazy-aggregation"])
    func determinismAndResume(strategy: String) throws {
        let c = config(strategy, rounds: 20)
        let whole = try train(c, path: temporary())
        let lines = try comparable(whole)
        #expect(lines.count == 10)
        let threaded = try train(config(strategy, rounds: 20, threads: 2), path: temporary())
        #expect(try comparable(threaded) == lines)
        let path = temporary()
        _ = try train(c, path: path, stopAfter: 13)
        let resumed = try train(c, path: path, resume: true)
        #expect(try comparable(resumed) == lines)
        #expect(try finalTheta(resumed) == finalTheta(whole))
        var other = c
        other.seed = 9
        #expect(try comparable(train(other, path: temporary())) != lines)
    }

    @Test("bad settings and tasks are one sentence each, before a run directory exists")
    func badInput() throws {
        func problem(_ edit: (inout RunConfig) -> Void) -> String? {
            var c = config("lazy-aggregation")
            edit(&c)
            do { _ = try RunPlan(config: c, registry: registry, algorithms: .standard); return nil } catch { return "\(error)" }
        }
        #expect(problem { $0.strategySettings = .object([("xi", .array([.real(0.1), .real(0.2)]))]) }
                == "lazy-aggregation settings: xi must be non-increasing (ξ_1 ≥ ξ_2 ≥ …), got [0.1, 0.2]")
        #expect(problem { $0.strategySettings = .object([("xi", .array([]))]) } == "lazy-aggregation settings: xi must list at least one weight (D ≥ 1)")
        #expect(problem { $0.strategySettings = .object([("xi", .array([.real(-0.1)]))]) }
                == "lazy-aggregation settings: xi must hold finite non-negative weights, got -0.1")
        #expect(problem { $0.algorithmSettings = .object([("episodes", .integer(0))]) } == "pg settings: episodes N must be at least 1, got 0")
        #expect(problem { $0.algorithmSettings = .object([("episodes", .integer(1))]) }
                == "LAPG estimates σ²_m from the spread of the N per-episode gradients, so pg.episodes must be at least 2 (or set lazy-aggregation.variance=zero), got 1")
        #expect(problem { $0.algorithmSettings = .object([("momentum", .real(1))]) } == "pg settings: momentum β must lie in [0, 1), got 1.0")
        #expect(problem { $0.algorithmSettings = .object([("learning_rate", .real(0))]) } == "pg settings: learning_rate α must be a positive number, got 0.0")
        #expect(problem { $0.agents = 3 }
                == "the learners of a multi-agent task are its agents: task mpe/lapg-2-heterogeneous-v1 has 2, so agents must be 2 (or left out), got 3")
        #expect(problem { $0.task = "cart-pole-v1" }
                == "algorithm pg trains multi-agent tasks (such as mpe/simple-spread-v1), but cart-pole-v1 is a single-agent task")
        #expect(problem { $0.algorithm = "reinforce"; $0.algorithmSettings = .object([]) }
                == "task mpe/lapg-2-heterogeneous-v1 is a multi-agent task (its agents act together), but algorithm reinforce trains single-agent learners; use one of pg, tabular-dac, joint-q-learning, off-policy-dac, maddpg")
        #expect(problem { $0.strategy = "diffusion-atc"; $0.strategySettings = .object([]) }
                == "algorithm pg cannot drive strategy 'diffusion-atc'; it supports: central, lazy-aggregation")
        #expect(problem { $0.copiesPerTask = 2 }
                == "algorithm pg plays its N episodes as the copies of one batch (pg.episodes), so copies_per_task must be 1, got 2")
    }

    @Test("a reward scale ≤ 0 is refused by the task, naming the scale")
    func badRewardScale() throws {
        let task = try registry.multiAgentTask("mpe/simple-spread-v1")
        #expect(throws: (any Error).self) {
            _ = try task.makeMultiAgentVector([.object([("agents", .integer(2)), ("reward_scales", .array([.real(1), .real(0)]))])], threads: 1)
        }
        do {
            _ = try task.resolve(.object([("agents", .integer(2)), ("reward_scales", .array([.real(1), .real(-2)]))]), context: "x")
            _ = try task.makeMultiAgentVector([.object([("agents", .integer(2)), ("reward_scales", .array([.real(1), .real(-2)]))])], threads: 1)
            Issue.record("a negative reward scale was accepted")
        } catch {
            #expect("\(error)".contains("reward_scales[1] is -2: every reward scale must be a positive finite number"))
        }
    }
}

@Suite("The lazy-aggregation strategy uploads innovations (eq. 13b)")
struct LazyAggregationInnovationTests {
    @Test("uploads carry δ = u − û; a lost innovation is not acknowledged, so the next one carries it")
    func innovationsAndLoss() throws {
        var s = try LazyAggregation(agentCount: 2, xi: [0], noiseFloor: 0)
        var b = CohortBuffers(parameters: [[0, 0], [0, 0]])
        var t = InMemoryTransport(agentCount: 2)
        var l = MessageLedger(agentCount: 2)
        b.updates = [[2, 0], [0, 2]]
        _ = try s.communicate(round: 0, buffers: &b, transport: &t, ledger: &l)
        #expect(s.controllerCopies[1] == [0, 2])
        // Round 1: every link drops; learner 1's innovation (0, 2) is lost and not acknowledged.
        var lossy = InMemoryTransport(agentCount: 2, conditions: try LinkConditions(dropProbability: 1, seed: 1))
        b.updates = [[2, 0], [0, 4]]
        _ = try s.communicate(round: 1, buffers: &b, transport: &lossy, ledger: &l)
        #expect(s.controllerCopies[1] == [0, 2])
        #expect(s.lastUploaded[1] == [0, 2])
        // Round 2, links back: the innovation (0, 2) arrives and both copies agree on (0, 4).
        _ = try s.communicate(round: 2, buffers: &b, transport: &t, ledger: &l)
        #expect(s.controllerCopies[1] == [0, 4])
        #expect(s.lastUploaded[1] == [0, 4])
        // Uploads and broadcasts are told apart: 2 + 2 + 2 uploads (ξ = 0, every learner uploads), 3 × 2 broadcasts.
        #expect(l.uploads == 6)
        #expect(l.broadcasts == 6)
    }
}
