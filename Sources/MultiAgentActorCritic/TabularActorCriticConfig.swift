import Envs
import Training

/// Algorithm 1 of paper 004 (§III): tabular decentralised actor-critic with private policies.
/// Each agent i keeps a critic Q^i(s, a^i) and softmax preferences ζ^i(s, ·) (eq. 6); every
/// step it draws a^i ~ π^i(s_t), the environment steps with the joint action, it draws
/// ã^i ~ π^i(s_{t+1}) and updates
///
/// - critic (eq. 7): Q^i(s_t, a^i) += α [r_t + γ Q^i(s_{t+1}, ã^i) − Q^i(s_t, a^i)];
/// - actor (eqs. 32–34): ζ^i(s_t, ·) += β π^i(·|s_t) ⊙ (Q^i(s_t, ·) − Σ_a π^i(a|s_t) Q^i(s_t, a)),
///   clipped to [T_m, T_M];
///
/// with α ≫ β (two time scales). No messages: every agent sees the global state and reward.
///
/// Decentralised architecture: one learner per agent of the task. Centralised architecture: the
/// paper's *centralised AC*, the same algorithm as one learner over the joint action.
///
/// The paper gives no hyper-parameters; these defaults are ours (α = 0.5, β = 0.05: α ten times β),
/// chosen on seed 0 of the N = 4 random MDP (the README's sensitivity check).
public struct TabularActorCriticConfig: JointAlgorithmSettings {
    /// α, the critic's step size (constant).
    public var criticStep = 0.5
    /// β, the actor's step size (constant; α ≫ β).
    public var actorStep = 0.05
    /// γ of the critic.
    public var discount = 0.95
    /// T_m, the lower clip of ζ (eq. 34).
    public var preferenceMin = -5.0
    /// T_M, the upper clip of ζ.
    public var preferenceMax = 5.0
    /// Q_0 ~ U(−c, c), the critic's random initialisation (§III-A).
    public var initialCriticScale = 0.1
    /// Joint steps per round (one 100-step episode of the random MDP).
    public var stepsPerRound = 100

    public init() {}

    enum CodingKeys: String, CodingKey {
        case discount
        case criticStep = "critic_step", actorStep = "actor_step", preferenceMin = "preference_min", preferenceMax = "preference_max"
        case initialCriticScale = "initial_critic_scale", stepsPerRound = "steps_per_round"
    }

    public static var name: String { "tabular-dac" }
    public static var summary: String {
        "tabular decentralised actor-critic with private softmax policies (one learner per agent; centralised: one over the joint action)"
    }
    public static var source: String { "paper 004 (Li and Jia), §III, Algorithm 1" }
    public static var architectures: [Architecture] { [.decentralised, .centralised] }
    public static var strategies: [String] { ["none"] }
    public static var actions: ActionSupport { .discrete }
    public static var defaultStrategy: String? { "none" }

    public static func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String? {
        tabularJointRunProblem(name, task: task, observation: observation)
    }

    public func validationProblem() -> String? {
        if !(criticStep > 0 && criticStep <= 1) { return "critic_step α must lie in (0, 1], got \(criticStep)" }
        if !(actorStep > 0 && actorStep.isFinite) { return "actor_step β must be positive, got \(actorStep)" }
        if !(discount >= 0 && discount < 1) { return "discount γ must lie in [0, 1), got \(discount)" }
        if !(preferenceMin.isFinite && preferenceMax.isFinite) { return "preference_min T_m and preference_max T_M must be finite" }
        if !(preferenceMin < preferenceMax) {
            return "preference_min T_m must be below preference_max T_M (Algorithm 1 needs T_m < T_M), got T_m = \(preferenceMin), T_M = \(preferenceMax)"
        }
        if !(initialCriticScale >= 0 && initialCriticScale.isFinite) { return "initial_critic_scale must be 0 or positive, got \(initialCriticScale)" }
        if stepsPerRound < 1 { return "steps_per_round must be at least 1, got \(stepsPerRound)" }
        return nil
    }

    public func makeLearner(_ context: JointLearnerContext) throws -> TabularActorCriticLearner {
        try TabularActorCriticLearner(settings: self, context: context)
    }
}

/// The checks a tabular joint algorithm makes before a run: a state index to index its tables.
func tabularJointRunProblem(_ name: String, task: String, observation: Space) -> String? {
    guard case .discrete = observation else {
        return "algorithm \(name) keeps tables over finitely many states, but \(task) observes \(observation); use a task whose observation is a state index"
    }
    return nil
}
