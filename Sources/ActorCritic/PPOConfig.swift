import Envs
import NeuralNets
import Training

/// Hyper-parameters of PPO with the clipped surrogate objective (Schulman et al. 2017); the
/// defaults are Stable-Baselines3's `PPO` (n_steps 2048, batch 64, 10 epochs, γ 0.99, λ 0.95,
/// clip 0.2, lr 3e-4, Adam ε 1e-5, value coefficient 0.5, gradient clip 0.5, 64-64 tanh).
public struct PPOConfig: AlgorithmSettings {
    /// T, steps per copy in each rollout (`n_steps`; the rollout is T × copies transitions).
    public var stepsPerRollout = 2048
    /// Minibatch size (`batch_size`).
    public var minibatchSize = 64
    /// K, passes over the rollout per update (`n_epochs`).
    public var epochs = 10
    /// γ.
    public var discount: Float = 0.99
    /// λ of GAE.
    public var gaeLambda: Float = 0.95
    /// ε, the clip range of the probability ratio.
    public var clipRange: Float = 0.2
    /// ε_v, the clip range of the value prediction around the rollout's (0: no value clipping).
    public var valueClipRange: Float = 0
    /// Normalise the advantages within each minibatch.
    public var normalizeAdvantage = true
    /// c₂, the entropy bonus coefficient.
    public var entropyCoefficient: Float = 0
    /// c₁, the value-loss coefficient.
    public var valueCoefficient: Float = 0.5
    /// Global gradient-norm clip (0: none).
    public var maxGradientNorm: Float = 0.5
    /// Adam step size.
    public var learningRate: Float = 3e-4
    /// Adam ε.
    public var adamEpsilon: Float = 1e-5
    /// Environment steps over which the learning rate and the clip range decay linearly to 0
    /// (rl-zoo's `lin_` schedules; 0: constant).
    public var annealSteps = 0
    /// Stop an update's epochs once a minibatch's approximate KL exceeds 1.5 × this (0: never).
    public var targetKL: Float = 0
    /// Initial log standard deviation of Gaussian policies.
    public var logStdInit: Float = 0
    /// `mlp` (the observation feeds the networks) or `conv` (image observations: a convolutional
    /// encoder in front of each network, ``ObservationEncoder``).
    public var encoder: ObservationEncoder = .mlp
    /// Hidden layers of both networks.
    public var hidden: [Int] = [64, 64]
    public var activation: Activation = .tanh

    public init() {}

    enum CodingKeys: String, CodingKey {
        case epochs, discount, hidden, activation, encoder
        case stepsPerRollout = "steps_per_rollout", minibatchSize = "minibatch_size", gaeLambda = "gae_lambda", clipRange = "clip_range"
        case valueClipRange = "value_clip_range", normalizeAdvantage = "normalize_advantage", entropyCoefficient = "entropy_coefficient"
        case valueCoefficient = "value_coefficient", maxGradientNorm = "max_gradient_norm", learningRate = "learning_rate"
        case adamEpsilon = "adam_epsilon", annealSteps = "anneal_steps", targetKL = "target_kl", logStdInit = "log_std_init"
    }

    public static var name: String { "ppo" }
    public static var summary: String { "proximal policy optimisation: clipped surrogate, GAE, shuffled minibatch epochs, Adam" }
    public static var source: String { "Schulman et al. 2017; defaults as Stable-Baselines3 PPO" }
    public static var architectures: [Architecture] { Architecture.allCases }
    public static var strategies: [String] { ["none", "central", "diffusion-atc", "diffusion-cta", "consensus", "event-triggered"] }
    public static var actions: ActionSupport { .both }
    public static func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String? {
        guard let settings = try? resolveSettings(PPOConfig.self, from: config.algorithmSettings, defaults: PPOConfig(), context: name) else { return nil }
        return settings.encoder.problem(observation: observation).map { "\(name) on \(task): \($0)" }
    }

    public func makeLearner(_ context: LearnerContext) throws -> PPOLearner {
        try PPOLearner(config: self, environment: context.environment, tasks: context.tasks, seed: context.seed)
    }

    public func validationProblem() -> String? {
        if stepsPerRollout < 1 { return "steps_per_rollout must be at least 1, got \(stepsPerRollout)" }
        if minibatchSize < 1 { return "minibatch_size must be at least 1, got \(minibatchSize)" }
        if epochs < 1 { return "epochs must be at least 1, got \(epochs)" }
        if !(discount > 0 && discount <= 1) { return "discount must lie in (0, 1], got \(discount)" }
        if !(gaeLambda >= 0 && gaeLambda <= 1) { return "gae_lambda must lie in [0, 1], got \(gaeLambda)" }
        if !(clipRange > 0 && clipRange < 1) { return "clip_range must lie in (0, 1), got \(clipRange)" }
        if !(valueClipRange >= 0) { return "value_clip_range must be 0 (none) or positive, got \(valueClipRange)" }
        if !(entropyCoefficient >= 0) { return "entropy_coefficient must be 0 or positive, got \(entropyCoefficient)" }
        if !(valueCoefficient >= 0) { return "value_coefficient must be 0 or positive, got \(valueCoefficient)" }
        if !(maxGradientNorm >= 0) { return "max_gradient_norm must be 0 (none) or positive, got \(maxGradientNorm)" }
        if !(learningRate > 0 && learningRate.isFinite) { return "learning_rate must be positive, got \(learningRate)" }
        if !(adamEpsilon > 0) { return "adam_epsilon must be positive, got \(adamEpsilon)" }
        if annealSteps < 0 { return "anneal_steps must be 0 (constant) or positive, got \(annealSteps)" }
        if !(targetKL >= 0) { return "target_kl must be 0 (none) or positive, got \(targetKL)" }
        if hidden.isEmpty || hidden.contains(where: { $0 < 1 }) { return "hidden must list positive layer widths, got \(hidden)" }
        return nil
    }
}
