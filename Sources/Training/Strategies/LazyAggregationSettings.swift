import Communication

/// `lazy-aggregation`: LAPG's controller with stale gradients and the upload rule of
/// condition (16) (paper 002, Algorithm 2).
///
/// With algorithm `pg` (the paper's setting: M learners in one multi-agent environment) the
/// rule is applied in the paper's units, `‖δ_m‖² ≥ (1/(α²M²)) Σ_d ξ_d ‖θ^{k+1−d} − θ^{k−d}‖² + 6σ²_m`,
/// with σ²_m as ``variance`` says and α, M from the run. With `reinforce` learners in a cohort
/// it runs in update units (see ``LazyAggregation``), σ² entering through ``noiseFloor``.
public struct LazyAggregationSettings: StrategySettings {
    /// Where σ²_m of condition (16) comes from in a `pg` run.
    public enum Variance: String, Codable, Sendable, Equatable {
        /// Estimated on the fly by each learner from its N per-episode gradients (the variance of
        /// their mean, `Σ_n ‖g_n − ḡ‖² / (N(N − 1))`).
        case estimated
        /// Forced to 0 (with ξ = 0 every learner then uploads every round: LAPG is PG).
        case zero
        /// A stated deviation from (16): the term 6σ²_m is replaced by the innovation's expected
        /// noise, σ̂²_m(θ^k) + σ̂²_m(θ̂_m) — what ‖δ_m‖² is on average when the true gradient has
        /// not moved (two independent mini-batch estimates). Condition (16)'s 6σ² is Lemma 4's
        /// worst case, 3σ² per estimate by ‖a + b + c‖² ≤ 3(‖a‖² + ‖b‖² + ‖c‖²) with σ² a
        /// high-probability bound (eq. 15); with the on-the-fly estimate of the mean's variance,
        /// 6σ̂² lies three times above that noise, so only a gradient change of about two
        /// standard errors uploads. With this term a learner uploads when its innovation's
        /// estimated drift, ‖δ_m‖² minus its expected noise, reaches the ξ term.
        case innovationNoise = "innovation-noise"
    }

    /// ξ_1 ≥ … ≥ ξ_D, the weights of the parameter-change history in condition (16); D is the
    /// count. The paper gives no values; 0.1 over one round is Shoal's default.
    public var xi: [Double] = [0.1]
    /// σ²_m of (16) in a `pg` run: `estimated` or `zero`.
    public var variance = Variance.estimated
    /// The variance term 6M²α²σ² of (16) in update units, for `reinforce` cohorts (0: none).
    public var noiseFloor: Double = 0

    public init() {}
    enum CodingKeys: String, CodingKey { case xi, variance, noiseFloor = "noise_floor" }

    public static var name: String { "lazy-aggregation" }
    public static var summary: String { "upload a gradient innovation only when it changed enough (LAPG, paper 002)" }
    public static var communicates: Bool { true }
    public static var usesGraph: Bool { false }
    public static var localStep: LocalStepPlacement { .insideCommunication }
    public static var inputs: StrategyInputs { .updates }

    public func validationProblem() -> String? {
        if xi.isEmpty { return "xi must list at least one weight (D ≥ 1)" }
        if let bad = xi.first(where: { !($0 >= 0 && $0.isFinite) }) { return "xi must hold finite non-negative weights, got \(bad)" }
        if zip(xi, xi.dropFirst()).contains(where: { $0 < $1 }) { return "xi must be non-increasing (ξ_1 ≥ ξ_2 ≥ …), got \(xi)" }
        if !(noiseFloor >= 0 && noiseFloor.isFinite) { return "noise_floor must be finite and non-negative, got \(noiseFloor)" }
        return nil
    }

    public func makeStrategy(_ context: StrategyContext) throws -> any CommunicationStrategy {
        try LazyAggregation(agentCount: context.agents, xi: xi, noiseFloor: noiseFloor)
    }
}
