import Training

/// ESPC, evolution strategies with probabilistic communication (paper 003 §4.2–4.4): the ES
/// workers of ``EvolutionStrategiesConfig`` driving the `espc` strategy, in which worker i
/// sends F_i only with probability
///
///     p_comm = Σ_{j=n−m}^{n−1} C(n−1, j) p^j (1 − p)^{n−1−j},   p = Φ((u − ū)/s),  u = F_i‖ε_i‖,
///
/// ū and s the mean and standard deviation of its last k utilities (a standard deviation of 0
/// replaced by 1), so that about m of the n workers send each round. The report writes Φ(z) as
/// ∫₀^z φ and divides by the variance; the full normal CDF and the standard deviation are meant
/// (they make p a probability of a standard normal z) and are what the strategy computes. m and
/// k are the strategy's settings (`espc.expected_senders`, `espc.window`; defaults 25 and 5).
public struct ProbabilisticEvolutionStrategiesConfig: AlgorithmSettings {
    /// The worker settings, the same keys as algorithm `es`.
    public var workers = EvolutionStrategiesConfig()

    public init() {}
    public init(from decoder: Decoder) throws { workers = try EvolutionStrategiesConfig(from: decoder) }
    public func encode(to encoder: Encoder) throws { try workers.encode(to: encoder) }

    public static var name: String { "espc" }
    public static var summary: String { "ES with probabilistic communication: about m of n workers send their return (ESPC)" }
    public static var source: String { "paper 003 §4.2–4.4, settings §4.7" }
    public static var architectures: [Architecture] { [.decentralised] }
    public static var strategies: [String] { ["espc"] }
    public static var actions: ActionSupport { .both }
    public static var defaultStrategy: String? { "espc" }
    public static var appliesCommunicatedGradient: Bool { true }

    public func validationProblem() -> String? { workers.validationProblem() }

    public func makeLearner(_ context: LearnerContext) throws -> EvolutionStrategiesLearner {
        try EvolutionStrategiesLearner(config: workers, context: context)
    }
}
