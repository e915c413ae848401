import Envs
import Training

/// The Q-learning baseline of paper 004 §V (after Watkins and Dayan 1992): the agents
/// "contaminated" into one global agent that learns Q(s, a) over the joint action a and acts
/// ε-greedily, Q(s_t, a_t) += α [r_t + γ max_a′ Q(s_{t+1}, a′) − Q(s_t, a_t)], one update per
/// step. Centralised only: one learner controls every agent.
///
/// `Sources/ValueBased` is not reused: its driver runs single-agent copies, one per agent, and
/// its central learner averages a whole episode's samples per pair, where this baseline is plain
/// online Q-learning on the shared multi-agent environment.
public struct JointQLearningConfig: JointAlgorithmSettings {
    /// α (0.5: the best of α ∈ {0.1, 0.5} × ε ∈ {0.05, 0.1} on seed 0 of the N = 4 random MDP).
    public var learningRate = 0.5
    /// γ.
    public var discount = 0.95
    /// ε of the ε-greedy behaviour.
    public var exploration = 0.1
    /// Q's initial value.
    public var initialValue = 0.0
    /// Joint steps per round.
    public var stepsPerRound = 100

    public init() {}

    enum CodingKeys: String, CodingKey {
        case discount, exploration
        case learningRate = "learning_rate", initialValue = "initial_value", stepsPerRound = "steps_per_round"
    }

    public static var name: String { "joint-q-learning" }
    public static var summary: String { "Q-learning over joint actions: one ε-greedy learner controls every agent" }
    public static var source: String { "paper 004 (Li and Jia), §V baseline; Watkins and Dayan 1992" }
    public static var architectures: [Architecture] { [.centralised] }
    public static var strategies: [String] { ["none"] }
    public static var actions: ActionSupport { .discrete }
    public static var defaultStrategy: String? { "none" }

    public static func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String? {
        tabularJointRunProblem(name, task: task, observation: observation)
    }

    public func validationProblem() -> String? {
        if !(learningRate > 0 && learningRate <= 1) { return "learning_rate α must lie in (0, 1], got \(learningRate)" }
        if !(discount >= 0 && discount < 1) { return "discount γ must lie in [0, 1), got \(discount)" }
        if !(exploration >= 0 && exploration <= 1) { return "exploration ε must lie in [0, 1], got \(exploration)" }
        if !initialValue.isFinite { return "initial_value must be finite, got \(initialValue)" }
        if stepsPerRound < 1 { return "steps_per_round must be at least 1, got \(stepsPerRound)" }
        return nil
    }

    public func makeLearner(_ context: JointLearnerContext) throws -> JointQLearner {
        try JointQLearner(settings: self, context: context)
    }
}
