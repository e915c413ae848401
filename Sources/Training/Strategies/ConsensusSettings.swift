import Communication

/// `consensus`: θ_i ← Σ_j W_ij θ_j + step_i, the previous iterates mixed and the local step
/// (taken at the agent's own iterate) added (DCPG, paper 001 Algorithm 1).
public struct ConsensusSettings: StrategySettings {
    public init() {}
    public static var name: String { "consensus" }
    public static var summary: String { "mix the previous iterates, add the local step (DCPG, paper 001)" }
    public static var communicates: Bool { true }
    public static var usesGraph: Bool { true }
    public static var localStep: LocalStepPlacement { .insideCommunication }
    public static var inputs: StrategyInputs { .updates }
    public func makeStrategy(_ context: StrategyContext) throws -> any CommunicationStrategy {
        try Consensus(weights: try context.requireWeights(Self.name))
    }
}
