import Testing
@testable import Communication
import CommunicationTesting

@Suite struct StrategyTests {
    let ring4 = MixingRule.hastings.weights(for: try! Graph.ring(agents: 4))

    func round<S: CommunicationStrategy>(_ s: inout S, _ b: inout CohortBuffers, links: LinkConditions = .perfect, r: Int = 0) throws -> (RoundReport, MessageLedger) {
        var t = InMemoryTransport(agentCount: b.agentCount, conditions: links)
        var l = MessageLedger(agentCount: b.agentCount)
        let report = try s.communicate(round: r, buffers: &b, transport: &t, ledger: &l)
        return (report, l)
    }

    @Test func diffusionOneRoundByHand() throws {
        // Ring of 4 with Hastings weights 1/3: agent 0 averages agents 3, 0 and 1.
        var s = try Diffusion(weights: ring4)
        var b = CohortBuffers(parameters: [[3, 0], [6, 3], [0, 6], [9, 9]])
        let (report, ledger) = try round(&s, &b)
        #expect(b.parameters[0] == [6, 4])  // (9 + 3 + 6)/3, (9 + 0 + 3)/3
        #expect(b.parameters[1] == [3, 3])
        #expect(report.missingCount == 0)
        #expect(ledger.total == .init(messages: 8, scalars: 16, bytes: 64))
        #expect(s.localStep == .beforeCommunication)
        #expect(try Diffusion(weights: ring4, order: .combineThenAdapt).localStep == .afterCommunication)
    }

    @Test func droppedWeightMovesOntoTheReceiver() throws {
        var s = try Diffusion(weights: ring4)
        var b = CohortBuffers(parameters: [[3], [6], [0], [9]])
        let (report, _) = try round(&s, &b, links: try LinkConditions(dropProbability: 1))
        #expect(b.parameters == [[3], [6], [0], [9]])
        #expect(report.missing[0] == [1, 3])
    }

    @Test func consensusMixesPreviousIteratesThenAddsTheStep() throws {
        var s = try Consensus(weights: ring4)
        var b = CohortBuffers(parameters: [[3], [6], [0], [9]])
        b.updates = [[1], [0], [0], [-1]]
        _ = try round(&s, &b)
        #expect(b.parameters == [[7], [3], [5], [3]])  // [6+1, 3, 5, 4−1]
    }

    @Test func centralAveragingAveragesStepsAndBroadcasts() throws {
        var s = CentralAveraging(agentCount: 3)
        var b = CohortBuffers(parameters: [[1, 1], [1, 1], [1, 1]])
        b.updates = [[3, 0], [0, 3], [0, 0]]
        let (_, ledger) = try round(&s, &b)
        #expect(b.parameters == [[2, 2], [2, 2], [2, 2]])
        #expect(ledger.total(endpoint: 3) == .init(messages: 3, scalars: 6, bytes: 24))
        #expect(ledger.total.messages == 6)
    }

    @Test func lazyAggregationSkipsUploadsWithoutInnovation() throws {
        var s = try LazyAggregation(agentCount: 2, xi: [0.5], noiseFloor: 1e-6)
        var b = CohortBuffers(parameters: [[0, 0], [0, 0]])
        var t = InMemoryTransport(agentCount: 2)
        var l = MessageLedger(agentCount: 2)
        b.updates = [[2, 0], [0, 2]]
        let r0 = try s.communicate(round: 0, buffers: &b, transport: &t, ledger: &l)
        #expect(r0.senders == [0, 1])
        #expect(b.parameters[0] == [1, 1])  // mean of the two steps
        // Same steps again: innovation 0 < threshold, nobody uploads, stale steps reused.
        let r1 = try s.communicate(round: 1, buffers: &b, transport: &t, ledger: &l)
        #expect(r1.senders.isEmpty)
        #expect(b.parameters[1] == [2, 2])
        #expect(l.counts(round: 1, endpoint: 0).messages == 0)
        // A large change for learner 1 only: it alone uploads.
        b.updates = [[2, 0], [0, 10]]
        let r2 = try s.communicate(round: 2, buffers: &b, transport: &t, ledger: &l)
        #expect(r2.senders == [1])
        #expect(b.parameters[0] == [3, 7])  // θ² + mean([2, 0] stale, [0, 10] fresh)
        // Threshold: ξ_1 ‖θ³ − θ²‖² + floor = 0.5 · (1 + 25) + 1e-6.
        #expect(abs(s.threshold - (0.5 * 26 + 1e-6)) < 1e-9)
    }

