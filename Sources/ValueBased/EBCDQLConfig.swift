import Envs
import Training

/// Event-based communication DQL (paper 003 §2.4.2): as ``DQLConfig``, but agent i sends a
/// sample only when its TD error under the broadcast Q passes `|Δ̂| ≥ max(ρ L_i, ε)`, with
/// `L_i ← (1 − β) L_i + β |Δ̂|` (``eventTriggered(tdError:level:rho:beta:floor:)``). An episode
/// with at least one sample sent is one message; its size is the samples sent.
public struct EBCDQLConfig: SessionAlgorithmSettings {
    public var learningRate = 0.5
    public var discount = 0.9
    /// ε of the ε-greedy policy.
    public var exploration = 0.1
    public var initialValue = 0.0
    /// ρ, the weight of the level L_i in the trigger.
    public var rho = 1.0
    /// β, the level's averaging rate.
    public var beta = 0.1
    /// ε of the trigger: the smallest |Δ̂| ever sent.
    public var thresholdFloor = 0.05

    public init() {}
    enum CodingKeys: String, CodingKey {
        case discount, exploration, rho, beta
        case learningRate = "learning_rate", initialValue = "initial_value", thresholdFloor = "threshold_floor"
    }

    public static var name: String { "ebcdql" }
    public static var summary: String { "event-based DQL: agents send only the samples whose TD error passes max(ρL, ε)" }
    public static var source: String { "paper 003 §2.4.2 (after [19])" }
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
        if !(rho >= 0 && rho.isFinite) { return "rho must be 0 or positive, got \(rho)" }
        if !(beta > 0 && beta <= 1) { return "beta must lie in (0, 1], got \(beta)" }
        if !(thresholdFloor >= 0 && thresholdFloor.isFinite) { return "threshold_floor must be 0 or positive, got \(thresholdFloor)" }
        return nil
    }

    public func openSession(plan: RunPlan, directory: RunDirectory, resume: Bool, keepMetrics: Bool) throws -> any RunSession {
        try ValueBasedRun(plan: plan, directory: directory, rule: .ebcdql(self), resume: resume, keepMetrics: keepMetrics)
    }
}
