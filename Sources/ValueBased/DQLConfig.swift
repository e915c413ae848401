import Envs
import Training

/// Distributed Q-learning (paper 003 §2.4.1): n agents act ε-greedily with the Q table the
/// central learner broadcasts, each uploads its whole episode, and the centre applies
/// Q(s, a) ← Q(s, a) + α · mean_{u ∈ U_{s,a}} Δ(u) (``distributedQUpdate``). One message per
/// agent and episode, of as many samples as the episode had steps.
public struct DQLConfig: SessionAlgorithmSettings {
    /// α, the central learner's step.
    public var learningRate = 0.5
    /// γ.
    public var discount = 0.9
    /// ε of the agents' ε-greedy policy.
    public var exploration = 0.1
    /// Q's initial value.
    public var initialValue = 0.0

    public init() {}
    enum CodingKeys: String, CodingKey { case discount, exploration, learningRate = "learning_rate", initialValue = "initial_value" }

    public static var name: String { "dql" }
    public static var summary: String { "distributed Q-learning: ε-greedy agents upload their episodes, a central table learns" }
    public static var source: String { "paper 003 §2.4.1" }
    public static var architectures: [Architecture] { [.decentralised] }
    public static var strategies: [String] { ["central"] }
    public static var actions: ActionSupport { .discrete }
    public static var defaultStrategy: String? { "central" }

    public static func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String? {
        valueBasedRunProblem(name, config: config, task: task, observation: observation)
    }

    public func validationProblem() -> String? {
        if !(learningRate > 0 && learningRate <= 1) { return "learning_rate must lie in (0, 1], got \(learningRate)" }
        if !(discount >= 0 && discount <= 1) { return "discount must lie in [0, 1], got \(discount)" }
        if !(exploration >= 0 && exploration <= 1) { return "exploration ε must lie in [0, 1], got \(exploration)" }
        if !initialValue.isFinite { return "initial_value must be finite, got \(initialValue)" }
        return nil
    }

    public func openSession(plan: RunPlan, directory: RunDirectory, resume: Bool, keepMetrics: Bool) throws -> any RunSession {
        try ValueBasedRun(plan: plan, directory: directory, rule: .dql(self), resume: resume, keepMetrics: keepMetrics)
    }
}

/// The checks every value-based algorithm makes before a run: a finite state index to index
/// its table with, and one environment copy per agent.
func valueBasedRunProblem(_ name: String, config: RunConfig, task: String, observation: Space) -> String? {
    guard case .discrete = observation else {
        return "algorithm \(name) keeps a table over finitely many states, but \(task) observes \(observation); use a task whose observation is a state index"
    }
    if config.copiesPerTask != 1 {
        return "algorithm \(name) runs one episode per agent and round, so copies_per_task must be 1, got \(config.copiesPerTask)"
    }
    if config.linkDrop > 0 || config.linkNoise > 0 {
        return "algorithm \(name) sends its samples to the centre without links that fail, so link_drop and link_noise must be 0"
    }
    return nil
}
