import Testing
import Communication
import CommunicationTesting

/// Deliberately broken strategies: the verifier must reject each one.
struct BrokenDiffusion: CommunicationStrategy {
    enum Flaw { case ignoresDrops, skipsLedger, arrivalOrderSum, wrongWeights, reportsNothing }
    let weights: MixingMatrix
    let flaw: Flaw
    var name: String { "broken-\(flaw)" }
    var localStep: LocalStepPlacement { .beforeCommunication }
    var inputs: StrategyInputs { [] }

    mutating func communicate<T: Transport>(round: Int, buffers: inout CohortBuffers, transport: inout T, ledger: inout MessageLedger) throws -> RoundReport {
        let n = weights.agentCount
        transport.beginRound(round)
        var report = RoundReport(round: round, endpoints: n + 1)
        for k in 0..<n {
            for d in weights.destinations[k] {
                if flaw == .skipsLedger && k == 0 { transport.send(.floats(buffers.parameters[k]), from: k, to: d) }
                else { ledger.post(.floats(buffers.parameters[k]), from: k, to: d, round: round, through: &transport) }
            }
        }
        try transport.deliver()
        var next = buffers.parameters
        for k in 0..<n {
            var inbox = transport.inbox(of: k)
            if flaw != .arrivalOrderSum { inbox.sort { $0.source < $1.source } }
            var selfWeight = Float(weights[k, k])
            var out = buffers.parameters[k].map { _ in Float(0) }
            let arrived = Set(inbox.map(\.source))
            for l in weights.sources[k] where !arrived.contains(l) {
                if flaw != .ignoresDrops { selfWeight += Float(weights[k, l]) }
                if flaw != .reportsNothing { report.missing[k].append(l) }
            }
            if flaw == .wrongWeights {
                // Half the weight spread evenly over neighbours: rows still sum to 1,
                // but this is not the declared W (nor doubly stochastic).
                selfWeight = 1 - 0.5 * Float(inbox.count) / Float(weights.sources[k].count)
            }
            for e in inbox {
                let w = flaw == .wrongWeights ? 0.5 / Float(weights.sources[k].count) : Float(weights[k, e.source])
                for i in out.indices { out[i] += w * e.payload.floats![i] }
            }
            for i in out.indices { out[i] += selfWeight * buffers.parameters[k][i] }
            next[k] = out
        }
        buffers.parameters = next
        return report
    }
}

@Suite struct VerifierTests {
    let weights = MixingRule.hastings.weights(for: try! Graph.randomConnected(agents: 20, averageDegree: 4, seed: 5))

    func rejection(_ flaw: BrokenDiffusion.Flaw) -> StrategyVerifier.Failure? {
        do {
            try StrategyVerifier(parameterCount: 16).verifyMixing(weights: weights) { BrokenDiffusion(weights: weights, flaw: flaw) }
            return nil
        } catch let f as StrategyVerifier.Failure {
            return f
        } catch {
            return .threw(strategy: "?", error: "\(error)")
        }
    }

    @Test func ignoringDropsMovesAFixedPoint() {
        guard case .fixedPointMoved(_, _, let p)? = rejection(.ignoresDrops) else { Issue.record("not rejected as expected"); return }
        #expect(p > 0)
    }

    @Test func unrecordedMessagesBreakTheLedger() {
        guard case .ledgerMismatch? = rejection(.skipsLedger) else { Issue.record("not rejected as expected"); return }
    }

    @Test func summingInArrivalOrderIsOrderDependent() {
        guard case .orderDependent? = rejection(.arrivalOrderSum) else { Issue.record("not rejected as expected: \(String(describing: rejection(.arrivalOrderSum)))"); return }
    }

    @Test func wrongWeightsContractAtTheWrongRate() {
        // Still row-stochastic (a fixed point stays fixed), but not the declared W.
        let f = rejection(.wrongWeights)
        switch f {
        case .averageNotPreserved?, .contractionTooSlow?, .contractionRateMismatch?: break
        default: Issue.record("not rejected as expected: \(String(describing: f))")
        }
    }

    @Test func unreportedDropsAreCaught() {
        guard case .dropsMishandled? = rejection(.reportsNothing) else { Issue.record("not rejected as expected"); return }
    }

    @Test func correctReferenceImplementationPasses() throws {
        try StrategyVerifier(parameterCount: 16).verifyMixing(weights: weights) { try Diffusion(weights: weights) }
    }
}
