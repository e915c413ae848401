import Communication

/// `event-triggered`: diffusion in which an agent broadcasts only when its parameters moved
/// enough since its last broadcast (the triggers of EBCDQL and DAVIA, paper 003 §2.4.2–2.4.3;
/// see ``EventTriggeredDiffusion``).
public struct EventTriggeredSettings: StrategySettings {
    /// `event-based` (EBCDQL: τ = max(ρ L_k, ε)) or `decaying` (DAVIA: τ = λ / ρ^{H−1−r}).
    public var threshold = "event-based"
    /// ρ.
    public var rho: Double = 1
    /// β, the averaging rate of L_k (event-based).
    public var beta: Double = 0.1
    /// ε, the floor of the event-based threshold.
    public var floor: Double = 0
    /// λ of the decaying threshold.
    public var lambda: Double = 1e-3
    /// H of the decaying threshold (0: the run's rounds).
    public var horizon = 0

    public init() {}

    public static var name: String { "event-triggered" }
    public static var summary: String { "diffusion that broadcasts only after enough change (EBCDQL / DAVIA triggers, paper 003)" }
    public static var communicates: Bool { true }
    public static var usesGraph: Bool { true }
    public static var localStep: LocalStepPlacement { .beforeCommunication }
    public static var inputs: StrategyInputs { [] }

    public func validationProblem() -> String? {
        if !["event-based", "decaying"].contains(threshold) {
            return unknownNameMessage("event-triggered threshold", threshold, among: ["event-based", "decaying"])
        }
        if !(rho >= 0 && rho.isFinite) { return "rho must be finite and non-negative, got \(rho)" }
        if threshold == "decaying" && !(rho > 0) { return "rho must be positive for the decaying threshold, got \(rho)" }
        if !(beta >= 0 && beta <= 1) { return "beta must lie in [0, 1], got \(beta)" }
        if !(floor >= 0 && floor.isFinite) { return "floor must be finite and non-negative, got \(floor)" }
        if !(lambda >= 0 && lambda.isFinite) { return "lambda must be finite and non-negative, got \(lambda)" }
        if horizon < 0 { return "horizon must be 0 (the run's rounds) or positive, got \(horizon)" }
        return nil
    }

    public func makeStrategy(_ context: StrategyContext) throws -> any CommunicationStrategy {
        let rule: EventTriggeredDiffusion.Threshold = threshold == "decaying"
            ? .decaying(lambda: lambda, rho: rho, horizon: horizon == 0 ? context.rounds : horizon)
            : .eventBased(rho: rho, beta: beta, floor: floor)
        return try EventTriggeredDiffusion(weights: try context.requireWeights(Self.name), threshold: rule)
    }
}
