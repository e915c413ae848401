import NeuralNets
import Training

/// Evolution strategies (paper 003 §2.4.4, eq. 2.1), run as n workers that share a seed
/// schedule: in each round worker i plays one episode with θ + σε_i and reports its
/// (γ-discounted) return F_i; the strategy (`es`, or `espc` for probabilistic sending) sends the
/// scalars and every worker rebuilds ĝ = (1/(|R|σ)) Σ_{i∈R} F_i ε_i from the shared seed; each
/// worker then ascends ĝ − λθ with its own optimiser (identical on every worker, so θ stays
/// shared). σ is the strategy's setting (`es.sigma`); the strategy's `step_size` is unused, the
/// optimiser's learning rate taking its place.
///
/// The defaults are the report's cart-pole settings (§4.7): two hidden layers of 8, Adam with
/// learning rate 0.01, L2 0.05, γ = 1 (σ = 0.05 is the strategy's default). Its ant settings
/// are two layers of 64, learning rate 0.005, σ 0.02, γ 0.99 (preset `espc-ant`); on the grid
/// worlds (§4.6) two layers of 4 with `optimizer: momentum`.
public struct EvolutionStrategiesConfig: AlgorithmSettings {
    /// Hidden layer widths of the policy network.
    public var hidden: [Int] = [8, 8]
    public var activation: Activation = .tanh
    /// The optimiser of the ascent on ĝ − λθ.
    public var optimizer: EvolutionStrategiesOptimizer = .adam
    /// Its learning rate.
    public var learningRate: Float = 0.01
    /// λ, the L2 coefficient: the ascent direction is ĝ − λθ.
    public var l2: Float = 0.05
    /// μ of the momentum optimiser.
    public var momentum: Float = 0.9
    /// γ of the return F_i = Σ_t γ^t r_t each worker reports.
    public var discount: Float = 1
    /// Steps after which an episode is cut short (0: the task's own limit).
    public var maxEpisodeSteps = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case hidden, activation, optimizer, momentum, discount, l2
        case learningRate = "learning_rate", maxEpisodeSteps = "max_episode_steps"
    }

    public static var name: String { "es" }
    public static var summary: String { "evolution strategies: seeded perturbations, one return per worker, Adam on ĝ − λθ" }
    public static var source: String { "paper 003 §2.4.4 eq. 2.1 and §4.7; OpenAI ES (Salimans et al. 2017)" }
    public static var architectures: [Architecture] { [.decentralised] }
    public static var strategies: [String] { ["es", "espc"] }
    public static var actions: ActionSupport { .both }
    public static var defaultStrategy: String? { "es" }
    public static var appliesCommunicatedGradient: Bool { true }

    public func validationProblem() -> String? {
        if hidden.isEmpty || hidden.contains(where: { $0 < 1 }) { return "hidden must list positive layer widths, got \(hidden)" }
        if !(learningRate > 0 && learningRate.isFinite) { return "learning_rate must be positive, got \(learningRate)" }
        if !(l2 >= 0 && l2.isFinite) { return "l2 must be 0 or positive, got \(l2)" }
        if !(momentum >= 0 && momentum < 1) { return "momentum must lie in [0, 1), got \(momentum)" }
        if !(discount > 0 && discount <= 1) { return "discount must lie in (0, 1], got \(discount)" }
        if maxEpisodeSteps < 0 { return "max_episode_steps must be 0 (the task's limit) or positive, got \(maxEpisodeSteps)" }
        return nil
    }

    public func makeLearner(_ context: LearnerContext) throws -> EvolutionStrategiesLearner {
        try EvolutionStrategiesLearner(config: self, context: context)
    }
}
