import Envs
import Training

/// One learner of Algorithm 1 (paper 004 §III; ``TabularActorCriticConfig``): its critic Q and
/// preferences ζ over the states and the combined action of the agents it controls (its own
/// action, or the joint action when it is the centralised learner). Its tables are private: it
/// sends nothing.
public struct TabularActorCriticLearner: JointLearner {
    public let settings: TabularActorCriticConfig
    public let controlled: TabularJointAgents
    /// Q[s · A + a].
    public internal(set) var q: [Double]
    /// ζ[s · A + a].
    public internal(set) var zeta: [Double]
    var probabilities: [Double]

    public var agents: [Int] { controlled.agents }

    public init(settings: TabularActorCriticConfig, context: JointLearnerContext) throws {
        self.settings = settings
        controlled = try TabularJointAgents(agents: context.agents, layout: context.layout, algorithm: TabularActorCriticConfig.name)
        let size = controlled.states * controlled.actionCount
        var g = RandomGenerator(seed: context.seed, index: 0)
        let c = settings.initialCriticScale
        q = (0..<size).map { _ in c > 0 ? g.uniform(-c, c) : 0 }
        zeta = [Double](repeating: 0, count: size)
        probabilities = [Double](repeating: 0, count: controlled.actionCount)
    }

    /// π(s, ·) into `probabilities`.
    mutating func policy(at s: Int) {
        let count = controlled.actionCount
        zeta.withUnsafeBufferPointer { z in
            probabilities.withUnsafeMutableBufferPointer { softmaxPolicy(z, offset: s * count, count: count, into: $0) }
        }
    }

    /// Draws from π(s, ·) (or takes its most likely action, the lowest index on ties).
    mutating func draw(at s: Int, greedy: Bool, generator: inout RandomGenerator) -> Int {
        let count = controlled.actionCount
        if greedy {
            var best = 0
            for a in 1..<max(1, count) where zeta[s * count + a] > zeta[s * count + best] { best = a }
            return best
        }
        policy(at: s)
        let u = generator.nextUnit()
        return probabilities.withUnsafeBufferPointer { sampleIndex($0, count: count, uniform: u) }
    }

    public mutating func act(_ observations: JointObservations, greedy: Bool, generator: inout RandomGenerator,
                             into actions: UnsafeMutableBufferPointer<Float>) throws {
        for r in 0..<observations.layout.count {
            let a = draw(at: controlled.state(observations, row: r), greedy: greedy, generator: &generator)
            controlled.write(a, row: r, layout: observations.layout, into: actions)
        }
    }

    public mutating func learn(from t: JointTransition, generator: inout RandomGenerator) throws -> LearnerDiagnostics? {
        let count = controlled.actionCount
        var squared = 0.0, entropy = 0.0
        for r in 0..<t.layout.count {
            let s = controlled.state(t.before, row: r), a = controlled.action(t, row: r)
            // ã ~ π(s_{t+1}), freshly drawn (eq. 7); no bootstrap after a terminal state.
            var next = 0.0
            if !t.terminated[r] {
                let s1 = controlled.successorState(t, row: r)
                next = q[s1 * count + draw(at: s1, greedy: false, generator: &generator)]
            }
            let delta = tabularCriticStep(&q, index: s * count + a, reward: controlled.reward(t, row: r), nextValue: next,
                                          alpha: settings.criticStep, gamma: settings.discount)
            squared += delta * delta
            // The actor at s_t with π_t (before its step).
            policy(at: s)
            probabilities.withUnsafeBufferPointer { p in
                entropy += categoricalEntropy(p, count: count)
                tabularActorStep(zeta: &zeta, q: q, offset: s * count, count: count, probabilities: p, beta: settings.actorStep,
                                 lower: settings.preferenceMin, upper: settings.preferenceMax)
            }
        }
        var d = LearnerDiagnostics()
        d.record(.valueLoss, squared / Double(t.layout.count))
        d.record(.entropy, entropy / Double(t.layout.count))
        return d
    }

    public func checkpointTensors() -> [CheckpointTensor] {
        [CheckpointTensor(name: "critic.bits", shape: [2 * q.count], values: encodeDoubleBits(q)),
         CheckpointTensor(name: "preferences.bits", shape: [2 * zeta.count], values: encodeDoubleBits(zeta))]
    }

    public mutating func restore(from tensors: [String: [Float]]) throws {
        q = try restoreTable(tensors, "critic.bits", count: q.count)
        zeta = try restoreTable(tensors, "preferences.bits", count: zeta.count)
    }

    public var networkDescription: [String: String] {
        ["learner": "tabular-actor-critic", "states": String(controlled.states), "actions": String(controlled.actionCount)]
    }
}
