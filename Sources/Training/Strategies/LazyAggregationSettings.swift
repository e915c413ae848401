import Communication

/// `lazy-aggregation`: LAPG's controller with stale gradients and the upload rule of
/// condition (16) (paper 002, Algorithm 2); see ``LazyAggregation`` for the units.
public struct LazyAggregationSettings: StrategySettings {
    /// ξ_1 ≥ … ≥ ξ_D, the weights of the parameter-change history in condition (16); D is the
    /// count. The paper gives no values; 0.1 over one round is Shoal's default.
    public var xi: [Double] = [0.1]
    /// The variance term 6M²α²σ² of (16) in update units (0: none).
    public var noiseFloor: Double = 0

    public init() {}
    enum CodingKeys: String, CodingKey { case xi, noiseFloor = "noise_floor" }

    public static var name: String { "lazy-aggregation" }
    public static var summary: String { "upload a step only when it changed enough (LAPG, paper 002)" }
    public static var communicates: Bool { true }
    public static var usesGraph: Bool { false }
    public static var localStep: LocalStepPlacement { .insideCommunication }
    public static var inputs: StrategyInputs { .updates }

    public func validationProblem() -> String? {
        if xi.isEmpty { return "xi must list at least one weight" }
        if let bad = xi.first(where: { !($0 >= 0 && $0.isFinite) }) { return "xi must hold finite non-negative weights, got \(bad)" }
        if zip(xi, xi.dropFirst()).contains(where: { $0 < $1 }) { return "xi must be non-increasing (ξ_1 ≥ ξ_2 ≥ …), got \(xi)" }
        if !(noiseFloor >= 0 && noiseFloor.isFinite) { return "noise_floor must be finite and non-negative, got \(noiseFloor)" }
        return nil
    }

    public func makeStrategy(_ context: StrategyContext) throws -> any CommunicationStrategy {
        try LazyAggregation(agentCount: context.agents, xi: xi, noiseFloor: noiseFloor)
    }
}
