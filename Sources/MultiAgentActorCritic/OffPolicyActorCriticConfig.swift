import Communication
import Envs
import NeuralNets
import Training

/// Algorithm 2 of paper 004 (§IV): off-policy decentralised actor-critic for continuous actions
/// with consensus importance weights. Every agent i keeps, privately,
///
/// - a replay buffer D^i of (s, a^i, r, s′) with the behaviour log-density log π̂ = log π^i(a^i|s)
///   at collection (the buffers of all agents are aligned: same steps, same slots);
/// - per entry, β_e = log π_θ^i(a^i|s) − log π̂ and a consensus variable x_e (eqs. 39–46): after
///   every update x_e += β_e − β̂_e, then x_e ← Σ_j W_ij x_e^j over the ring with
///   maximum-degree weights W_ij = 1/(d_max + 1) (eq. 41); the messages are the x vectors;
/// - a critic Q_φ(s, a^i) minimising ½ mean_B e^{c_e} (Q_φ(s, a^i) − r − γ Q_φ̂(s′, ã^i))² with
///   c_e = N·x_e − β_e and ã^i ~ π^i(s′) (eqs. 55–56), a target network φ̂ ← (1 − ε)φ̂ + εφ;
/// - a tanh-squashed Gaussian actor a = tanh(μ_θ(s) + σ_θ(s) ⊙ ξ) (eq. 59), reparameterised,
///   ascending mean_B Q_φ(s, f_θ(ξ, s)) (eqs. 60–62); its log-densities (for β) include the
///   tanh correction −Σ log(1 − a²).
///
/// **Consensus form** (`consensus`). `eager` is eqs. 44–46 as written: after every update every
/// agent recomputes β_e for every entry held and mixes the whole x vector once (M log-densities
/// and M floats per neighbour per step). `on-sample` (the default) refreshes only the entries of
/// the next batch: for those it recomputes β_e, adds the innovation accumulated since the entry's
/// last refresh, x_e += β_e − β̂_e, and mixes it `min(age, K_W, max_mixing_rounds)` rounds, age
/// being the steps since that refresh and K_W the least k with W^{k+1} = W^k (the rounds beyond
/// it change nothing). The agents draw the same batch slots (a stream shared from the run seed
/// and the step; the buffers are aligned), so the entries they refresh and mix are the same. On
/// paper 004's experiment — 3 agents on a ring, W = J/3 — one round gives the exact network mean,
/// K_W = 1, and `on-sample` equals `eager` (tested); on other graphs it is an approximation (the
/// innovation of an entry is mixed as if it arrived in one piece). It is the default because it
/// costs B instead of M log-densities and messages per step, for the same weights on the paper's
/// graph. Every round's messages are counted.
///
/// The importance weights are not clipped; their largest value is logged
/// (`policy/max_importance_weight`). Learning waits until the buffer holds a whole batch.
/// The paper gives no hyper-parameters; these defaults are ours.
public struct OffPolicyActorCriticConfig: JointAlgorithmSettings {
    /// Hidden widths of the actor and the critic.
    public var hidden = [64, 64]
    /// Hidden activation.
    public var activation = Activation.relu
    /// α, the critic's Adam step size.
    public var criticLearningRate = 1e-3
    /// β, the actor's Adam step size.
    public var actorLearningRate = 1e-3
    /// γ.
    public var discount = 0.95
    /// ε of the target network's soft update.
    public var targetRate = 0.01
    /// M, the replay capacity of every agent.
    public var replayCapacity = 5000
    /// |B^i|, the batch each agent samples per update.
    public var batchSize = 128
    /// Clamp of the actor's log σ.
    public var minLogStd = -5.0
    public var maxLogStd = 1.0
    /// Joint steps per round (one 25-step episode of simple spread).
    public var stepsPerRound = 25
    /// Whether the critic learns the global reward r_t, the mean of the agents' rewards (paper 004
    /// §V: "the global reward is calculated by averaging the rewards of all the agents"; every
    /// agent observes it), rather than its own agent's.
    public var teamReward = true
    /// How the consensus on importance weights is run (see the type's comment).
    public var consensus = ImportanceConsensus.onSample
    /// The most mixing rounds an `on-sample` refresh takes.
    public var maxMixingRounds = 20

