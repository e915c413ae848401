import Communication
import Envs
import Foundation
import PolicyGradient
import Testing
import Training
import TrainingCatalogue

@Suite("Dist-MTPS: factored linear Gaussian policies, ADMM on L, ridge on s")
struct DistMTPSTests {
    let registry = try! TaskRegistry.standard

    func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("shoal-mtps-\(UUID().uuidString)").path
    }

    func config(_ search: String = "reinforce", rounds: Int = 6, threads: Int = 1) -> RunConfig {
        var c = RunConfig()
        c.algorithm = "dist-mtps"
        c.taskSet = "cart-pole-continuous-25"
        c.topology = .random
        c.rounds = rounds
        c.checkpointEvery = 3
        c.logEvery = 1
        c.evalEpisodes = 2
        c.threads = threads
        c.algorithmSettings = .object([("policy_search", .string(search))])
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

    func problem(_ c: RunConfig) -> String? {
        do { _ = try RunPlan(config: c, registry: registry, algorithms: .standard); return nil } catch { return "\(error)" }
    }

    @Test("PoWER's reward-weighted update, by hand on 3 episodes")
    func powerGolden() {
        // θ = (1, 0); θ_i = (2, 0), (1, 1), (0, −1); R = 1, 2, 1 (Σ = 4):
        // θ̃ = θ + [1·(1, 0) + 2·(0, 1) + 1·(−1, −1)] / 4 = (1, 0) + (0, 1/4).
        var target = [0.0, 0.0]
        #expect(powerTarget(theta: [1, 0], explored: [[2, 0], [1, 1], [0, -1]], returns: [1, 2, 1], into: &target))
        #expect(target == [1, 0.25])
        // No positive return: no update.
        #expect(!powerTarget(theta: [1, 0], explored: [[2, 0]], returns: [0], into: &target))
        #expect(target == [1, 0])
    }

    @Test("REINFORCE's score of a linear Gaussian equals finite differences of its log-likelihood")
    func scoreMatchesFiniteDifferences() {
        let theta = [0.3, -1.2, 0.7, 2.0], phi = [0.5, -0.25, 1.5, 1], a = 0.9, sigma = 1.7
        var g = [Double](repeating: 0, count: 4)
        theta.withUnsafeBufferPointer { t in phi.withUnsafeBufferPointer { f in g.withUnsafeMutableBufferPointer {
            accumulateLinearGaussianScore(theta: t, features: f, action: a, sigma: sigma, weight: 2, into: $0) } } }
        for i in 0..<4 {
            var up = theta, down = theta
            up[i] += 1e-5
            down[i] -= 1e-5
            let fd = (linearGaussianLogLikelihood(theta: up, features: phi, action: a, sigma: sigma)
                - linearGaussianLogLikelihood(theta: down, features: phi, action: a, sigma: sigma)) / 2e-5
            #expect(abs(g[i] - 2 * fd) < 1e-6, "coordinate \(i): \(g[i]) vs \(2 * fd)")
        }
        // The log-likelihood itself: at the mean, −log(σ√(2π)).
        let mean = zip(theta, phi).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(linearGaussianLogLikelihood(theta: theta, features: phi, action: mean, sigma: 1) + 0.5 * log(2 * Double.pi)) < 1e-12)
    }

    @Test("the ridge s-step, θ = L s and the local cost in L, on hand-computed values")
    func ridgeAndCostGolden() {
        // L = [[1, 0], [0, 1], [0, 0]], θ̃ = (2, 3, 5), κ = 1: (LᵀL + I) s = (2, 3) → s = (1, 1.5).
        let basis: [Double] = [1, 0, 0, 1, 0, 0]
        var s = [0.0, 0.0]
        #expect(ridgeCoefficients(basis: basis, target: [2, 3, 5], ridge: 1, d: 3, r: 2, into: &s))
        #expect(abs(s[0] - 1) < 1e-12 && abs(s[1] - 1.5) < 1e-12)
        var theta = [0.0, 0.0, 0.0]
        factoredParameters(basis: [1, 2, 3, 4, 5, 6], coefficients: [1, -1], d: 3, r: 2, into: &theta)
        #expect(theta == [-1, -1, -1])
        // s = (1, 2), θ̃ = (3), μ = 0.5, N = 2: A = s sᵀ + 0.5 I, B = θ̃ sᵀ.
        var a = [Double](repeating: 0, count: 4), b = [0.0, 0.0]
        distMTPSLocalCost(coefficients: [1, 2], target: [3], mu: 0.5, agents: 2, d: 1, r: 2, a: &a, b: &b)
        #expect(a == [1.5, 2, 2, 4.5])
        #expect(b == [3, 6])
    }

    @Test("same seed, same metrics on 1 and 2 threads (REINFORCE and PoWER); a killed run resumes exactly")
    func determinism() throws {
        for search in ["reinforce", "power"] {
            let one = try comparable(train(config(search, threads: 1), path: temporary()))
            let two = try comparable(train(config(search, threads: 2), path: temporary()))
            #expect(one.count == 6)
            #expect(one == two, "\(search)")
            let path = temporary()
            _ = try train(config(search), path: path, stopAfter: 3)
            let resumed = try comparable(train(config(search), path: path, resume: true))
            #expect(resumed == one, "\(search) resumed")
            // Messages are counted: (1 + passes) · Σ|N_k| per round.
            let messages = one.last?["comm/messages"]?.doubleValue ?? 0
            #expect(messages > 0)
        }
    }

    @Test("REINFORCE and PoWER each raise the return on the 25 cart-poles within 60 rounds")
    func learns() throws {
        for search in ["reinforce", "power"] {
            var c = config(search, rounds: 60, threads: 2)
            c.logEvery = 10
            c.checkpointEvery = 60
            let lines = try train(c, path: temporary()).metricsLines()
            let first = try #require(lines.first?["train/episode_return"]?.doubleValue)
            let last = try #require(lines.last?["train/episode_return"]?.doubleValue)
            // From about 20 steps balanced at the random start to well above (release runs: 60–70).
            #expect(last > 1.5 * first, "\(search): \(first) → \(last)")
        }
    }

    @Test("after ADMM the agents hold one shared basis L")
    func agentsAgreeOnL() throws {
        var c = config("power", rounds: 4)
        c.strategySettings = .object([("passes", .integer(100))])
        let plan = try RunPlan(config: c, registry: registry, algorithms: .standard)
        let directory = try RunDirectory.create(at: temporary(), force: false)
        try directory.writeConfig(plan.config)
        var session = try plan.algorithm.openRun(plan: plan, directory: directory, resume: false)
        _ = try session.run(stopAfter: nil, progress: nil)
        let rows = try #require(try directory.latestValidCheckpoint()).tensors
        let first = try #require(rows["agent.0.row"] ?? rows.first { $0.key.hasSuffix(".row") }?.value)
        let layout = try #require(ADMMRowLayout(row: first))
        var spread = 0.0, size = 0.0
        for (name, row) in rows where name.hasSuffix(".row") {
            for i in 0..<(layout.d * layout.r) {
                spread = max(spread, Double(abs(row[layout.x + i] - first[layout.x + i])))
                size = max(size, Double(abs(first[layout.x + i])))
            }
        }
        #expect(size > 0)
        #expect(spread < 1e-2 * size, "L differs across agents by \(spread) (entries up to \(size))")
    }

    @Test("bad input gets one sentence: unknown policy_search, r < 1, r > d, a graph not connected, a discrete-action task")
    func badInput() throws {
        var c = config()
        c.algorithmSettings = .object([("policy_search", .string("powr"))])
        #expect(problem(c)?.contains("unknown Dist-MTPS policy_search 'powr'; did you mean 'power'?") == true, "\(problem(c) ?? "")")
        c.algorithmSettings = .object([("rank", .integer(0))])
        #expect(problem(c)?.contains("rank r must be at least 1, got 0") == true, "\(problem(c) ?? "")")
        c.algorithmSettings = .object([("rank", .integer(6))])
        #expect(problem(c)?.contains("rank r = 6 exceeds d = 5") == true, "\(problem(c) ?? "")")
        c.algorithmSettings = .object([])
        c.topology = .erdosRenyi
        c.edgeProbability = 0.01
        #expect(problem(c)?.contains("is not connected, and admm needs a connected graph") == true, "\(problem(c) ?? "")")
        c = config()
        c.taskSet = ""
        c.task = "cart-pole-v1"
        c.agents = 4
        #expect(problem(c)?.contains("algorithm dist-mtps acts in continuous (box) action spaces") == true, "\(problem(c) ?? "")")
        c = config()
        c.architecture = .centralised
        #expect(problem(c) != nil)
        c = config()
        c.strategy = "diffusion-atc"
        #expect(problem(c) != nil)
    }
}
