/// Consensus policy gradient (paper 001 eq. 9, DCPG):
/// `θ_i^{k+1} = Σ_j W_ij θ_j^k + α^k g_i^k`.
///
/// Agents exchange their *previous* iterates and mix them, then add the local step
/// `α g_i` computed at their own previous iterate `θ_i^k` (not at the mixed point, which
/// is what distinguishes consensus from combine-then-adapt diffusion). The trainer
/// writes `α g_i` (signed so that adding it is the update) to `buffers.updates[i]`.
/// Paper 001 uses lazy Metropolis weights on a ring (§5.1).
public struct Consensus: CommunicationStrategy {
    /// The mixing weights W.
    public let weights: MixingMatrix
    public var name: String { "consensus" }
    public var localStep: LocalStepPlacement { .insideCommunication }
    public var inputs: StrategyInputs { .updates }
    public var channels: StrategyChannels { .graph(weights) }

    private var diffusion: Diffusion

    /// - Throws: as ``Diffusion/init(weights:order:)``.
    public init(weights: MixingMatrix) throws {
        self.weights = weights
        diffusion = try Diffusion(weights: weights, order: .combineThenAdapt)
    }

    public mutating func communicate<T: Transport>(
        round: Int, buffers: inout CohortBuffers, transport: inout T, ledger: inout MessageLedger
    ) throws -> RoundReport {
        try buffers.validate(agents: weights.agentCount, needsUpdates: true)
        var report = try diffusion.communicate(round: round, buffers: &buffers, transport: &transport, ledger: &ledger)
        report.round = round
        let p = buffers.parameterCount
        for k in transport.localAgents {
            buffers.updates[k].withUnsafeBufferPointer { u in
                buffers.parameters[k].withUnsafeMutableBufferPointer { t in
                    accumulateRow(1, u.baseAddress!, into: t.baseAddress!, count: p)
                }
            }
        }
        return report
    }
}
