/// The per-copy numbers of a simple-spread step, taken once from its parameters.
public struct SimpleSpreadConstants: Sendable, Equatable {
    public var agents: Int
    public var landmarks: Int
    /// Agent radius.
    public var size: Double
    public var localRatio: Double
    /// w, the penalty per colliding agent.
    public var collisionPenalty: Double
    public var continuous: Bool
    /// Paper 002's per-agent loss instead of MPE2's shared reward.
    public var assignedLoss: Bool
    /// Every agent observes the global state.
    public var globalObservation: Bool
    public var terminateOnSuccess: Bool
    /// Floats per agent observation.
    public var observationSize: Int
    /// Floats per global state (4N + 2L).
    public var stateSize: Int

    public init(_ p: SimpleSpread.Parameters) {
        agents = p.agents
        landmarks = p.landmarkCount
        size = p.agentSize
        localRatio = p.localRatio
        collisionPenalty = p.collisionPenalty
        continuous = p.continuous
        assignedLoss = p.reward == "assigned-loss"
        globalObservation = p.observation == "global"
        terminateOnSuccess = p.terminateOnSuccess
        stateSize = 4 * p.agents + 2 * p.landmarkCount
        observationSize = globalObservation ? stateSize : 4 + 2 * p.landmarkCount + 4 * (p.agents - 1)
    }
}
