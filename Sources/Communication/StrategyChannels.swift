/// The links a strategy may use, declared before the first round, so that a transport across
/// processes can open exactly those channels (a distributed-graph communicator for agent
/// links, gather and broadcast for the controller) and nothing else.
public struct StrategyChannels: Sendable, Equatable {
    /// `agentDestinations[k]`: the agents agent k may send to, ascending; nil when any agent
    /// may send to any other.
    public var agentDestinations: [[Int]]?
    /// Whether agents and the controller exchange messages.
    public var usesController: Bool

    public init(agentDestinations: [[Int]]?, usesController: Bool) {
        self.agentDestinations = agentDestinations
        self.usesController = usesController
    }

    /// Any agent to any agent, and the controller (what a strategy that declares nothing gets).
    public static let any = StrategyChannels(agentDestinations: nil, usesController: true)
    /// Agents and the controller only (central averaging, lazy aggregation, evolution strategies).
    public static let controllerOnly = StrategyChannels(agentDestinations: [], usesController: true)
    /// No messages at all.
    public static let none = StrategyChannels(agentDestinations: [], usesController: false)

    /// The links of a graph strategy: each agent to the agents that listen to it.
    public static func graph(_ weights: MixingMatrix) -> StrategyChannels {
        StrategyChannels(agentDestinations: weights.destinations, usesController: false)
    }

    /// Whether agent-to-agent messages are possible at all.
    public var usesAgentLinks: Bool { agentDestinations.map { $0.contains { !$0.isEmpty } } ?? true }
}
