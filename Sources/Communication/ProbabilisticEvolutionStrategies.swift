import Foundation

/// Evolution strategies with probabilistic communication, ESPC (paper 003 §4.2–4.4).
///
/// As ``EvolutionStrategies``, except that agent m sends its return only with
/// probability `p_comm`, so that on average m of the n agents send:
/// 1. utility `u = F ‖ε‖₂` (§4.3);
/// 2. the utility distribution is assumed Gaussian with the rolling mean and
///    (population) variance of this agent's last k utilities, the current one included
///    (§4.4, §4.9); a zero variance (first round) is replaced by 1 (§4.8);
/// 3. `p = Φ((u − ū)/s)` — the probability that u beats another agent's utility. Paper
///    003 writes the variance in the denominator of z; the standard deviation s is
///    used here, which is what makes z standard normal;
/// 4. `p_comm = P(Bi(n−1, p) ≥ n − m)` (``espcSendProbability(beatProbability:agents:expectedSenders:)``);
/// 5. send iff δ < p_comm with δ ~ U(0, 1) drawn from `(seed, round, agent)`.
/// The controller estimates the gradient from the returns that arrived (eq. 2.1 over
/// the received set).
///
/// The expected number of senders is m only if z is standard normal (§4.4, Fig. 4.1). With the
/// window holding u itself it is not, so even i.i.d. Gaussian utilities give rates off m/n for
/// m ≠ n/2 (k = 5, n = 50: 0.117 for m = 5), and left-skewed utilities (capped returns with some
/// failed episodes) raise the rate at m = n/2 and lower it for small m; `bench/espc_send_rate.py`
/// computes both, the README quotes them.
public struct ProbabilisticEvolutionStrategies: CommunicationStrategy {
    /// The underlying ES (σ, α, seed, n).
    public var base: EvolutionStrategies
    /// Expected number of senders per round, m.
    public let expectedSenders: Int
    /// Rolling window length k.
    public let window: Int
    public var name: String { "espc" }
    public var localStep: LocalStepPlacement { .insideCommunication }
    public var inputs: StrategyInputs { .returns }
    public var channels: StrategyChannels { .controllerOnly }
    public var writesGradients: Bool { base.learnersApplyStep }

    /// Each agent's last ≤ k utilities, oldest first.
    public private(set) var utilities: [[Double]]
    /// Each agent's send probability in the last round.
    public private(set) var lastSendProbabilities: [Double]

    /// - Throws: ``CommunicationError/invalidValue(name:value:valid:)`` unless
    ///   0 ≤ m ≤ n and k ≥ 1, and as ``EvolutionStrategies/init(agentCount:sigma:stepSize:seed:)``.
    public init(agentCount: Int, sigma: Float, stepSize: Float, seed: UInt64, expectedSenders m: Int, window k: Int = 5) throws {
        base = try EvolutionStrategies(agentCount: agentCount, sigma: sigma, stepSize: stepSize, seed: seed)
        guard m >= 0, m <= agentCount else {
            throw CommunicationError.invalidValue(name: "expected number of senders m", value: Double(m), valid: "in 0 ... \(agentCount)")
        }
        guard k >= 1 else {
            throw CommunicationError.invalidValue(name: "rolling window k", value: Double(k), valid: "at least 1")
        }
        expectedSenders = m
        window = k
        utilities = [[Double]](repeating: [], count: agentCount)
        lastSendProbabilities = [Double](repeating: 0, count: agentCount)
    }

    /// The same strategy, with the step left to the learners (``EvolutionStrategies/learnersApplyStep``).
    public func leavingStepToLearners(_ leave: Bool = true) -> ProbabilisticEvolutionStrategies {
        var s = self
        s.base.learnersApplyStep = leave
        return s
    }

    /// Agent `agent`'s perturbation in round `round` (same as the base ES).
    public func perturbation(agent: Int, round: Int, count: Int) -> [Float] {
        base.perturbation(agent: agent, round: round, count: count)
    }

    /// Steps 1–4 for one agent: pushes the utility into its window and returns p_comm.
    public mutating func sendProbability(agent m: Int, returnValue: Float, perturbationNorm: Double) -> Double {
        let u = Double(returnValue) * perturbationNorm
        utilities[m].append(u)
        if utilities[m].count > window { utilities[m].removeFirst(utilities[m].count - window) }
        let w = utilities[m]
        let mean = w.reduce(0, +) / Double(w.count)
        var variance = w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(w.count)
        if variance <= 0 { variance = 1 }
        let p = standardNormalCDF((u - mean) / variance.squareRoot())
        return espcSendProbability(beatProbability: p, agents: base.agentCount, expectedSenders: expectedSenders)
    }

    public mutating func communicate<T: Transport>(
        round: Int, buffers: inout CohortBuffers, transport: inout T, ledger: inout MessageLedger
    ) throws -> RoundReport {
        try buffers.validate(agents: base.agentCount, needsUpdates: base.learnersApplyStep, needsReturns: true)
        transport.beginRound(round)
        var report = RoundReport(round: round, endpoints: base.agentCount + 1)
        let p = buffers.parameterCount
        var eps = [Float](repeating: 0, count: p)
        for m in transport.localAgents {
            base.fillPerturbation(agent: m, round: round, into: &eps)
            let norm = eps.withUnsafeBufferPointer { squaredNorm($0.baseAddress!, count: p) }.squareRoot()
            let pComm = sendProbability(agent: m, returnValue: buffers.returns[m], perturbationNorm: norm)
            lastSendProbabilities[m] = pComm
            var g = SplitMix64(seed: base.seed, stream: 0x6573_7063, UInt64(round), UInt64(m))  // "espc"
            if g.nextUniform() < pComm {
                ledger.post(.floats([buffers.returns[m]]), from: m, to: transport.controller, round: round, through: &transport)
                report.senders.append(m)
            }
        }
        try base.finishRound(round: round, buffers: &buffers, transport: &transport, ledger: &ledger, report: &report)
        return report
    }
}