    @Test func evolutionStrategiesApplyEquation21() throws {
        var s = try EvolutionStrategies(agentCount: 3, sigma: 0.5, stepSize: 0.1, seed: 4)
        var b = CohortBuffers(parameters: [[Float]](repeating: [0, 0, 0, 0], count: 3))
        b.returns = [1, -2, 0.5]
        let (_, ledger) = try round(&s, &b)
        var expected = [Float](repeating: 0, count: 4)
        for m in 0..<3 {
            let eps = s.perturbation(agent: m, round: 0, count: 4)
            for i in 0..<4 { expected[i] += 0.1 * b.returns[m] * eps[i] / (3 * 0.5) }
        }
        for m in 0..<3 { for i in 0..<4 { #expect(abs(b.parameters[m][i] - expected[i]) < 1e-6) } }
        // Scalars only: 3 uploads of 1 scalar, 3 broadcasts of 3 (agent, return) pairs.
        #expect(ledger.total == .init(messages: 6, scalars: 3 + 3 * 6, bytes: 4 * 21))
    }

    @Test func espcExpectedSendProbabilityIsMOverN() {
        // Paper 003 Fig. 4.1: E[p_comm] over z ~ N(0, 1), p = Φ(z), equals m/n (n = 50).
        var g = SplitMix64(seed: 41)
        let samples = 20_000
        let zs = (0..<samples).map { _ in g.nextGaussian() }
        for m in [1, 5, 15, 25, 45] {
            let values = zs.map { espcSendProbability(beatProbability: standardNormalCDF($0), agents: 50, expectedSenders: m) }
            let mean = values.reduce(0, +) / Double(samples)
            let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples - 1)).squareRoot()
            let standardError = sd / Double(samples).squareRoot()
            #expect(abs(mean - Double(m) / 50) < 4 * standardError + 1e-12, "m = \(m): \(mean)")
        }
        // Edge values.
        #expect(espcSendProbability(beatProbability: 0.3, agents: 10, expectedSenders: 10) == 1)
        #expect(espcSendProbability(beatProbability: 0.3, agents: 10, expectedSenders: 0) == 0)
        // n = 3, m = 1: P(Bi(2, p) ≥ 2) = p².
        #expect(abs(espcSendProbability(beatProbability: 0.4, agents: 3, expectedSenders: 1) - 0.16) < 1e-12)
    }

    @Test func espcSendsAboutMOfNPerRound() throws {
        let n = 50, m = 10, rounds = 200
        var s = try ProbabilisticEvolutionStrategies(agentCount: n, sigma: 0.1, stepSize: 0, seed: 8, expectedSenders: m, window: 30)
        var b = CohortBuffers(agentCount: n, parameterCount: 4)
        var t = InMemoryTransport(agentCount: n, keepsRecords: false)
        var l = MessageLedger(agentCount: n)
        var g = SplitMix64(seed: 99)
        var sent = 0
        for r in 0..<rounds {
            for k in 0..<n { b.returns[k] = Float(g.nextGaussian()) }
            sent += try s.communicate(round: r, buffers: &b, transport: &t, ledger: &l).senders.count
        }
        // The rolling Gaussian is only an approximation of the utility law; allow 20 %.
        let perRound = Double(sent) / Double(rounds)
        #expect(abs(perRound - Double(m)) < 2, "\(perRound) senders per round")
    }

