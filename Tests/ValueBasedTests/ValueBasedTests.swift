import Envs
import Foundation
import Testing
import Training
import TrainingCatalogue
import ValueBased

@Suite("Value-based distributed learning: update rules, triggers, runs")
struct ValueBasedTests {
    let registry = try! TaskRegistry.standard

    func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("shoal-vb-\(UUID().uuidString)").path
    }

    func config(_ algorithm: String, rounds: Int = 200) -> RunConfig {
        var c = RunConfig()
        c.task = "grid-world/simple-5x5-v1"
        c.algorithm = algorithm
        c.agents = 5
        c.rounds = rounds
        c.checkpointEvery = 50
        c.logEvery = 10
        c.evalEpisodes = 1
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

    @Test("Δ(u) and the central DQL update, on hand-computed values")
    func dqlUpdate() {
        // 3 states × 2 actions.
        var q: [Double] = [0, 1, 2, 4, 0, 0]
        let u1 = Transition(state: 0, action: 1, reward: -1, next: 1, terminal: false)
        let u2 = Transition(state: 0, action: 1, reward: -1, next: 2, terminal: true)
        // Δ(u1) = −1 + 0.9 · max(2, 4) − 1 = 1.6; Δ(u2) = −1 + 0 − 1 = −2.
        #expect(abs(temporalDifference(u1, q: q, actions: 2, discount: 0.9) - 1.6) < 1e-12)
        #expect(temporalDifference(u2, q: q, actions: 2, discount: 0.9) == -2)
        let u3 = Transition(state: 1, action: 0, reward: 0, next: 0, terminal: false)   // Δ = 0 + 0.9 · 1 − 2 = −1.1
        var sums: [Double] = [], counts: [Int] = []
        distributedQUpdate(q: &q, samples: [u1, u2, u3], actions: 2, learningRate: 0.5, discount: 0.9, sums: &sums, counts: &counts)
        // Q(0,1) += 0.5 · mean(1.6, −2) = −0.1; Q(1,0) += 0.5 · (−1.1), computed with the old Q(0, ·).
        #expect(abs(q[1] - 0.9) < 1e-12)
        #expect(abs(q[2] - 1.45) < 1e-12)
        #expect(q[0] == 0 && q[3] == 4)
    }

    @Test("EBCDQL's trigger and level, on hand-computed values")
    func trigger() {
        var level = 0.0
        #expect(!eventTriggered(tdError: 0.04, level: &level, rho: 1, beta: 0.5, floor: 0.05))   // below the floor ε
        #expect(abs(level - 0.02) < 1e-12)
        #expect(eventTriggered(tdError: -1, level: &level, rho: 1, beta: 0.5, floor: 0.05))      // |Δ| ≥ max(0.02, 0.05)
        #expect(abs(level - 0.51) < 1e-12)
        #expect(!eventTriggered(tdError: 0.3, level: &level, rho: 1, beta: 0.5, floor: 0.05))    // 0.3 < ρL = 0.51
        #expect(abs(level - 0.405) < 1e-12)
        #expect(eventTriggered(tdError: 0.3, level: &level, rho: 0.5, beta: 0.5, floor: 0.05))   // 0.3 ≥ 0.2025
    }

    @Test("DAVIA's semi-gradient, predicted decrease and threshold, on hand-computed values")
    func davia() {
        let theta: [Double] = [1, -2, 0]
        let samples = [Transition(state: 0, action: 0, reward: -1, next: 1, terminal: false),
                       Transition(state: 1, action: 0, reward: -1, next: 2, terminal: true)]
        // Targets: −1 + 0.5·(−2) = −2 and −1. Errors θ_s − target: 3 and −1; ĝ = (1/2)(3, −1, 0).
        var g: [Double] = []
        daviaSemiGradient(samples: samples, theta: theta, discount: 0.5, into: &g)
        #expect(g == [1.5, -0.5, 0])
        // J(θ) = (9 + 1)/2 = 5; θ − 1·ĝ = (−0.5, −1.5, 0): errors −1.5 and 0.5, J = (2.25 + 0.25)/2 = 1.25.
        #expect(abs(daviaPredictedDecrease(samples: samples, theta: theta, gradient: g, stepSize: 1, discount: 0.5) - 3.75) < 1e-12)
        #expect(abs(daviaThreshold(lambda: 0.01, rho: 2, episodes: 5, episode: 1) - 0.01 / 8) < 1e-15)
        #expect(daviaThreshold(lambda: 0.01, rho: 2, episodes: 5, episode: 4) == 0.01)
    }

    @Test("ε-greedy: the arg-max at ε = 0 with ties broken at random, uniform at ε = 1")
    func epsilonGreedyChoice() {
        var g = RandomGenerator(seed: 3)
        let values: [Double] = [0, 5, 1, 5]
        var seen = Set<Int>(), counts = [0, 0, 0, 0]
        for _ in 0..<400 { seen.insert(epsilonGreedy(values, offset: 0, count: 4, epsilon: 0, generator: &g)) }
        #expect(seen == [1, 3])
        for _ in 0..<4000 { counts[epsilonGreedy(values, offset: 0, count: 4, epsilon: 1, generator: &g)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 1000) < 150 }, "\(counts)")
    }

    @Test("DQL and DAVIA learn Simple Grid to the optimum; EBCDQL and DAVIA send fewer messages than DQL")
    func learnSimpleGrid() throws {
        var results: [String: JSONValue] = [:]
        for algorithm in ["dql", "ebcdql", "davia"] {
            results[algorithm] = try train(config(algorithm), path: temporary()).readSummary()
        }
        // The shortest path is 8 moves: −1 on each but the last, −7 (discounted −5.217 at γ = 0.9).
        #expect(results["dql"]?["mean_eval_return"]?.doubleValue == -7)
        #expect(results["davia"]?["mean_eval_return"]?.doubleValue == -7)
        let dqlMessages = results["dql"]!["messages"]!.doubleValue!
        // DQL: 5 uploads and 5 broadcasts per episode.
        #expect(dqlMessages == 200 * 10)
        #expect(results["ebcdql"]!["messages"]!.doubleValue! < dqlMessages)
        #expect(results["davia"]!["messages"]!.doubleValue! < dqlMessages)
    }

    @Test("same seed, same metrics; a killed and resumed run equals an uninterrupted one", arguments: ["dql", "ebcdql", "davia"])
    func determinismAndResume(algorithm: String) throws {
        let c = config(algorithm, rounds: 120)
        let whole = try train(c, path: temporary())
        let lines = try comparable(whole)
        #expect(lines.count == 12)
        #expect(lines == (try comparable(try train(c, path: temporary()))))
        var other = c
        other.seed = 9
        #expect(lines != (try comparable(try train(other, path: temporary()))))
        let path = temporary()
        _ = try train(c, path: path, stopAfter: 70)
        #expect(try comparable(try train(c, path: path, resume: true)) == lines)
        // Frequency is a fraction of the agents, size at least one sample when anything was sent.
        for line in lines {
            let f = line["comm/message_frequency"]!.doubleValue!
            #expect(f >= 0 && f <= 1)
            if f > 0 { #expect(line["comm/message_size"]!.doubleValue! >= 1) }
        }
        #expect(lines.first!["train/discounted_return"]?.doubleValue != nil)
    }

    @Test("bad input is one sentence before anything runs")
    func badInput() {
        func problem(_ edit: (inout RunConfig) -> Void) -> String? {
            var c = config("dql")
            edit(&c)
            do { _ = try RunPlan(config: c, registry: registry, algorithms: .standard) } catch let e as TrainingError { return e.message } catch {
                return "\(error)"
            }
            return nil
        }
        #expect(problem { $0.algorithmSettings = .object([("exploration", .real(1.5))]) } == "dql settings: exploration ε must lie in [0, 1], got 1.5")
        #expect(problem { $0.algorithm = "ebcdql"; $0.algorithmSettings = .object([("exploration", .real(-0.1))]) }
                == "ebcdql settings: exploration ε must lie in [0, 1], got -0.1")
        #expect(problem { $0.task = "cart-pole/continuous-v1" }?.hasPrefix("algorithm dql acts in discrete action spaces, but cart-pole/continuous-v1 has") == true)
        #expect(problem { $0.task = "cart-pole-v1" }?.hasPrefix("algorithm dql keeps a table over finitely many states, but cart-pole-v1 observes") == true)
        #expect(problem { $0.algorithm = "davia"; $0.algorithmSettings = .object([("rho", .real(1))]) } == "davia settings: rho must be greater than 1, got 1.0")
        #expect(problem { $0.strategy = "diffusion-atc" } == "algorithm dql cannot drive strategy 'diffusion-atc'; it supports: central")
        #expect(problem { $0.linkDrop = 0.2 } == "algorithm dql sends its samples to the centre without links that fail, so link_drop and link_noise must be 0")
        #expect(problem { $0.copiesPerTask = 2 } == "algorithm dql runs one episode per agent and round, so copies_per_task must be 1, got 2")
    }
}
