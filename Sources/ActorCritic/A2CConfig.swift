import Envs
import NeuralNets
import Training

/// Hyper-parameters of A2C (Mnih et al. 2016, synchronous), with the Diff-DAC paper's settings
/// for the centralised architecture (000, §IV-E and appendix A.3) as defaults. The same
/// defaults hold whatever the architecture and agent count; Diff-A2C's (lr 0.0007, 60 steps
/// per update) are set explicitly by the presets that use them.
public struct A2CConfig: AlgorithmSettings {
    /// γ, the discount.
    public var discount: Float = 0.99
    /// T_k, transitions per copy between updates (eq. 45): 5 centralised, 60 for Diff-A2C.
    public var stepsPerUpdate = 5
    /// RMSProp step size: 0.002 centralised, 0.0007 for Diff-A2C.
    public var learningRate: Float = 0.002
    /// RMSProp smoothing α.
    public var rmspropAlpha: Float = 0.99
    /// RMSProp ε (added outside the square root, as PyTorch).
    public var rmspropEpsilon: Float = 1e-5
    /// Entropy bonus coefficient.
    public var entropyCoefficient: Float = 0.01
    /// Value-loss coefficient c in `c · mean((R − V)²)`.
    public var valueCoefficient: Float = 0.5
    /// Global gradient-norm clip over actor and critic together (0: none).
    public var maxGradientNorm: Float = 0.5
    /// λ of GAE; 1 gives the n-step returns of eq. 45.
    public var gaeLambda: Float = 1
    /// `mlp` (the observation feeds the networks) or `conv` (image observations: a convolutional
    /// encoder in front of each network, ``ObservationEncoder``).
    public var encoder: ObservationEncoder = .mlp
    /// Hidden layer widths of both networks.
    public var hidden: [Int] = [64, 64]
    /// Hidden activation of both networks.
    public var activation: Activation = .tanh

    public init() {}

    enum CodingKeys: String, CodingKey {
        case discount, hidden, activation, encoder
        case stepsPerUpdate = "steps_per_update", learningRate = "learning_rate", rmspropAlpha = "rmsprop_alpha"
        case rmspropEpsilon = "rmsprop_epsilon", entropyCoefficient = "entropy_coefficient", valueCoefficient = "value_coefficient"
        case maxGradientNorm = "max_gradient_norm", gaeLambda = "gae_lambda"
    }

    public static var name: String { "a2c" }
    public static var summary: String { "synchronous advantage actor-critic, n-step or GAE advantages, RMSProp (Diff-A2C with diffusion)" }
    public static var source: String { "Mnih et al. 2016; Diff-DAC paper 000, eq. 45, appendix A.3" }
    public static var architectures: [Architecture] { Architecture.allCases }
    public static var strategies: [String] { ["none", "central", "diffusion-atc", "diffusion-cta", "consensus", "event-triggered"] }
    public static var actions: ActionSupport { .both }
    public static func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String? {
        guard let settings = try? resolveSettings(A2CConfig.self, from: config.algorithmSettings, defaults: A2CConfig(), context: name) else { return nil }
        return settings.encoder.problem(observation: observation).map { "\(name) on \(task): \($0)" }
    }

    public func makeLearner(_ context: LearnerContext) throws -> A2CLearner {
        try A2CLearner(config: self, environment: context.environment, tasks: context.tasks, seed: context.seed)
    }

    /// The Diff-A2C settings of paper 000 (appendix A.3): lr 0.0007, 60 steps per update.
    public static var diffusionSettings: A2CConfig {
        var c = A2CConfig()
        c.learningRate = 0.0007
        c.stepsPerUpdate = 60
        return c
    }

    /// The first problem with these settings, as a sentence, or nil.
    public func validationProblem() -> String? {
        if !(discount > 0 && discount <= 1) { return "discount must lie in (0, 1], got \(discount)" }
        if stepsPerUpdate < 1 { return "steps_per_update must be at least 1, got \(stepsPerUpdate)" }
        if !(learningRate > 0 && learningRate.isFinite) { return "learning_rate must be positive, got \(learningRate)" }
        if !(gaeLambda >= 0 && gaeLambda <= 1) { return "gae_lambda must lie in [0, 1], got \(gaeLambda)" }
        if hidden.isEmpty || hidden.contains(where: { $0 < 1 }) { return "hidden must list positive layer widths, got \(hidden)" }
        if !(rmspropAlpha >= 0 && rmspropAlpha < 1) { return "rmsprop_alpha must lie in [0, 1), got \(rmspropAlpha)" }
        if !(rmspropEpsilon > 0) { return "rmsprop_epsilon must be positive, got \(rmspropEpsilon)" }
        if !(entropyCoefficient >= 0) { return "entropy_coefficient must be 0 or positive, got \(entropyCoefficient)" }
        if !(valueCoefficient >= 0) { return "value_coefficient must be 0 or positive, got \(valueCoefficient)" }
        if maxGradientNorm < 0 { return "max_gradient_norm must be 0 (none) or positive, got \(maxGradientNorm)" }
        return nil
    }
}
