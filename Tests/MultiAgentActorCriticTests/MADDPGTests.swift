import Communication
import Envs
import Foundation
@testable import MultiAgentActorCritic
import NeuralNets
import Testing
import Training
import TrainingCatalogue

@Suite("MADDPG: centralised critics, deterministic actors, Gumbel-softmax")
struct MADDPGTests {
    let registry = try! TaskRegistry.standard

    func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("shoal-maddpg-\(UUID().uuidString)").path
    }

    @Test("Gumbel-softmax: values by hand, and its backward pass against finite differences")
    func gumbelSoftmaxGolden() {
        let z: [Float] = [0.5, -1.0, 2.0], g: [Float] = [0.1, 0.3, -0.2]
        var a = [Float](repeating: 0, count: 3)
        z.withUnsafeBufferPointer { zz in g.withUnsafeBufferPointer { gg in a.withUnsafeMutableBufferPointer { gumbelSoftmax(logits: zz, gumbel: gg, into: $0) } } }
        // softmax(0.6, −0.7, 1.8): e^{0.6} = 1.822119, e^{−0.7} = 0.496585, e^{1.8} = 6.049647, sum 8.368351.
        let expected: [Float] = [1.822119 / 8.368351, 0.496585 / 8.368351, 6.049647 / 8.368351]
        for k in 0..<3 { #expect(abs(a[k] - expected[k]) < 1e-5) }
        // L = Σ c_k a_k; ∂L/∂z by the Jacobian against central differences in Double.
        let cvec: [Float] = [0.7, -1.3, 0.4]
        var grad = [Float](repeating: 0, count: 3)
        a.withUnsafeBufferPointer { aa in cvec.withUnsafeBufferPointer { cc in grad.withUnsafeMutableBufferPointer { gumbelSoftmaxBackward(action: aa, actionGradient: cc, addingInto: $0) } } }
        func loss(_ zz: [Double]) -> Double {
            let e = (0..<3).map { exp(zz[$0] + Double(g[$0])) }, s = e.reduce(0, +)
            return (0..<3).reduce(0.0) { $0 + Double(cvec[$1]) * e[$1] / s }
        }
        for k in 0..<3 {
            var p = z.map(Double.init), m = p
            p[k] += 1e-5; m[k] -= 1e-5
            let fd = (loss(p) - loss(m)) / 2e-5
            #expect(abs(Double(grad[k]) - fd) < 1e-5, "logit \(k): \(grad[k]) vs \(fd)")
        }
        // Gumbel noise of u = e^{−1}: −log(−log e^{−1}) = 0.
        #expect(abs(gumbelNoise(uniform: exp(-1.0))) < 1e-6)
    }

    @Test("the sigmoid-bounded actor: value and slope against finite differences")
    func sigmoidActorGolden() {
        #expect(abs(sigmoidBoundedAction(0, low: 0, high: 1) - 0.5) < 1e-7)
        #expect(abs(sigmoidBoundedAction(0, low: -2, high: 2)) < 1e-7)
        for z: Float in [-3, -0.4, 0, 1.7] {
            let fd = (Double(sigmoidBoundedAction(z + 1e-3, low: -1, high: 3)) - Double(sigmoidBoundedAction(z - 1e-3, low: -1, high: 3))) / 2e-3
            #expect(abs(Double(sigmoidBoundedSlope(z, low: -1, high: 3)) - fd) < 1e-3)
        }
    }

    @Test("the critic target y = r + γ(1 − done) Q′ by hand on a tiny batch")
    func criticTargetByHand() throws {
        #expect(maddpgCriticTarget(reward: -1.5, done: false, discount: 0.95, nextValue: 2) == Float(-1.5) + Float(0.95) * 2)
        #expect(maddpgCriticTarget(reward: -1.5, done: true, discount: 0.95, nextValue: 2) == -1.5)
        // Through the learner: a 2-entry buffer, batch 2, the critic's targets recomputed by hand
        // from its target networks after one update with a zero learning rate.
        var s = MADDPGConfig()
        s.hidden = [4]; s.batchSize = 2; s.replayCapacity = 4; s.learningStarts = 0; s.updateEvery = 1_000_000; s.learningRate = 1e-9
        let env = try registry.makeMultiAgent("mpe/simple-spread-v1", count: 2, overrides: .object([("continuous", .bool(true)), ("agents", .integer(2))]))
        var c = try JointCohort(learners: [try s.makeLearner(JointLearnerContext(index: 0, agents: [0, 1], layout: JointLayout(env), learners: 1, seed: 3))],
                                environment: env)
        c.restart(seed: 1)
        _ = try c.runRound(steps: 1)
        var l = c.learners[0]
        #expect(l.replay.count == 2)
        var g = RandomGenerator(seed: 9)
        var d = LearnerDiagnostics()
        try l.update(generator: &g, diagnostics: &d)
        // Agent 1 (the last updated) used targets from the target critic on (o′, μ′(o′)): rebuild them.
        let w = l.width, O = l.observationTotal, A = l.actionTotal
        for (b, slot) in l.slots.enumerated() {
            let e = Array(l.replay.entry(slot))
            var input = Array(e[(O + A + 2)..<(O + A + 2 + O)]) + [Float](repeating: 0, count: A)
            for j in 0..<2 {
                let o = Array(e[(O + A + 2 + l.observationOffsets[j])..<(O + A + 2 + l.observationOffsets[j] + l.observationSizes[j])])
                let z = try l.targetActors[j](o)
                for k in 0..<5 { input[O + l.actionOffsets[j] + k] = sigmoidBoundedAction(z[k], low: 0, high: 1) }
            }
            let q = try c.learners[0].targetCritics[1](input)[0]  // targets before the soft update
            let y = e[O + A + 1] + 0.95 * (e[w - 1] != 0 ? 0 : 1) * q
            #expect(abs(l.targets[b] - y) < 1e-4, "row \(b): \(l.targets[b]) vs \(y)")
        }
    }

    @Test("per-tensor clipping scales each tensor to norm 0.5 on its own")
    func clipping() throws {
        let layout = try ParameterLayout([(name: "a", shape: [2]), (name: "b", shape: [2])])
        var g = try ParameterVector(layout: layout, values: [3, 4, 0.1, 0.2])
        clipEveryTensor(&g, maxNorm: 0.5)
        #expect(abs(g.values[0] - 0.3) < 1e-6 && abs(g.values[1] - 0.4) < 1e-6)
        #expect(g.values[2] == 0.1 && g.values[3] == 0.2)
    }

    func config(continuous: Bool = true) -> RunConfig {
        var c = RunConfig()
        c.task = "mpe/simple-spread-v1"
        if continuous { c.parameters = ["continuous": 1] }
        c.algorithm = "maddpg"
        c.architecture = .centralised
        c.rounds = 8
        c.checkpointEvery = 4
        c.logEvery = 2
        c.evalEpisodes = 1
        c.threads = 1
        c.tensorboard = false
        c.algorithmSettings = .object([("hidden", .array([.integer(8)])), ("replay_capacity", .integer(300)), ("batch_size", .integer(16)),
                                       ("learning_starts", .integer(60)), ("update_every", .integer(10))])
        return c
    }

    func train(_ config: RunConfig, path: String, resume: Bool = false, stopAfter: Int? = nil) throws -> [JSONValue] {
        let plan = try RunPlan(config: config, registry: registry, algorithms: .standard)
        let d = resume ? try RunDirectory.open(at: path) : try RunDirectory.create(at: path, force: false)
        if !resume { try d.writeConfig(plan.config) }
        var s = try plan.algorithm.openRun(plan: plan, directory: d, resume: resume)
        _ = try s.run(stopAfter: stopAfter, progress: nil)
        return try d.metricsLines().map { .object($0.objectPairs!.filter { !["wall_seconds", "perf/env_steps_per_second"].contains($0.key) }) }
    }

    @Test("a run through the registry, box and discrete: it learns (losses logged), 1 and 2 threads agree, resume equals uninterrupted",
          arguments: [true, false])
    func runDeterminismAndResume(_ continuous: Bool) throws {
        let c = config(continuous: continuous)
        let lines = try train(c, path: temporary())
        #expect(lines.count == 4)
        #expect(lines.last!["loss/value"]?.doubleValue?.isFinite == true)
        #expect(lines.first!["loss/value"]?.doubleValue == nil)  // 60 entries before the first update: rounds 1–2 wait
        // Simple spread's episode counters are logged: collisions ≥ 0, 0…3 landmarks covered.
        let collisions = lines.last!["env/collisions"]?.doubleValue, covered = lines.last!["env/landmarks_covered"]?.doubleValue
        #expect(collisions.map { $0 >= 0 } == true && covered.map { $0 >= 0 && $0 <= 3 } == true)
        var threaded = c
        threaded.threads = 2
        #expect(try train(threaded, path: temporary()) == lines)
        let path = temporary()
        _ = try train(c, path: path, stopAfter: 4)
        #expect(try train(c, path: path, resume: true) == lines)
    }

    @Test("a batch larger than the buffer holds at the first update waits instead of trapping")
    func batchWaits() throws {
        var s = MADDPGConfig()
        s.hidden = [4]; s.batchSize = 30; s.replayCapacity = 100; s.learningStarts = 0; s.updateEvery = 1
        let env = try registry.makeMultiAgent("mpe/simple-spread-v1", count: 1, overrides: .object([]))
        var c = try JointCohort(learners: [try s.makeLearner(JointLearnerContext(index: 0, agents: [0, 1, 2], layout: JointLayout(env), learners: 1, seed: 3))],
                                environment: env)
        c.restart(seed: 2)
        _ = try c.runRound(steps: 29)
        #expect(c.learners[0].updates == 0)
        _ = try c.runRound(steps: 1)
        #expect(c.learners[0].updates == 1)
    }

    @Test("bad input is one sentence: capacity or batch below 1, batch above capacity, the decentralised architecture; the action-kind sentences")
    func badInput() {
        func problem(_ edit: (inout RunConfig) -> Void) -> String? {
            var c = config()
            c.algorithmSettings = .object([])
            edit(&c)
            do { _ = try RunPlan(config: c, registry: registry, algorithms: .standard) } catch let e as TrainingError { return e.message } catch {
                return "\(error)"
            }
            return nil
        }
        #expect(problem { _ in } == nil)
        #expect(problem { $0.parameters = [:] } == nil)  // discrete simple spread: Gumbel-softmax
        #expect(problem { $0.algorithmSettings = .object([("batch_size", .integer(0))]) } == "maddpg settings: batch_size must be at least 1, got 0")
        #expect(problem { $0.algorithmSettings = .object([("replay_capacity", .integer(0))]) } == "maddpg settings: replay_capacity must be at least 1, got 0")
        #expect(problem { $0.algorithmSettings = .object([("replay_capacity", .integer(100)), ("batch_size", .integer(200)), ("learning_starts", .integer(0))]) }
                == "maddpg settings: batch_size (200) cannot exceed replay_capacity (100): the buffer could never hold a whole batch")
        #expect(problem { $0.architecture = .decentralised }?.contains("centralised") == true)
        // A continuous algorithm on a discrete task, and the reverse.
        #expect(problem { $0.algorithm = "off-policy-dac"; $0.architecture = .decentralised; $0.weights = .maximumDegree; $0.parameters = [:] }?
            .hasPrefix("algorithm off-policy-dac acts in continuous (box) action spaces") == true)
        #expect(problem { $0.algorithm = "tabular-dac"; $0.architecture = .decentralised }?.contains("discrete") == true)
    }
}
