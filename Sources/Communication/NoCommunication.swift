/// No communication: specialised agents, each learning only from its own task (the
/// "specialised" architecture of paper 000). Sends nothing and leaves parameters as
/// they are.
public struct NoCommunication: CommunicationStrategy {
    public var name: String { "none" }
    public var localStep: LocalStepPlacement { .beforeCommunication }
    public var inputs: StrategyInputs { [] }
    public var channels: StrategyChannels { .none }

    public init() {}

    public mutating func communicate<T: Transport>(
        round: Int, buffers: inout CohortBuffers, transport: inout T, ledger: inout MessageLedger
    ) throws -> RoundReport {
        transport.beginRound(round)
        return RoundReport(round: round, endpoints: transport.agentCount + 1)
    }
}
