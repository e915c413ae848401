import Foundation

/// Diffusion (adapt-then-combine) in which each agent broadcasts its parameters only
/// when they have changed enough since its last broadcast — the event-triggered idea of
/// EBCDQL and DAVIA (paper 003 §2.4.2–2.4.3) applied to parameter vectors.
///
/// The trigger quantity of agent k is `q_k = ‖θ_k − θ_k^{sent}‖₂`, the distance from the
/// parameters it last broadcast (infinite before its first broadcast). It broadcasts
/// when `q_k ≥ τ_k`, with the threshold
/// - ``Threshold/eventBased(rho:beta:floor:)`` (EBCDQL, §2.4.2):
///   `τ_k = max(ρ L_k, ε)`, where after each round `L_k ← (1 − β) L_k + β q_k`, L_k(0) = 0;
/// - ``Threshold/decaying(lambda:rho:horizon:)`` (DAVIA, §2.4.3):
///   `τ(r) = λ / ρ^{H − 1 − r}` in round r (paper 003 calls it decreasing in one place
///   and increasing in another; the formula is used as written).
///
/// Receivers keep the last parameters heard from each neighbour and combine with that
/// stale copy when nothing new arrived; a neighbour never heard from (or whose only
/// messages were dropped) has its weight moved onto the receiver. Copies are shared
/// buffers, not duplicated.
public struct EventTriggeredDiffusion: CommunicationStrategy {
    /// When a change is large enough to send.
    public enum Threshold: Sendable, Equatable {
        /// EBCDQL: `max(ρ L_k, ε)` with `L_k` an exponential average (rate β) of q_k.
        case eventBased(rho: Double, beta: Double, floor: Double)
        /// DAVIA: `λ / ρ^{H − 1 − r}`.
        case decaying(lambda: Double, rho: Double, horizon: Int)
    }

    /// The mixing weights W.
    public let weights: MixingMatrix
    /// The trigger threshold.
    public let threshold: Threshold
    public var name: String { "event-triggered" }
    public var localStep: LocalStepPlacement { .beforeCommunication }
    public var inputs: StrategyInputs { [] }
    public var channels: StrategyChannels { .graph(weights) }

    /// Each agent's exponential average L_k (EBCDQL).
    public private(set) var levels: [Double]
    private var lastSent: [[Float]?]
    /// `cache[k][i]`: the last row agent k heard from `weights.sources[k][i]`.
    private var cache: [[[Float]?]]
    private var mixer: NeighbourMixer
    private var next: [[Float]] = []

    /// - Throws: as ``Diffusion/init(weights:order:)``, and
    ///   ``CommunicationError/invalidValue(name:value:valid:)`` for β outside [0, 1] or a
    ///   non-positive ρ.
    public init(weights: MixingMatrix, threshold: Threshold) throws {
        try weights.requireMixing()
        switch threshold {
        case let .eventBased(rho, beta, floor):
            guard beta >= 0, beta <= 1 else { throw CommunicationError.probabilityOutOfRange(name: "EBCDQL averaging rate β", value: beta) }
            guard rho >= 0, floor >= 0 else {
                throw CommunicationError.invalidValue(name: "EBCDQL ρ and ε", value: min(rho, floor), valid: "non-negative")
            }
        case let .decaying(lambda, rho, _):
            guard rho > 0, lambda >= 0 else {
                throw CommunicationError.invalidValue(name: "DAVIA ρ", value: rho, valid: "positive, with λ ≥ 0")
            }
        }
        self.weights = weights
        self.threshold = threshold
        let n = weights.agentCount
        levels = [Double](repeating: 0, count: n)
        lastSent = [[Float]?](repeating: nil, count: n)
        cache = (0..<n).map { [[Float]?](repeating: nil, count: weights.sources[$0].count) }
        mixer = NeighbourMixer(weights: weights)
    }

    /// The threshold τ_k for agent k in round r.
    public func currentThreshold(agent k: Int, round r: Int) -> Double {
        switch threshold {
        case let .eventBased(rho, _, floor): return max(rho * levels[k], floor)
        case let .decaying(lambda, rho, horizon): return lambda / Foundation.pow(rho, Double(horizon - 1 - r))
        }
    }

    public mutating func communicate<T: Transport>(
        round: Int, buffers: inout CohortBuffers, transport: inout T, ledger: inout MessageLedger
    ) throws -> RoundReport {
        try buffers.validate(agents: weights.agentCount)
        let n = weights.agentCount
        let p = buffers.parameterCount
        transport.beginRound(round)
        var report = RoundReport(round: round, endpoints: n + 1)

        // Decide and send.
        for k in transport.localAgents {
            var q = Double.infinity
            if let last = lastSent[k], last.count == p {
                q = buffers.parameters[k].withUnsafeBufferPointer { a in last.withUnsafeBufferPointer { b in
                    squaredDistance(a.baseAddress!, b.baseAddress!, count: p)
                } }.squareRoot()
            }
            let tau = currentThreshold(agent: k, round: round)
            if case let .eventBased(_, beta, _) = threshold, q.isFinite { levels[k] = (1 - beta) * levels[k] + beta * q }
            if q >= tau {
                let payload = Payload.floats(buffers.parameters[k])
                for d in weights.destinations[k] { ledger.post(payload, from: k, to: d, round: round, through: &transport) }
                lastSent[k] = buffers.parameters[k]
                report.senders.append(k)
            }
        }
        try transport.deliver()

        // Combine fresh rows, else stale copies, else renormalise.
        if next.count != n { next = [[Float]](repeating: [], count: n) }
        var delivered = 0
        for k in transport.localAgents {
            let inbox = transport.inbox(of: k)
            delivered += inbox.count
            for e in inbox {
                if let i = weights.sources[k].binarySearch(e.source), case let .floats(v) = e.payload, v.count == p { cache[k][i] = v }
            }
            // Fresh rows are now in the cache too; report as stale only what is older.
            let fresh = Set(inbox.map(\.source))
            let row = cache[k]
            let sources = weights.sources[k]
            var stale: [Int] = []
            try mixer.mix(agent: k, own: buffers.parameters[k], inbox: inbox, into: &next[k],
                          missing: &report.missing[k], stale: &stale) { s in
                guard !fresh.contains(s), let i = sources.binarySearch(s) else { return nil }
                return row[i]
            }
            report.stale[k] = stale
        }
        ledger.recordDelivered(delivered, round: round)
        for k in transport.localAgents { swap(&buffers.parameters[k], &next[k]) }
        return report
    }
}
