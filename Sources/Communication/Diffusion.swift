/// Diffusion over a graph (paper 000 §III eq. 5, critic eq. 33, actor eq. 39):
/// every agent sends its parameters to its neighbours and replaces them by the
/// weighted combination `w_k ← Σ_l W[k, l] · w_l` (paper 000 writes `Σ_l c_lk ŵ_l`).
///
/// - ``Order/adaptThenCombine`` (ATC, eq. 5a–5b, 33, 39): the trainer first adapts,
///   `ŵ_k = w_k + β ∇̂J_k(w_k)`, then this strategy combines the intermediate `ŵ`.
/// - ``Order/combineThenAdapt`` (CTA): this strategy combines first, and the trainer
///   then adapts at the combined point, `w_k = ψ_k + β ∇̂J_k(ψ_k)`.
///
/// The combination is the same in both orders; only ``localStep`` differs. A dropped
/// message's weight moves onto the receiver (Fig. 7 of paper 000 studies drops).
/// Messages: one per directed link with positive weight, `P` scalars each.
public struct Diffusion: CommunicationStrategy {
    /// Adapt-then-combine or combine-then-adapt.
    public enum Order: String, Sendable {
        case adaptThenCombine = "atc"
        case combineThenAdapt = "cta"
    }

    /// The mixing weights W.
    public let weights: MixingMatrix
    /// ATC or CTA.
    public let order: Order
    public var name: String { "diffusion-\(order.rawValue)" }
    public var localStep: LocalStepPlacement { order == .adaptThenCombine ? .beforeCommunication : .afterCommunication }
    public var inputs: StrategyInputs { [] }
    public var channels: StrategyChannels { .graph(weights) }

    private var mixer: NeighbourMixer
    private var next: [[Float]] = []

    /// - Throws: ``CommunicationError/disconnectedGraph(agents:unreachable:)`` when the
    ///   weights' graph is not connected, or an error when W is not primitive.
    public init(weights: MixingMatrix, order: Order = .adaptThenCombine) throws {
        try weights.requireMixing()
        self.weights = weights
        self.order = order
        mixer = NeighbourMixer(weights: weights)
    }

    public mutating func communicate<T: Transport>(
        round: Int, buffers: inout CohortBuffers, transport: inout T, ledger: inout MessageLedger
    ) throws -> RoundReport {
        try buffers.validate(agents: weights.agentCount)
        transport.beginRound(round)
        var report = RoundReport(round: round, endpoints: weights.agentCount + 1)
        broadcastRows(buffers, weights: weights, round: round, transport: &transport, ledger: &ledger)
        report.senders = Array(transport.localAgents)
        try transport.deliver()
        try combineAll(round: round, buffers: &buffers, transport: transport, ledger: &ledger, report: &report)
        return report
    }

    /// The combine phase (exposed to the module for consensus and benchmarks).
    mutating func combineAll<T: Transport>(
        round: Int, buffers: inout CohortBuffers, transport: T, ledger: inout MessageLedger, report: inout RoundReport
    ) throws {
        if next.count != buffers.agentCount { next = [[Float]](repeating: [], count: buffers.agentCount) }
        var delivered = 0
        for k in transport.localAgents {
            let inbox = transport.inbox(of: k)
            delivered += inbox.count
            try mixer.mix(agent: k, own: buffers.parameters[k], inbox: inbox, into: &next[k],
                          missing: &report.missing[k], stale: &report.stale[k])
        }
        ledger.recordDelivered(delivered, round: round)
        for k in transport.localAgents { swap(&buffers.parameters[k], &next[k]) }
    }
}
