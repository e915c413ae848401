/// Evolution strategies with scalar messages (paper 003 §2.4.4 and eq. 2.1; the
/// shared-noise pattern of OpenAI's ES starter).
///
/// All agents hold the same θ. In round r agent m evaluates the return
/// `F_m = F(θ + σ ε_m)` of its own perturbation `ε_m ~ N(0, I)`, which is a pure
/// function of `(seed, r, m)` — get it from ``perturbation(agent:round:count:)`` — and
/// writes `F_m` to `buffers.returns[m]`. Then, in two hops:
/// 1. every agent sends its one scalar `F_m` to the controller;
/// 2. the controller broadcasts the pairs `(m, F_m)` that arrived (2 scalars each);
///    every agent regenerates the perturbations from the shared seed and applies
///    `θ ← θ + α ĝ`, `ĝ = (1/(|R|σ)) Σ_{m∈R} F_m ε_m` (eq. 2.1 with n = |R|).
///
/// No parameter vector is ever sent. An agent whose broadcast is dropped keeps its θ.
/// Raw returns are used, as in eq. 2.1 (no fitness shaping).
///
/// With ``learnersApplyStep`` the last line changes: instead of `θ ← θ + α ĝ`, every agent
/// that heard the broadcast gets ĝ in `buffers.updates[m]` and its θ is left alone, for
/// learners that ascend ĝ with their own optimiser (Adam with L2 in paper 003 §4.7); α is
/// then unused. An agent whose broadcast was dropped is listed in `missing[m]`.
public struct EvolutionStrategies: CommunicationStrategy {
    /// Number of agents n.
    public let agentCount: Int
    /// Perturbation standard deviation σ.
    public let sigma: Float
    /// Step size α.
    public let stepSize: Float
    /// Seed shared by every agent, from which all perturbations are regenerated.
    public let seed: UInt64
    /// Leave the step to the learners: write ĝ to `buffers.updates` instead of applying α ĝ.
    public var learnersApplyStep = false
    public var name: String { "es" }
    public var writesGradients: Bool { learnersApplyStep }
    public var localStep: LocalStepPlacement { .insideCommunication }
    public var inputs: StrategyInputs { .returns }
    public var channels: StrategyChannels { .controllerOnly }

    /// - Throws: ``CommunicationError/invalidValue(name:value:valid:)`` unless σ > 0
    ///   and α is finite.
    public init(agentCount: Int, sigma: Float, stepSize: Float, seed: UInt64) throws {
        guard sigma > 0, sigma.isFinite else {
            throw CommunicationError.invalidValue(name: "perturbation standard deviation σ", value: Double(sigma), valid: "positive")
        }
        guard stepSize.isFinite else {
            throw CommunicationError.invalidValue(name: "ES step size α", value: Double(stepSize), valid: "finite")
        }
        self.agentCount = agentCount
        self.sigma = sigma
        self.stepSize = stepSize
        self.seed = seed
    }

    /// The same strategy, with the step left to the learners (see ``learnersApplyStep``).
    public func leavingStepToLearners(_ leave: Bool = true) -> EvolutionStrategies {
        var s = self
        s.learnersApplyStep = leave
        return s
    }

    /// Agent `agent`'s perturbation ε ~ N(0, I) in round `round`, of length `count`.
    public func perturbation(agent: Int, round: Int, count: Int) -> [Float] {
        var eps = [Float](repeating: 0, count: count)
        fillPerturbation(agent: agent, round: round, into: &eps)
        return eps
    }

    /// ``perturbation(agent:round:count:)`` written into `eps` (its length is the count), without allocating.
    public func fillPerturbation(agent: Int, round: Int, into eps: inout [Float]) {
        var g = SplitMix64(seed: seed, stream: 0x6573_6570, UInt64(round), UInt64(agent))  // "esep"
        eps.withUnsafeMutableBufferPointer { g.fillGaussian($0) }
    }

    public mutating func communicate<T: Transport>(
        round: Int, buffers: inout CohortBuffers, transport: inout T, ledger: inout MessageLedger
    ) throws -> RoundReport {
        try buffers.validate(agents: agentCount, needsUpdates: learnersApplyStep, needsReturns: true)
        transport.beginRound(round)
        var report = RoundReport(round: round, endpoints: agentCount + 1)
        for m in transport.localAgents {
            ledger.post(.floats([buffers.returns[m]]), from: m, to: transport.controller, round: round, through: &transport)
            report.senders.append(m)
        }
        try finishRound(round: round, buffers: &buffers, transport: &transport, ledger: &ledger, report: &report)
        return report
    }

    /// Hops 1 (delivery) and 2 (broadcast and update), shared with ESPC.
    func finishRound<T: Transport>(
        round: Int, buffers: inout CohortBuffers, transport: inout T, ledger: inout MessageLedger, report: inout RoundReport
    ) throws {
        let c = transport.controller
        try transport.deliver()
        let sent = try transport.sendersAtController(report.senders)
        if transport.hostsController {
            let got = try gatherRows(transport.inbox(of: c), count: 1, from: 0..<agentCount)
            ledger.recordDelivered(got.rows.count, round: round)
            report.missing[c] = got.missing.filter { sent.contains($0) }
            var pairs: [Float] = []
            pairs.reserveCapacity(2 * got.rows.count)
            for (s, row) in zip(got.sources, got.rows) { pairs.append(Float(s)); pairs.append(row[0]) }
            for m in 0..<agentCount { ledger.post(.floats(pairs), from: c, to: m, round: round, through: &transport) }
        }
        try transport.deliver()

        // Every agent that heard the broadcast applies the same update; identical
        // messages give identical updates, so compute each distinct one once.
        let p = buffers.parameterCount
        var cachedMessage: [Float]? = nil
        var step = [Float](repeating: 0, count: p)
        var delivered = 0
        for m in transport.localAgents {
            let inbox = transport.inbox(of: m).filter { $0.source == c }
            guard let message = inbox.first?.payload.floats, message.count % 2 == 0 else {
                report.missing[m] = [c]
                continue
            }
            delivered += 1
            if cachedMessage != message {
                var returns: [(agent: Int, value: Float)] = []
                var i = 0
                while i < message.count {
                    let a = Int(message[i])
                    guard a >= 0, a < agentCount, Float(a) == message[i] else {
                        throw CommunicationError.shapeMismatch("agent \(m) received a malformed ES broadcast")
                    }
                    returns.append((a, message[i + 1]))
                    i += 2
                }
                evolutionStrategiesGradient(returns: returns, sigma: sigma, into: &step) { agent, eps in
                    fillPerturbation(agent: agent, round: round, into: &eps)
                }
                cachedMessage = message
            }
            if learnersApplyStep {
                step.withUnsafeBufferPointer { s in buffers.updates[m].withUnsafeMutableBufferPointer { t in
                    t.baseAddress!.update(from: s.baseAddress!, count: p)
                } }
                continue
            }
            let alpha = stepSize
            step.withUnsafeBufferPointer { s in buffers.parameters[m].withUnsafeMutableBufferPointer { t in
                accumulateRow(alpha, s.baseAddress!, into: t.baseAddress!, count: p)
            } }
        }
        ledger.recordDelivered(delivered, round: round)
    }
}
