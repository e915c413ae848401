import NeuralNets

/// Hyper-parameters of A2C (Mnih et al. 2016, synchronous), with the Diff-DAC paper's settings
/// (000, §IV-E and appendix A.3) as defaults for the centralised architecture.
public struct A2CConfig: Codable, Sendable, Equatable {
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
    /// Hidden layer widths of both networks.
    public var hidden: [Int] = [64, 64]
    /// Hidden activation of both networks.
    public var activation: Activation = .tanh

    public init() {}

    enum CodingKeys: String, CodingKey {
        case discount, hidden, activation
        case stepsPerUpdate = "steps_per_update", learningRate = "learning_rate", rmspropAlpha = "rmsprop_alpha"
        case rmspropEpsilon = "rmsprop_epsilon", entropyCoefficient = "entropy_coefficient", valueCoefficient = "value_coefficient"
        case maxGradientNorm = "max_gradient_norm", gaeLambda = "gae_lambda"
    }

    /// The Diff-A2C settings of paper 000 (appendix A.3): lr 0.0007, 60 steps per update.
    public static var diffusionDefaults: A2CConfig {
        var c = A2CConfig()
        c.learningRate = 0.0007
        c.stepsPerUpdate = 60
        return c
    }

    /// The first problem with these settings, as a sentence, or nil.
    public func validationProblem() -> String? {
        if !(discount > 0 && discount <= 1) { return "discount must lie in (0, 1], got \(discount)" }
        if stepsPerUpdate < 1 { return "steps_per_update must be at least 1, got \(stepsPerUpdate)" }
        if !(learningRate > 0) { return "learning_rate must be positive, got \(learningRate)" }
        if !(gaeLambda >= 0 && gaeLambda <= 1) { return "gae_lambda must lie in [0, 1], got \(gaeLambda)" }
        if hidden.isEmpty || hidden.contains(where: { $0 < 1 }) { return "hidden must list positive layer widths, got \(hidden)" }
        if maxGradientNorm < 0 { return "max_gradient_norm must be 0 (none) or positive, got \(maxGradientNorm)" }
        return nil
    }
}
