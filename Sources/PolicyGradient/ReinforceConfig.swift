import Envs
import NeuralNets
import Training

/// Hyper-parameters of REINFORCE with the G(PO)MDP estimator (LAPG paper 002, §2.2, eq. 9–10);
/// the defaults are the paper's heavy-ball settings.
public struct ReinforceConfig: AlgorithmSettings {
    /// γ.
    public var discount: Float = 0.99
    /// N, trajectories per update (eq. 10); at least one per copy of the learner's batch.
    public var trajectoriesPerUpdate = 10
    /// α, the step size.
    public var learningRate: Float = 0.01
    /// β of heavy-ball momentum (0: plain gradient ascent).
    public var momentum: Float = 0.6
    /// Global gradient-norm clip (0: none).
    public var maxGradientNorm: Float = 0
    /// `mlp` (the observation feeds the networks) or `conv` (image observations: a convolutional
    /// encoder in front of each network, ``ObservationEncoder``).
    public var encoder: ObservationEncoder = .mlp
    /// Hidden layers of the policy network.
    public var hidden: [Int] = [64, 64]
    public var activation: Activation = .tanh

    public init() {}

    enum CodingKeys: String, CodingKey {
        case discount, momentum, hidden, activation, encoder
        case trajectoriesPerUpdate = "trajectories_per_update", learningRate = "learning_rate", maxGradientNorm = "max_gradient_norm"
    }

    public static var name: String { "reinforce" }
    public static var summary: String { "REINFORCE with the G(PO)MDP gradient and heavy-ball momentum (LAPG's learners)" }
    public static var source: String { "LAPG paper 002, §2.2, eq. 9–10" }
    public static var architectures: [Architecture] { Architecture.allCases }
    public static var strategies: [String] { ["none", "central", "diffusion-atc", "diffusion-cta", "consensus", "lazy-aggregation", "event-triggered"] }
    public static var actions: ActionSupport { .both }
    public static func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String? {
        guard let settings = try? resolveSettings(ReinforceConfig.self, from: config.algorithmSettings, defaults: ReinforceConfig(), context: name) else { return nil }
        return settings.encoder.problem(observation: observation).map { "\(name) on \(task): \($0)" }
    }

    public func makeLearner(_ context: LearnerContext) throws -> ReinforceLearner {
        try ReinforceLearner(config: self, environment: context.environment, tasks: context.tasks, seed: context.seed)
    }

    public func validationProblem() -> String? {
        if !(discount > 0 && discount <= 1) { return "discount must lie in (0, 1], got \(discount)" }
        if trajectoriesPerUpdate < 1 { return "trajectories_per_update must be at least 1, got \(trajectoriesPerUpdate)" }
        if !(learningRate > 0) { return "learning_rate must be positive, got \(learningRate)" }
        if !(momentum >= 0 && momentum < 1) { return "momentum must lie in [0, 1), got \(momentum)" }
        if hidden.contains(where: { $0 < 1 }) { return "hidden must list positive layer widths, got \(hidden)" }
        if encoder == .conv && hidden.isEmpty { return "encoder conv needs at least one hidden width for its dense layers" }
        return nil
    }
}
