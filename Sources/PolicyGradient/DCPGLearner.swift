import ActorCritic
import Envs
import Training

/// One DCPG agent (paper 001, Algorithm 1), whatever its gradient mode: the softmax table of
/// the tabular modes (``DCPGTableLearner``) or, for the neural modes of §5.2, the existing
/// ``ReinforceLearner``, ``A2CLearner`` or ``PPOLearner`` with the relative-entropy regulariser
/// toward the uniform policy switched on in its model (``PolicyValueModel/uniformRegularizer``
/// = λ). The learner computes its local step α g_i at its own iterate; the `consensus` strategy
/// adds it to Σ_j W_ij θ_j (eq. 9), `none` applies it directly (the SA-i baselines). With λ = 0 a
/// neural agent's step is its learner's step, bit for bit.
public struct DCPGLearner: Learner {
    public let config: DCPGConfig
    /// The learner that computes the step (a table, or a network learner).
    public private(set) var inner: any Learner

    public init(config: DCPGConfig, context: LearnerContext) throws {
        if let problem = config.validationProblem() { throw TrainingError(problem) }
        self.config = config
        let env = context.environment
        if config.gradient.isNeural {
            if case .discrete = env.observationSpace {
                throw TrainingError("dcpg's neural \(config.gradient.rawValue) gradient needs observation vectors for a network, but this task is observed by its state index (\(env.observationSpace)); use gradient exact or monte-carlo")
            }
            guard case .discrete = env.actionSpace else {
                throw TrainingError("dcpg's regulariser toward the uniform policy needs discrete actions; this task acts in \(env.actionSpace)")
            }
        }
        let lambda = Float(config.lambda)
        switch config.gradient {
        case .exact, .monteCarlo:
            inner = try DCPGTableLearner(config: config, context: context)
        case .reinforce:
            var l = try ReinforceLearner(config: config.reinforce, environment: env, tasks: context.tasks, seed: context.seed)
            l.model.uniformRegularizer = lambda
            inner = l
        case .a2c:
            var l = try A2CLearner(config: config.a2c, environment: env, tasks: context.tasks, seed: context.seed)
            l.model.uniformRegularizer = lambda
            inner = l
        case .ppo:
            var l = try PPOLearner(config: config.ppo, environment: env, tasks: context.tasks, seed: context.seed)
            l.model.uniformRegularizer = lambda
            inner = l
        }
    }

    public var parameterCount: Int { inner.parameterCount }
    public func copyParameters(into row: inout [Float]) { inner.copyParameters(into: &row) }
    public mutating func loadParameters(from row: [Float]) throws { try inner.loadParameters(from: row) }
    public mutating func learn(step: UnsafeMutableBufferPointer<Float>?) throws -> LearnerReport { try inner.learn(step: step) }
    public mutating func act(_ observations: [Float], count: Int, greedy: Bool, generator: inout RandomGenerator,
                             into actions: inout [Float]) throws {
        try inner.act(observations, count: count, greedy: greedy, generator: &generator, into: &actions)
    }
    public mutating func restart(seed: UInt64) { inner.restart(seed: seed) }
    public func checkpointTensors() -> [CheckpointTensor] { inner.checkpointTensors() }
    public mutating func restore(from tensors: [String: [Float]]) throws { try inner.restore(from: tensors) }
    public var networkDescription: [String: String] {
        var d = inner.networkDescription
        d["gradient"] = config.gradient.rawValue
        return d
    }
    public mutating func setProfiling(_ on: Bool) { inner.setProfiling(on) }
    public mutating func drainProfile(into total: inout RoundProfile) { inner.drainProfile(into: &total) }
    public var profiledNetworks: [[Int]] { inner.profiledNetworks }
}