    @Test func eventTriggeredDiffusionSkipsSmallChanges() throws {
        var s = try EventTriggeredDiffusion(weights: ring4, threshold: .eventBased(rho: 0, beta: 0.5, floor: 0.5))
        var b = CohortBuffers(parameters: [[0], [0], [0], [4]])
        var t = InMemoryTransport(agentCount: 4)
        var l = MessageLedger(agentCount: 4)
        let r0 = try s.communicate(round: 0, buffers: &b, transport: &t, ledger: &l)
        #expect(r0.senders == [0, 1, 2, 3])  // first broadcast is unconditional
        let after0 = b.parameters
        let r1 = try s.communicate(round: 1, buffers: &b, transport: &t, ledger: &l)
        // Agents 0 and 2 moved by 4/3 ≥ 0.5 and 3 by 4/3; 1 did not move.
        #expect(r1.senders == [0, 2, 3])
        #expect(r1.stale[0] == [1] && r1.stale[2] == [1])
        // Agent 0 used agent 1's round-0 row (0) — the same as its current row.
        #expect(abs(b.parameters[0][0] - (after0[3][0] + after0[0][0] + after0[1][0]) / 3) < 1e-6)
    }

    // MARK: The verifier accepts every shipped strategy.

    @Test func verifierAcceptsMixingStrategies() throws {
        let verifier = StrategyVerifier()
        for graph in [try Graph.ring(agents: 25), try .randomConnected(agents: 25, averageDegree: 4.2, seed: 3), try .grid(rows: 3, columns: 4)] {
            for rule in [MixingRule.hastings, .lazyMetropolis, .maximumDegree] {
                let w = rule.weights(for: graph)
                try verifier.verifyMixing(weights: w) { try Diffusion(weights: w) }
                try verifier.verifyMixing(weights: w) { try Diffusion(weights: w, order: .combineThenAdapt) }
                try verifier.verifyMixing(weights: w) { try Consensus(weights: w) }
                try verifier.verifyMixing(weights: w) { try EventTriggeredDiffusion(weights: w, threshold: .eventBased(rho: 0, beta: 0.1, floor: 0)) }
            }
        }
        // Uniform weights are not doubly stochastic: the average check is skipped, drops still checked.
        let u = MixingRule.uniform.weights(for: try .star(agents: 6))
        try verifier.verifyMixing(weights: u) { try Diffusion(weights: u) }
    }

    @Test func verifierAcceptsTheOtherStrategies() throws {
        let v = StrategyVerifier()
        let w = MixingRule.hastings.weights(for: try .ring(agents: 10))
        try v.verifyProtocol(agentCount: 10) { NoCommunication() }
        try v.verifyProtocol(agentCount: 10) { CentralAveraging(agentCount: 10) }
        try v.verifyProtocol(agentCount: 10) { try LazyAggregation(agentCount: 10, xi: [0.2, 0.1], noiseFloor: 0.01) }
        try v.verifyProtocol(agentCount: 10) { try EvolutionStrategies(agentCount: 10, sigma: 0.1, stepSize: 0.05, seed: 1) }
        try v.verifyProtocol(agentCount: 10) { try ProbabilisticEvolutionStrategies(agentCount: 10, sigma: 0.1, stepSize: 0.05, seed: 1, expectedSenders: 4) }
        try v.verifyProtocol(agentCount: 10) { try EventTriggeredDiffusion(weights: w, threshold: .decaying(lambda: 0.5, rho: 1.1, horizon: 3)) }
        try v.verifyProtocol(agentCount: 10) { try EventTriggeredDiffusion(weights: w, threshold: .eventBased(rho: 1, beta: 0.5, floor: 0.1)) }
    }

    @Test func sameSeedSameNumbers() throws {
        func run() throws -> [[Float]] {
            let g = try Graph.randomConnected(agents: 12, averageDegree: 3, seed: 77)
            var s = try Diffusion(weights: MixingRule.hastings.weights(for: g))
            var b = CohortBuffers(parameters: (0..<12).map { k in (0..<5).map { Float(k * 5 + $0) } })
            var t = InMemoryTransport(agentCount: 12, conditions: try LinkConditions(dropProbability: 0.4, noiseStandardDeviation: 0.01, seed: 3))
            var l = MessageLedger(agentCount: 12)
            for r in 0..<5 { _ = try s.communicate(round: r, buffers: &b, transport: &t, ledger: &l) }
            return b.parameters
        }
        #expect(try run() == (try run()))
    }
}