    public init() {}

    enum CodingKeys: String, CodingKey {
        case hidden, activation, discount
        case criticLearningRate = "critic_learning_rate", actorLearningRate = "actor_learning_rate", targetRate = "target_rate"
        case replayCapacity = "replay_capacity", batchSize = "batch_size", minLogStd = "min_log_std", maxLogStd = "max_log_std"
        case stepsPerRound = "steps_per_round", consensus, maxMixingRounds = "max_mixing_rounds", teamReward = "team_reward"
    }

    public static var name: String { "off-policy-dac" }
    public static var summary: String {
        "off-policy decentralised actor-critic: private tanh-Gaussian actors, replay, consensus on importance weights over a graph"
    }
    public static var source: String { "paper 004 (Li and Jia), §IV, Algorithm 2" }
    public static var architectures: [Architecture] { [.decentralised] }
    public static var strategies: [String] { ["none"] }
    public static var actions: ActionSupport { .box }
    public static var defaultStrategy: String? { "none" }
    public static var talksOverGraph: Bool { true }

    public static func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String? {
        if config.weights != .maximumDegree {
            return "algorithm \(name) mixes its importance weights with paper 004's maximum-degree weights 1/(d_max + 1) (eq. 41); set weights to maximum-degree, got \(config.weights.rawValue)"
        }
        return nil
    }

    public func validationProblem() -> String? {
        if hidden.isEmpty || !hidden.allSatisfy({ $0 >= 1 }) { return "hidden must list at least one positive width, got \(hidden)" }
        if !(criticLearningRate > 0 && criticLearningRate.isFinite) { return "critic_learning_rate α must be positive, got \(criticLearningRate)" }
        if !(actorLearningRate >= 0 && actorLearningRate.isFinite) { return "actor_learning_rate β must be 0 or positive, got \(actorLearningRate)" }
        if !(discount >= 0 && discount < 1) { return "discount γ must lie in [0, 1), got \(discount)" }
        if !(targetRate >= 0 && targetRate <= 1) { return "target_rate ε must lie in [0, 1], got \(targetRate)" }
        if replayCapacity < 1 { return "replay_capacity must be at least 1, got \(replayCapacity)" }
        if batchSize < 1 { return "batch_size must be at least 1, got \(batchSize)" }
        if batchSize > replayCapacity {
            return "batch_size (\(batchSize)) cannot exceed replay_capacity (\(replayCapacity)): the buffer could never hold a whole batch"
        }
        if !(minLogStd < maxLogStd && minLogStd.isFinite && maxLogStd.isFinite) {
            return "min_log_std must be below max_log_std, got \(minLogStd) and \(maxLogStd)"
        }
        if stepsPerRound < 1 { return "steps_per_round must be at least 1, got \(stepsPerRound)" }
        if maxMixingRounds < 1 { return "max_mixing_rounds must be at least 1, got \(maxMixingRounds)" }
        return nil
    }

    public func makeLearner(_ context: JointLearnerContext) throws -> OffPolicyActorCriticLearner {
        try OffPolicyActorCriticLearner(settings: self, context: context)
    }
}

/// How Algorithm 2's agents run their consensus on importance weights
/// (``OffPolicyActorCriticConfig/consensus``).
public enum ImportanceConsensus: String, Codable, Sendable, CaseIterable {
    /// Every entry, every step (eqs. 44–46 as written).
    case eager
    /// Only the entries about to be sampled, with the innovation accumulated since their last refresh.
    case onSample = "on-sample"
}
