/// Lazily aggregated policy gradient (paper 002, LAPG: eq. 12–13, condition 16,
/// Algorithm 2): a central controller that reuses stale gradients, and learners that
/// upload only when their gradient has changed enough.
///
/// Units. The trainer writes learner m's step `u_m` to `buffers.updates[m]`; with the
/// paper's step size α and M learners, `u_m = −M α ∇̂L_m(θ^k)`, so that the controller's
/// mean `θ^{k+1} = θ^k + (1/M) Σ_m û_m` is eq. 12 (`θ^k − α Σ_m ∇̂L_m(θ̂_m)`), where `û_m`
/// is the last step m uploaded. Multiplying condition (16) by `(Mα)²` gives, in these
/// units, the upload rule
///
///     ‖u_m − û_m‖² ≥ Σ_{d=1}^{D} ξ_d ‖θ^{k+1−d} − θ^{k−d}‖² + noiseFloor,
///
/// with `noiseFloor = 6 M² α² σ²_m` (the variance term of (16)). A learner that has
/// never uploaded always uploads.
///
/// Deviation, for robustness to dropped links: the learner uploads its fresh `u_m`
/// (eq. 13a) rather than the innovation `δ = u_m − û_m` (eq. 13b). The message is the
/// same size and, without drops, the arithmetic is identical; with drops the controller
/// keeps m's previous copy instead of losing an innovation forever.
///
/// Messages per round: one upload of `P` scalars per triggered learner, and a broadcast
/// of θ (`P` scalars) to every learner.
public struct LazyAggregation: CommunicationStrategy {
    /// Number of learners M.
    public let agentCount: Int
    /// The weights ξ_1 ≥ … ≥ ξ_D of condition (16) (D = count).
    public let xi: [Double]
    /// `6 M² α² σ²`: the variance term of (16) in update units.
    public let noiseFloor: Double
    public var name: String { "lazy" }
    public var localStep: LocalStepPlacement { .insideCommunication }
    public var inputs: StrategyInputs { .updates }
    public var channels: StrategyChannels { .controllerOnly }

    /// The controller's parameters θ.
    public private(set) var controllerParameters: [Float]?
    /// Whether the first round has run (on every process, the controller's or not).
    private var started = false
    /// The controller's (possibly stale) copy of each learner's step.
    public private(set) var controllerCopies: [[Float]?]
    /// Each learner's last uploaded step û_m.
    public private(set) var lastUploaded: [[Float]?]
    /// `‖θ^{k+1−d} − θ^{k−d}‖²` for d = 1 … D, most recent first.
    public private(set) var history: [Double] = []

    /// - Throws: ``CommunicationError/invalidValue(name:value:valid:)`` for a negative
    ///   ξ or noise floor.
    public init(agentCount: Int, xi: [Double] = [0.1], noiseFloor: Double = 0) throws {
        if let bad = xi.first(where: { !($0 >= 0 && $0.isFinite) }) {
            throw CommunicationError.invalidValue(name: "LAPG weight ξ", value: bad, valid: "finite and non-negative")
        }
        guard noiseFloor >= 0, noiseFloor.isFinite else {
            throw CommunicationError.invalidValue(name: "LAPG noise floor", value: noiseFloor, valid: "finite and non-negative")
        }
        self.agentCount = agentCount
        self.xi = xi
        self.noiseFloor = noiseFloor
        controllerCopies = [[Float]?](repeating: nil, count: agentCount)
        lastUploaded = [[Float]?](repeating: nil, count: agentCount)
    }

    /// The right-hand side of the upload rule for the current history.
    public var threshold: Double {
        var s = noiseFloor
        for (d, x) in xi.enumerated() where d < history.count { s += x * history[d] }
        return s
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

        // Learners: upload when the innovation beats the threshold (condition 16).
        let tau = threshold
        for m in transport.localAgents {
            let u = buffers.updates[m]
            var upload = true
            if let last = lastUploaded[m] {
                let innovation = u.withUnsafeBufferPointer { a in last.withUnsafeBufferPointer { b in
                    squaredDistance(a.baseAddress!, b.baseAddress!, count: p)
                } }
                upload = innovation >= tau
            }
            if upload {
                ledger.post(.floats(u), from: m, to: c, round: round, through: &transport)
                lastUploaded[m] = u
                report.senders.append(m)
            }
        }
        try transport.deliver()
        let sent = try transport.sendersAtController(report.senders)

        // Controller: refresh copies that arrived, reuse stale ones, step, broadcast.
        if transport.hostsController, var theta = controllerParameters {
            let uploads = try gatherRows(transport.inbox(of: c), count: p, from: 0..<agentCount)
            ledger.recordDelivered(uploads.rows.count, round: round)
            report.missing[c] = uploads.missing.filter { sent.contains($0) }
            for (s, row) in zip(uploads.sources, uploads.rows) { controllerCopies[s] = row }
            let known = controllerCopies.compactMap { $0 }
            let old = theta
            if !known.isEmpty {
                var sum = [Float](repeating: 0, count: p)
                weightedSum([Float](repeating: 1 / Float(agentCount), count: known.count), known, into: &sum)
                theta.withUnsafeMutableBufferPointer { t in sum.withUnsafeBufferPointer { d in
                    accumulateRow(1, d.baseAddress!, into: t.baseAddress!, count: p)
                } }
            }
            let moved = theta.withUnsafeBufferPointer { a in old.withUnsafeBufferPointer { b in
                squaredDistance(a.baseAddress!, b.baseAddress!, count: p)
            } }
            history.insert(moved, at: 0)
            if history.count > xi.count { history.removeLast(history.count - xi.count) }
            controllerParameters = theta
            for m in 0..<agentCount { ledger.post(.floats(theta), from: c, to: m, round: round, through: &transport) }
        }
        // Every learner's upload rule reads the history (condition 16).
        try transport.shareFromController(&history)
        try transport.deliver()
        try adoptBroadcast(buffers: &buffers, transport: transport, ledger: &ledger, report: &report)
        return report
    }
}
