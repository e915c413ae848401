import Testing
@testable import Communication

@Suite struct TransportTests {
    @Test func dropsAreSeededIndependentAndAtRateP() throws {
        let c = try LinkConditions(dropProbability: 0.3, seed: 5)
        var dropped = 0
        let trials = 20_000
        for i in 0..<trials where c.drops(round: i / 100, hop: 0, source: i % 100, destination: (i + 1) % 100) { dropped += 1 }
        let rate = Double(dropped) / Double(trials)
        #expect(abs(rate - 0.3) < 4 * (0.3 * 0.7 / Double(trials)).squareRoot())
        // Same coordinates, same answer; no dependence on call order.
        #expect(c.drops(round: 3, hop: 0, source: 1, destination: 2) == c.drops(round: 3, hop: 0, source: 1, destination: 2))
        #expect(try LinkConditions(dropProbability: 1).drops(round: 0, hop: 0, source: 0, destination: 1))
        #expect(!LinkConditions.perfect.drops(round: 0, hop: 0, source: 0, destination: 1))
    }

    @Test func probabilityOutsideTheUnitIntervalIsRejected() {
        for p in [-0.1, 1.01, Double.nan] {
            do {
                _ = try LinkConditions(dropProbability: p)
                Issue.record("expected an error for \(p)")
            } catch let e as CommunicationError {
                #expect(e.description.hasPrefix("The link drop probability is "))
                #expect(e.description.hasSuffix(", but a probability must lie in [0, 1]."))
            } catch { Issue.record("\(error)") }
        }
    }

    @Test func deliveryOrderingAndRecords() throws {
        var t = InMemoryTransport(agentCount: 3, arrivalOrder: .reversed)
        t.beginRound(0)
        t.send(.floats([1]), from: 0, to: 2)
        t.send(.floats([2, 3]), from: 1, to: 2)
        t.send(.bytes([1, 2, 3]), from: 2, to: 3)
        t.deliver()
        #expect(t.inbox(of: 2).map(\.source) == [1, 0])
        #expect(t.inbox(of: t.controller).first?.payload == .bytes([1, 2, 3]))
        #expect(t.records.map(\.bytes) == [4, 8, 3])
        #expect(t.records.map(\.scalars) == [1, 2, 0])
        t.beginRound(1)
        #expect(t.inbox(of: 2).isEmpty)
    }

    @Test func noisyLinksPerturbReceivedFloatsDeterministically() throws {
        func once() throws -> [Float] {
            var t = InMemoryTransport(agentCount: 2, conditions: try LinkConditions(noiseStandardDeviation: 0.1, seed: 1))
            t.beginRound(0)
            t.send(.floats([Float](repeating: 0, count: 1000)), from: 0, to: 1)
            t.deliver()
            return t.inbox(of: 1)[0].payload.floats!
        }
        let a = try once()
        #expect(a == (try once()))
        let mean = a.reduce(0, +) / 1000
        let sd = (a.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 1000).squareRoot()
        #expect(abs(mean) < 0.02 && abs(sd - 0.1) < 0.01)
        #expect(throws: CommunicationError.self) { try LinkConditions(noiseStandardDeviation: -1) }
    }

    @Test func ledgerCountsPerAgentAndRound() {
        var ledger = MessageLedger(agentCount: 2)
        var t = InMemoryTransport(agentCount: 2)
        t.beginRound(0)
        ledger.post(.floats([1, 2, 3]), from: 0, to: 1, round: 0, through: &t)
        ledger.post(.floats([1]), from: 1, to: 2, round: 0, through: &t)
        t.deliver()
        t.beginRound(1)
        ledger.post(.bytes([9, 9]), from: 0, to: 1, round: 1, through: &t)
        #expect(ledger.counts(round: 0, endpoint: 0) == .init(messages: 1, scalars: 3, bytes: 12))
        #expect(ledger.total(endpoint: 0) == .init(messages: 2, scalars: 3, bytes: 14))
        #expect(ledger.total(round: 0) == .init(messages: 2, scalars: 4, bytes: 16))
        #expect(ledger.total == .init(messages: 3, scalars: 4, bytes: 18))
        #expect(ledger.roundCount == 2)
    }
}
