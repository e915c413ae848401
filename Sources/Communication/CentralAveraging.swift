/// A central controller averages the learners' steps and broadcasts the result
/// (paper 002 Algorithm 1 and eq. 11; the centralised baselines of papers 000 and 003).
///
/// Round k, two hops:
/// 1. every learner m uploads its local step `u_m` (written by the trainer to
///    `buffers.updates[m]`, e.g. `−α ∇̂L_m(θ^k)`) to the controller;
/// 2. the controller sets `θ^{k+1} = θ^k + (1/|R|) Σ_{m∈R} u_m` over the uploads R that
///    arrived (eq. 11 sums; averaging is the same with α scaled by 1/M) and broadcasts
///    `θ^{k+1}`; a learner whose broadcast is dropped keeps its old parameters.
///
/// The controller's θ starts as the mean of the learners' rows at the first round.
/// Messages per round: M uploads and M broadcasts of `P` scalars.
public struct CentralAveraging: CommunicationStrategy {
    /// Number of learners M.
    public let agentCount: Int
    public var name: String { "central" }
    public var localStep: LocalStepPlacement { .insideCommunication }
    public var inputs: StrategyInputs { .updates }
    public var channels: StrategyChannels { .controllerOnly }

    /// The controller's parameters θ (nil before the first round).
    public private(set) var controllerParameters: [Float]?
    /// Whether the first round has run (on every process, the controller's or not).
    private var started = false

    public init(agentCount: Int) {
        self.agentCount = agentCount
    }

    public mutating func communicate<T: Transport>(
        round: Int, buffers: inout CohortBuffers, transport: inout T, ledger: inout MessageLedger
    ) throws -> RoundReport {
        try buffers.validate(agents: agentCount, needsUpdates: true)
        let p = buffers.parameterCount
        var report = RoundReport(round: round, endpoints: agentCount + 1)
        let c = transport.controller
        transport.beginRound(round)
        if !started {
            // The controller starts from the learners' mean.
            try transport.shareRowsWithController(&buffers.parameters)
            if transport.hostsController { controllerParameters = meanRow(buffers.parameters) }
            started = true
        }

        // Hop 1: uploads.
        for m in transport.localAgents { ledger.post(.floats(buffers.updates[m]), from: m, to: c, round: round, through: &transport) }
        report.senders = Array(transport.localAgents)
        try transport.deliver()

        // Controller: average what arrived, step, broadcast.
        if transport.hostsController, var theta = controllerParameters {
            let uploads = try gatherRows(transport.inbox(of: c), count: p, from: 0..<agentCount)
            ledger.recordDelivered(uploads.rows.count, round: round)
            report.missing[c] = uploads.missing
            if !uploads.rows.isEmpty {
                var mean = [Float](repeating: 0, count: p)
                weightedSum([Float](repeating: 1 / Float(uploads.rows.count), count: uploads.rows.count), uploads.rows, into: &mean)
                theta.withUnsafeMutableBufferPointer { t in mean.withUnsafeBufferPointer { d in
                    accumulateRow(1, d.baseAddress!, into: t.baseAddress!, count: p)
                } }
            }
            controllerParameters = theta
            for m in 0..<agentCount { ledger.post(.floats(theta), from: c, to: m, round: round, through: &transport) }
        }
        try transport.deliver()

        // Hop 2: learners adopt the broadcast.
        try adoptBroadcast(buffers: &buffers, transport: transport, ledger: &ledger, report: &report)
        return report
    }
}

/// The mean of equal-length rows.
func meanRow(_ rows: [[Float]]) -> [Float] {
    guard let first = rows.first else { return [] }
    var out = [Float](repeating: 0, count: first.count)
    weightedSum([Float](repeating: 1 / Float(rows.count), count: rows.count), rows, into: &out)
    return out
}

/// The float rows in `inbox` from `expected` sources, in ascending source order, and the
/// expected sources that sent nothing.
func gatherRows(_ inbox: [Envelope], count: Int?, from expected: Range<Int>) throws -> (sources: [Int], rows: [[Float]], missing: [Int]) {
    let sorted = inbox.filter { expected.contains($0.source) }.sorted { $0.source < $1.source }
    var sources: [Int] = []
    var rows: [[Float]] = []
    for e in sorted {
        guard case let .floats(v) = e.payload, count == nil || v.count == count! else {
            throw CommunicationError.shapeMismatch("endpoint \(e.destination) received \(e.payload.scalarCount) values from \(e.source), expected \(count ?? 0)")
        }
        if sources.last == e.source { continue }
        sources.append(e.source)
        rows.append(v)
    }
    var missing: [Int] = []
    var i = 0
    for s in expected {
        if i < sources.count, sources[i] == s { i += 1 } else { missing.append(s) }
    }
    return (sources, rows, missing)
}

/// Hop 2 of the controller strategies: every local learner copies the controller's
/// broadcast into its parameter row, or keeps its row and reports the broadcast missing.
func adoptBroadcast<T: Transport>(buffers: inout CohortBuffers, transport: T, ledger: inout MessageLedger, report: inout RoundReport) throws {
    let c = transport.controller
    let p = buffers.parameterCount
    var delivered = 0
    for m in transport.localAgents {
        let got = try gatherRows(transport.inbox(of: m), count: p, from: c..<(c + 1))
        if let theta = got.rows.first {
            delivered += 1
            theta.withUnsafeBufferPointer { s in buffers.parameters[m].withUnsafeMutableBufferPointer { d in
                d.baseAddress!.update(from: s.baseAddress!, count: p)
            } }
        } else {
            report.missing[m] = [c]
        }
    }
    ledger.recordDelivered(delivered, round: report.round)
}
