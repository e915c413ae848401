import ActorCritic
import EvolutionStrategies
import MultiAgentActorCritic
import PolicyGradient
import Training
import ValueBased

extension AlgorithmRegistry {
    /// Every algorithm Shoal trains, one line each: the command line, `shoal eval`, the presets
    /// and the tests look names up here. Adding an algorithm is its settings type (conforming to
    /// ``AlgorithmSettings``), its learner, and one line below.
    public static let standard = AlgorithmRegistry([
        AlgorithmEntry(A2CConfig.self),
        AlgorithmEntry(PPOConfig.self),
        AlgorithmEntry(SiACConfig.self),
        AlgorithmEntry(ReinforceConfig.self),
        AlgorithmEntry(DistributedPGConfig.self),
        AlgorithmEntry(DCPGConfig.self),
        AlgorithmEntry(DistMTPSConfig.self),
        AlgorithmEntry(EvolutionStrategiesConfig.self),
        AlgorithmEntry(ProbabilisticEvolutionStrategiesConfig.self),
        AlgorithmEntry(DQLConfig.self),
        AlgorithmEntry(EBCDQLConfig.self),
        AlgorithmEntry(DAVIAConfig.self),
        AlgorithmEntry(TabularActorCriticConfig.self),
        AlgorithmEntry(JointQLearningConfig.self),
        AlgorithmEntry(OffPolicyActorCriticConfig.self),
        AlgorithmEntry(MADDPGConfig.self),
    ])
}
