/// Lazily aggregated policy gradient (paper 002, LAPG: eq. 12–13, condition 16,
/// Algorithm 2): a central controller that reuses stale gradients, and learners that
/// upload only their *innovation* and only when it is large enough.
///
/// Two drivers use this file. The `pg` algorithm (module `PolicyGradient`, the paper's
/// multi-agent setting) works in the paper's units with ``lazyUploadThreshold(xi:parameterChanges:stepSize:learners:variance:)``
/// and ``lazyShouldUpload(innovation:threshold:)`` directly, σ²_m estimated per learner and
/// round. The cohort strategy below (`lazy-aggregation` with `reinforce` learners) works in
/// update units:
///
/// Units. The trainer writes learner m's step `u_m` to `buffers.updates[m]`; with the
/// paper's step size α and M learners, `u_m = −M α ∇̂L_m(θ^k)`, so that the controller's
/// mean `θ^{k+1} = θ^k + (1/M) Σ_m û_m` is eq. 12 (`θ^k − α Σ_m ∇̂L_m(θ̂_m)`), where `û_m`
/// is the last step m uploaded. Multiplying condition (16) by `(Mα)²` gives, in these
/// units, the upload rule
///
///     ‖u_m − û_m‖² ≥ Σ_{d=1}^{D} ξ_d ‖θ^{k+1−d} − θ^{k−d}‖² + noiseFloor,
///
/// with `noiseFloor = 6 M² α² σ²_m` (the variance term of (16)): condition (16) with
/// `Mα = 1`, which is how it is computed. A learner that has never uploaded always uploads.
///
/// Messages (eq. 13b): a triggered learner uploads its innovation `δ_m = u_m − û_m`
/// (`P` scalars) and the controller adds it to its copy of m's step, `û_m ← û_m + δ_m`.
/// A dropped innovation is not acknowledged: the learner keeps its previous `û_m`, so
/// its copy and the controller's never drift apart, and its next innovation carries the
/// lost change too. Every round the controller broadcasts θ (`P` scalars) to every
/// learner; the ledger tells uploads (``MessageLedger/uploads``) from broadcasts.
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
        // Condition (16) with Mα = 1 (update units): Σ ξ_d h_d + 6σ², 6σ² = noiseFloor.
        lazyUploadThreshold(xi: xi, parameterChanges: history, stepSize: 1 / Double(agentCount), learners: agentCount, variance: noiseFloor / 6)
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

        // Learners: upload the innovation when it beats the threshold (condition 16).
        let tau = threshold
        var innovations: [Int: [Float]] = [:]
        for m in transport.localAgents {
            let u = buffers.updates[m]
            var upload = true
            var delta = u
            if let last = lastUploaded[m] {
                var innovation = 0.0
                for i in 0..<p {
                    delta[i] = u[i] - last[i]
                    innovation += Double(delta[i]) * Double(delta[i])
                }
                upload = lazyShouldUpload(innovation: innovation, threshold: tau)
            }
            if upload {
                ledger.post(.floats(delta), from: m, to: c, round: round, through: &transport)
                innovations[m] = delta
                report.senders.append(m)
            }
        }
        try transport.deliver()
        let sent = try transport.sendersAtController(report.senders)

        // Which learners' innovations arrived (1) this round, for their acknowledgements.
        var acknowledged = [Double](repeating: 0, count: agentCount)
        // Controller: refresh copies that arrived, reuse stale ones, step, broadcast.
        if transport.hostsController, var theta = controllerParameters {
            let uploads = try gatherRows(transport.inbox(of: c), count: p, from: 0..<agentCount)
            ledger.recordDelivered(uploads.rows.count, round: round)
            report.missing[c] = uploads.missing.filter { sent.contains($0) }
            for (s, delta) in zip(uploads.sources, uploads.rows) {
                if var copy = controllerCopies[s] {
                    for i in 0..<p { copy[i] += delta[i] }
                    controllerCopies[s] = copy
                } else {
                    controllerCopies[s] = delta
                }
            }
            for s in uploads.sources { acknowledged[s] = 1 }
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
        // Acknowledgements (control data, like the history: not counted): a learner's copy
        // û_m advances only with an innovation that arrived, by the same addition as the
        // controller's copy, so the two stay equal in every process.
        try transport.shareFromController(&acknowledged)
        for m in transport.localAgents where acknowledged[m] == 1 {
            guard let delta = innovations[m] else { continue }
            if var last = lastUploaded[m] {
                for i in 0..<p { last[i] += delta[i] }
                lastUploaded[m] = last
            } else {
                lastUploaded[m] = delta
            }
        }
        // Every learner's upload rule reads the history (condition 16).
        try transport.shareFromController(&history)
        try transport.deliver()
        try adoptBroadcast(buffers: &buffers, transport: transport, ledger: &ledger, report: &report)
        return report
    }
}

/// The right-hand side of LAPG's upload condition (16), paper 002:
///
///     (1 / (α² M²)) Σ_{d=1}^{D} ξ_d ‖θ^{k+1−d} − θ^{k−d}‖² + 6 σ²_m
///
/// - Parameters:
///   - xi: ξ_1 … ξ_D (D = `xi.count`).
///   - parameterChanges: `‖θ^{k+1−d} − θ^{k−d}‖²` for d = 1, 2, …, most recent first (`[0]` is
///     `‖θ^k − θ^{k−1}‖²`); missing entries (before D steps were taken) count as 0, as the
///     paper's initialisation θ^{1−D} = … = θ^0 = θ^1 makes them.
///   - stepSize: α.
///   - learners: M.
///   - variance: σ²_m, the variance of learner m's mini-batch gradient (Lemma 2, eq. 15).
public func lazyUploadThreshold(xi: [Double], parameterChanges: [Double], stepSize: Double, learners: Int, variance: Double) -> Double {
    var weighted = 0.0
    for d in 0..<min(xi.count, parameterChanges.count) { weighted += xi[d] * parameterChanges[d] }
    let m = Double(learners)
    return weighted / (stepSize * stepSize * m * m) + 6 * variance
}

/// Condition (16): learner m uploads when `‖δ∇̂_m^k‖² ≥ threshold` (ties upload, so a zero
/// threshold makes every learner upload every round, which is PG).
@inlinable
public func lazyShouldUpload(innovation squaredNorm: Double, threshold: Double) -> Bool {
    squaredNorm >= threshold
}

extension MessageLedger {
    /// Messages the agents sent to the controller (uploads), over every round.
    public var uploads: Int { (0..<agentCount).reduce(0) { $0 + total(endpoint: $1).messages } }
    /// Messages the controller (endpoint `agentCount`) sent, over every round (broadcasts).
    public var broadcasts: Int { total(endpoint: agentCount).messages }
}
