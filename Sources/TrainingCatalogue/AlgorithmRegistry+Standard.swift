import ActorCritic
import PolicyGradient
import Training

extension AlgorithmRegistry {
    /// Every algorithm Shoal trains, one line each: the command line, `shoal eval`, the presets
    /// and the tests look names up here. Adding an algorithm is its settings type (conforming to
    /// ``AlgorithmSettings``), its learner, and one line below.
    public static let standard = AlgorithmRegistry([
        AlgorithmEntry(A2CConfig.self),
        AlgorithmEntry(PPOConfig.self),
        AlgorithmEntry(SiACConfig.self),
        AlgorithmEntry(ReinforceConfig.self),
    ])
}
