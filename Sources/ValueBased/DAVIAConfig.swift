import Envs
import Training

/// The distributed approximate value iteration algorithm, DAVIA (paper 003 §2.4.3): a linear
/// value V = θᵀφ(s) with one-hot φ (a table), agents acting ε-greedily on the one-step
/// lookahead `argmax_a R(s, a) + γ Σ_{s′} P(s′ | s, a) V(s′)` on the task's exact model (the
/// report's "estimated best action"; approximate value iteration assumes the model), each
/// computing the semi-gradient ĝ_i of its episode (``daviaSemiGradient``) and sending it only
/// when the predicted decrease `J(θ) − J(θ − εĝ_i) ≥ λ / ρ^{N−1−k}` (episode k of N); the centre
/// applies θ ← θ − ε · mean of the received ĝ_i. A message is |S| values.
public struct DAVIAConfig: SessionAlgorithmSettings {
    /// ε, the step along −ĝ (in the trigger and in the central update).
    public var stepSize = 1.0
    public var discount = 0.9
    /// ε of the ε-greedy policy.
    public var exploration = 0.1
    public var initialValue = 0.0
    /// λ, the threshold's final value. The report gives no values: λ = 0.2 and ρ = 1.001 make
    /// the threshold pass the predicted decrease of a converged Simple Grid episode after about
    /// 50–100 episodes, where the report's Fig. 3.4 shows DAVIA's messages falling.
    public var lambda = 0.2
    /// ρ > 1, the threshold's growth per episode.
    public var rho = 1.001

    public init() {}
    enum CodingKeys: String, CodingKey {
        case discount, exploration, lambda, rho
        case stepSize = "step_size", initialValue = "initial_value"
    }

    public static var name: String { "davia" }
    public static var summary: String { "distributed approximate value iteration: semi-gradients sent when they lower J by λ/ρ^(N−1−k)" }
    public static var source: String { "paper 003 §2.4.3 (after [10])" }
    public static var architectures: [Architecture] { [.decentralised] }
    public static var strategies: [String] { ["central"] }
    public static var actions: ActionSupport { .discrete }
    public static var defaultStrategy: String? { "central" }

    public static func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String? {
        valueBasedRunProblem(name, config: config, task: task, observation: observation)
    }

    public func validationProblem() -> String? {
        if !(stepSize > 0 && stepSize <= 1) { return "step_size must lie in (0, 1], got \(stepSize)" }
        if !(discount >= 0 && discount <= 1) { return "discount must lie in [0, 1], got \(discount)" }
        if !(exploration >= 0 && exploration <= 1) { return "exploration ε must lie in [0, 1], got \(exploration)" }
        if !initialValue.isFinite { return "initial_value must be finite, got \(initialValue)" }
        if !(lambda >= 0 && lambda.isFinite) { return "lambda must be 0 or positive, got \(lambda)" }
        if !(rho > 1 && rho.isFinite) { return "rho must be greater than 1, got \(rho)" }
        return nil
    }

    public func openSession(plan: RunPlan, directory: RunDirectory, resume: Bool, keepMetrics: Bool) throws -> any RunSession {
        try ValueBasedRun(plan: plan, directory: directory, rule: .davia(self), resume: resume, keepMetrics: keepMetrics)
    }
}
