import Envs
import NeuralNets
import Training

/// Hyper-parameters of the simple actor-critic (SiAC) of the Diff-DAC paper (000, §IV-D and
/// appendix A.1); the defaults are the paper's.
public struct SiACConfig: AlgorithmSettings {
    /// γ.
    public var discount: Float = 0.99
    /// Episodes per copy between learning steps ("a learning step every fifth episode").
    public var episodesPerUpdate = 5
    /// Adam step size of the actor (β in eq. 39a).
    public var actorLearningRate: Float = 0.001
    /// Adam step size of the critic (α in eq. 33a).
    public var criticLearningRate: Float = 0.01
    /// Entropy bonus coefficient.
    public var entropyCoefficient: Float = 0.0005
    /// Global gradient-norm clip (0: none; the paper uses none).
    public var maxGradientNorm: Float = 0
    /// Hidden layers of both networks: two of 400.
    public var hidden: [Int] = [400, 400]
    /// `mlp` or `conv` (a convolutional encoder in front of each network, ``ObservationEncoder``).
    public var encoder: ObservationEncoder = .mlp
    public var activation: Activation = .relu

    public init() {}

    enum CodingKeys: String, CodingKey {
        case discount, hidden, activation, encoder
        case episodesPerUpdate = "episodes_per_update", actorLearningRate = "actor_learning_rate"
        case criticLearningRate = "critic_learning_rate", entropyCoefficient = "entropy_coefficient", maxGradientNorm = "max_gradient_norm"
    }

    public static var name: String { "siac" }
    public static var summary: String { "simple actor-critic on whole episodes, Monte-Carlo advantages, Adam (Diff-SiAC with diffusion)" }
    public static var source: String { "Diff-DAC paper 000, §IV-D, eq. 40–44, appendix A.1" }
    public static var architectures: [Architecture] { Architecture.allCases }
    /// SiAC updates with Adam at the end of episodes: only strategies that mix parameters.
    public static var strategies: [String] { ["none", "diffusion-atc", "diffusion-cta", "event-triggered"] }
    public static var actions: ActionSupport { .both }
    public static func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String? {
        guard let settings = try? resolveSettings(SiACConfig.self, from: config.algorithmSettings, defaults: SiACConfig(), context: name) else { return nil }
        return settings.encoder.problem(observation: observation).map { "\(name) on \(task): \($0)" }
    }

    public func makeLearner(_ context: LearnerContext) throws -> SiACLearner {
        try SiACLearner(config: self, environment: context.environment, tasks: context.tasks, seed: context.seed)
    }

    public func validationProblem() -> String? {
        if !(discount > 0 && discount <= 1) { return "discount must lie in (0, 1], got \(discount)" }
        if episodesPerUpdate < 1 { return "episodes_per_update must be at least 1, got \(episodesPerUpdate)" }
        if !(actorLearningRate > 0 && criticLearningRate > 0) { return "learning rates must be positive" }
        if hidden.isEmpty || hidden.contains(where: { $0 < 1 }) { return "hidden must list positive layer widths, got \(hidden)" }
        return nil
    }
}
