import Communication
import Envs
import NeuralNets
import Training

/// MADDPG (Lowe et al. 2017, "Multi-Agent Actor-Critic for Mixed Cooperative-Competitive
/// Environments"), the centralised baseline of paper 004 §V: one learner trains every agent
/// (centralised training), each agent i acting from its own observation o_i (decentralised
/// execution) with
///
/// - a deterministic actor μ_i(o_i): for `Discrete(K)` actions the logits of a Gumbel-softmax
///   a_i = softmax(z_i − log(−log u)) (temperature 1; the environment receives its argmax, a
///   categorical sample by the Gumbel-max trick, and the critic the relaxed vector); for a box
///   [low, high] the sigmoid-bounded a_i = low + (high − low) σ(z_i), explored with Gaussian noise
///   of `exploration_noise` × (high − low) clipped to the box while training;
/// - a centralised critic Q_i(o_1 … o_N, a_1 … a_N) minimising mean (Q_i − y_i)², y_i = r_i +
///   γ (1 − done) Q′_i(o′, μ′_1(o′_1) … μ′_N(o′_N)) with target networks (eq. 3);
/// - the actor ascending mean Q_i(o, a_1 … μ_i(o_i) … a_N) (other agents' actions from the
///   replay; eq. 2 with the reparameterised Gumbel-softmax), plus the original's regulariser
///   `policy_regularisation` × mean z_i²;
/// - soft target updates θ′ ← (1 − τ) θ′ + τ θ after every update of the agent.
///
/// Defaults are the original implementation's (openai/maddpg `train.py` and `maddpg.py`): Adam
/// lr 1e-2 for actor and critic, γ 0.95, batch 1024, two hidden layers of 64 ReLU units, τ 0.01,
/// 25-step episodes, one update of every agent per 100 environment steps once the buffer holds
/// batch × 25 entries, gradients clipped to norm 0.5 per tensor (`clip_by_norm` of every
/// variable), regulariser 1e-3. Ours: a replay capacity of 100 000 (the original keeps 1e6; a
/// Shoal replay buffer holds at most 5·10⁷ floats), and the box actor, which the original builds
/// as a Gaussian.
public struct MADDPGConfig: JointAlgorithmSettings {
    /// Hidden widths of every actor and critic.
    public var hidden = [64, 64]
    /// Hidden activation.
    public var activation = Activation.relu
    /// Adam step size of the actors and critics (`lr`).
    public var learningRate = 1e-2
    /// γ (`gamma`).
    public var discount = 0.95
    /// τ of the soft target updates (1 − the original's polyak 0.99).
    public var targetRate = 0.01
    /// Replay capacity (entries, one per environment step and copy).
    public var replayCapacity = 100_000
    /// Batch drawn per update (`batch_size`).
    public var batchSize = 1024
    /// Entries the buffer must hold before the first update (`batch_size × max_episode_len`).
    public var learningStarts = 25_600
    /// Environment steps (over all copies) between updates (the original's `t % 100`).
    public var updateEvery = 100
    /// Largest norm of every gradient tensor (`grad_norm_clipping`).
    public var gradientClip = 0.5
    /// Weight of mean z² of the actor's outputs in its loss (the original's `p_reg × 1e-3`).
    public var policyRegularisation = 1e-3
    /// Box actions only: standard deviation of the exploration noise, as a fraction of the box width.
    public var explorationNoise = 0.1
    /// Joint steps per round (one 25-step episode of simple spread).
    public var stepsPerRound = 25

    public init() {}

    enum CodingKeys: String, CodingKey {
        case hidden, activation, discount
        case learningRate = "learning_rate", targetRate = "target_rate", replayCapacity = "replay_capacity", batchSize = "batch_size"
        case learningStarts = "learning_starts", updateEvery = "update_every", gradientClip = "gradient_clip"
        case policyRegularisation = "policy_regularisation", explorationNoise = "exploration_noise", stepsPerRound = "steps_per_round"
    }

    public static var name: String { "maddpg" }
    public static var summary: String {
        "MADDPG: centralised critics over all agents' observations and actions, decentralised deterministic actors (Gumbel-softmax for discrete actions), replay, target networks"
    }
    public static var source: String { "Lowe et al. 2017 (openai/maddpg defaults); the baseline of paper 004 §V" }
    public static var architectures: [Architecture] { [.centralised] }
    public static var strategies: [String] { ["none"] }
    public static var actions: ActionSupport { .both }
    public static var defaultStrategy: String? { "none" }

    public func validationProblem() -> String? {
        if hidden.isEmpty || !hidden.allSatisfy({ $0 >= 1 }) { return "hidden must list at least one positive width, got \(hidden)" }
        if !(learningRate > 0 && learningRate.isFinite) { return "learning_rate must be positive, got \(learningRate)" }
        if !(discount >= 0 && discount < 1) { return "discount γ must lie in [0, 1), got \(discount)" }
        if !(targetRate >= 0 && targetRate <= 1) { return "target_rate τ must lie in [0, 1], got \(targetRate)" }
        if replayCapacity < 1 { return "replay_capacity must be at least 1, got \(replayCapacity)" }
        if batchSize < 1 { return "batch_size must be at least 1, got \(batchSize)" }
        if batchSize > replayCapacity {
            return "batch_size (\(batchSize)) cannot exceed replay_capacity (\(replayCapacity)): the buffer could never hold a whole batch"
        }
        if learningStarts < 0 { return "learning_starts must be 0 or more, got \(learningStarts)" }
        if learningStarts > replayCapacity {
            return "learning_starts (\(learningStarts)) cannot exceed replay_capacity (\(replayCapacity)): the buffer could never hold that many entries"
        }
        if updateEvery < 1 { return "update_every must be at least 1, got \(updateEvery)" }
        if !(gradientClip > 0 && gradientClip.isFinite) { return "gradient_clip must be positive, got \(gradientClip)" }
        if !(policyRegularisation >= 0 && policyRegularisation.isFinite) { return "policy_regularisation must be 0 or positive, got \(policyRegularisation)" }
        if !(explorationNoise >= 0 && explorationNoise.isFinite) { return "exploration_noise must be 0 or positive, got \(explorationNoise)" }
        if stepsPerRound < 1 { return "steps_per_round must be at least 1, got \(stepsPerRound)" }
        return nil
    }

    public func makeLearner(_ context: JointLearnerContext) throws -> MADDPGLearner {
        try MADDPGLearner(settings: self, context: context)
    }
}
