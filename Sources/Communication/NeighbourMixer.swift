/// The combination step shared by diffusion, consensus and event-triggered diffusion:
/// `out_k = Σ_l W[k, l] · x_l` over the sources that arrived, with the weight of every
/// missing source moved onto agent k itself (so the row still sums to 1 and a common
/// value stays fixed).
///
/// Sources are combined in ascending index order whatever order they arrived in; the
/// scratch arrays are reused, so after the first round the only work per agent is the
/// arithmetic.
struct NeighbourMixer {
    let weights: MixingMatrix
    private var slot: [Int]
    private var pickWeights: [Float] = []
    private var pickRows: [[Float]] = []

    init(weights: MixingMatrix) {
        self.weights = weights
        slot = [Int](repeating: -1, count: weights.maximumSourceCount)
        pickWeights.reserveCapacity(weights.maximumSourceCount + 1)
        pickRows.reserveCapacity(weights.maximumSourceCount + 1)
    }

    /// Combines agent `k`'s row `own` with the float payloads in `inbox` into `out`.
    /// A source with no message is looked up in `fallback` (a stale copy) and, failing
    /// that, listed in `missing` and its weight moved to `k`.
    mutating func mix(
        agent k: Int, own: [Float], inbox: [Envelope], into out: inout [Float],
        missing: inout [Int], stale: inout [Int], fallback: (Int) -> [Float]? = { _ in nil }
    ) throws {
        let sources = weights.sources[k]
        let w = weights.sourceWeights[k]
        let p = own.count
        for i in 0..<sources.count { slot[i] = -1 }
        for (e, envelope) in inbox.enumerated() {
            guard let i = sources.binarySearch(envelope.source) else { continue }
            guard case let .floats(values) = envelope.payload, values.count == p else {
                throw CommunicationError.shapeMismatch(
                    "agent \(k) received \(envelope.payload.scalarCount) values from agent \(envelope.source), expected \(p)")
            }
            slot[i] = e
        }
        pickWeights.removeAll(keepingCapacity: true)
        pickRows.removeAll(keepingCapacity: true)
        var selfWeight = weights.selfWeights[k]
        pickWeights.append(0)  // placeholder for the self weight, fixed below
        pickRows.append(own)
        for i in 0..<sources.count {
            if slot[i] >= 0, case let .floats(values) = inbox[slot[i]].payload {
                pickWeights.append(w[i])
                pickRows.append(values)
            } else if let old = fallback(sources[i]), old.count == p {
                pickWeights.append(w[i])
                pickRows.append(old)
                stale.append(sources[i])
            } else {
                selfWeight += w[i]
                missing.append(sources[i])
            }
        }
        pickWeights[0] = selfWeight
        if out.count != p { out = [Float](repeating: 0, count: p) }
        weightedSum(pickWeights, pickRows, into: &out)
        // Release the references so the senders' rows stay uniquely owned.
        pickRows.removeAll(keepingCapacity: true)
    }
}

/// Sends each local agent's parameter row to every agent that listens to it, through
/// the ledger. Returns the number of messages posted.
@discardableResult
func broadcastRows<T: Transport>(
    _ buffers: CohortBuffers, weights: MixingMatrix, round: Int, transport: inout T, ledger: inout MessageLedger,
    only senders: ((Int) -> Bool)? = nil
) -> Int {
    var count = 0
    for k in transport.localAgents where senders?(k) ?? true {
        let payload = Payload.floats(buffers.parameters[k])
        for d in weights.destinations[k] {
            ledger.post(payload, from: k, to: d, round: round, through: &transport)
            count += 1
        }
    }
    return count
}

extension MixingMatrix {
    /// Throws unless these weights can drive diffusion or consensus: the support graph
    /// is connected and the matrix is primitive.
    func requireMixing() throws {
        try supportGraph.requireConnected()
        if !isPrimitive {
            throw CommunicationError.invalidValue(
                name: "period of the weights matrix", value: Double(period),
                valid: "1 (the matrix must be primitive; give some agent a positive self weight)")
        }
    }
}
