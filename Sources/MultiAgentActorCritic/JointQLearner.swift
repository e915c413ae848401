import Envs
import Training

/// The learner of ``JointQLearningConfig``: one table Q(s, a) over the combined action of the
/// agents it controls, ε-greedy behaviour, the Q-learning step after every transition.
public struct JointQLearner: JointLearner {
    public let settings: JointQLearningConfig
    public let controlled: TabularJointAgents
    /// Q[s · A + a].
    public internal(set) var q: [Double]

    public var agents: [Int] { controlled.agents }

    public init(settings: JointQLearningConfig, context: JointLearnerContext) throws {
        self.settings = settings
        controlled = try TabularJointAgents(agents: context.agents, layout: context.layout, algorithm: JointQLearningConfig.name)
        q = [Double](repeating: settings.initialValue, count: controlled.states * controlled.actionCount)
    }

    /// The greedy action at s (the lowest index on ties) and its value.
    func greedy(at s: Int) -> (action: Int, value: Double) {
        let count = controlled.actionCount
        var best = 0
        for a in 1..<max(1, count) where q[s * count + a] > q[s * count + best] { best = a }
        return (best, q[s * count + best])
    }

    public mutating func act(_ observations: JointObservations, greedy isGreedy: Bool, generator: inout RandomGenerator,
                             into actions: UnsafeMutableBufferPointer<Float>) throws {
        for r in 0..<observations.layout.count {
            let s = controlled.state(observations, row: r)
            var a: Int
            if !isGreedy && generator.nextUnit() < settings.exploration {
                a = generator.below(controlled.actionCount)
            } else {
                a = greedy(at: s).action
            }
            controlled.write(a, row: r, layout: observations.layout, into: actions)
        }
    }

    public mutating func learn(from t: JointTransition, generator: inout RandomGenerator) throws -> LearnerDiagnostics? {
        let count = controlled.actionCount
        var squared = 0.0
        for r in 0..<t.layout.count {
            let s = controlled.state(t.before, row: r), a = controlled.action(t, row: r)
            let next = t.terminated[r] ? 0 : greedy(at: controlled.successorState(t, row: r)).value
            let delta = tabularCriticStep(&q, index: s * count + a, reward: controlled.reward(t, row: r), nextValue: next,
                                          alpha: settings.learningRate, gamma: settings.discount)
            squared += delta * delta
        }
        var d = LearnerDiagnostics()
        d.record(.valueLoss, squared / Double(t.layout.count))
        return d
    }

    public func checkpointTensors() -> [CheckpointTensor] {
        [CheckpointTensor(name: "q.bits", shape: [2 * q.count], values: encodeDoubleBits(q))]
    }

    public mutating func restore(from tensors: [String: [Float]]) throws {
        q = try restoreTable(tensors, "q.bits", count: q.count)
    }

    public var networkDescription: [String: String] {
        ["learner": "joint-q-learning", "states": String(controlled.states), "actions": String(controlled.actionCount)]
    }
}
