import Communication
import Testing

/// Sequential distributed ADMM (Wei & Ozdaglar 2012), the `admm` strategy of Dist-MTPS.
@Suite("ADMM consensus")
struct ADMMTests {
    /// Agents' rows with local costs A_k = s sᵀ + c I, B_k = t sᵀ, X and Λ zero, and the costs.
    func rows(agents: Int, d: Int, r: Int, seed: UInt64) -> (rows: [[Float]], a: [[Double]], b: [[Double]]) {
        let layout = ADMMRowLayout(d: d, r: r)
        var g = RandomGenerator(seed: seed)
        var rows: [[Float]] = [], aa: [[Double]] = [], bb: [[Double]] = []
        for _ in 0..<agents {
            let s = (0..<r).map { _ in g.normal() }, t = (0..<d).map { _ in g.normal() }
            var a = [Double](repeating: 0, count: r * r), b = [Double](repeating: 0, count: d * r)
            for i in 0..<r { for j in 0..<r { a[i * r + j] = s[i] * s[j] + (i == j ? 0.05 : 0) } }
            for i in 0..<d { for j in 0..<r { b[i * r + j] = t[i] * s[j] } }
            var row = layout.makeRow()
            for i in 0..<(r * r) { row[layout.a + i] = Float(a[i]) }
            for i in 0..<(d * r) { row[layout.b + i] = Float(b[i]) }
            // The matrices as the agents hold them (Float).
            aa.append(a.map { Double(Float($0)) })
            bb.append(b.map { Double(Float($0)) })
            rows.append(row)
        }
        return (rows, aa, bb)
    }

    @Test("the Cholesky solve and the centralised minimiser on hand-computed values")
    func solveGolden() {
        // x M = b with M = [[4, 2], [2, 3]], b = [2, 1]: x = b M⁻¹ = (1/8)[3·2 − 2·1, −2·2 + 4·1] = [0.5, 0].
        var x: [Double] = [2, 1], work = [Double](repeating: 0, count: 4)
        let m: [Double] = [4, 2, 2, 3]
        let ok = m.withUnsafeBufferPointer { mp in x.withUnsafeMutableBufferPointer { xp in work.withUnsafeMutableBufferPointer {
            solveSymmetricPositiveDefinite(mp, n: 2, rows: xp, rowCount: 1, work: $0) } } }
        #expect(ok)
        #expect(abs(x[0] - 0.5) < 1e-12 && abs(x[1]) < 1e-12)
        // Not positive definite: refused.
        var y: [Double] = [1, 1]
        let bad: [Double] = [1, 2, 2, 1]
        #expect(!bad.withUnsafeBufferPointer { mp in y.withUnsafeMutableBufferPointer { yp in work.withUnsafeMutableBufferPointer {
            solveSymmetricPositiveDefinite(mp, n: 2, rows: yp, rowCount: 1, work: $0) } } })
        // Scalars: X = Σ b / Σ a = (1 + 2 + 3) / (1 + 1 + 2) = 1.5.
        let x1 = centralisedQuadraticMinimiser(a: [[1], [1], [2]], b: [[1], [2], [3]], d: 1, r: 1)
        #expect(x1 == [1.5])
    }

    @Test("the primal step solves its augmented Lagrangian, the dual steps by ρ times the disagreement")
    func stepsGolden() {
        // d = 1, r = 1: X (a + ρ·deg) = b + Λ + ρ Σ X_j → (2 + 1·2) X = 1 + 1 + 1·(2 + 4) → X = 2.
        let a: [Float] = [2], b: [Float] = [1], dual: [Float] = [1]
        let sum: [Double] = [6]
        var x: [Double] = [0], system: [Double] = [0], work: [Double] = [0]
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in dual.withUnsafeBufferPointer { lp in sum.withUnsafeBufferPointer { sp in
            x.withUnsafeMutableBufferPointer { xp in system.withUnsafeMutableBufferPointer { syp in work.withUnsafeMutableBufferPointer { wp in
                _ = admmPrimalUpdate(a: ap, b: bp, dual: lp, neighbourSum: sp, degree: 2, rho: 1, d: 1, r: 1, x: xp, system: syp, work: wp)
            } } } } } } }
        #expect(abs(x[0] - 2) < 1e-12)
        // Λ ← Λ − ρ (deg·X − Σ X_j) = 1 − 0.5 (2·2 − 6) = 2.
        var l: [Float] = [1]
        let own: [Float] = [2]
        l.withUnsafeMutableBufferPointer { lp in own.withUnsafeBufferPointer { op in sum.withUnsafeBufferPointer { sp in
            admmDualUpdate(dual: lp, own: op, neighbourSum: sp, degree: 2, rho: 0.5)
        } } }
        #expect(l == [2])
    }

    @Test("ADMM on quadratic local costs converges to the centralised minimiser")
    func convergesToCentralised() throws {
        let n = 7, d = 4, r = 2
        let graph = try Graph(agentCount: n, edges: [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 0), (0, 3), (2, 5)])
        let (start, a, b) = rows(agents: n, d: d, r: r, seed: 11)
        let expected = try #require(centralisedQuadraticMinimiser(a: a, b: b, d: d, r: r))
        var strategy = try ADMMConsensus(graph: graph, rho: 1, passes: 5)
        var buffers = CohortBuffers(parameters: start)
        var transport = InMemoryTransport(agentCount: n)
        var ledger = MessageLedger(agentCount: n)
        for round in 0..<300 { _ = try strategy.communicate(round: round, buffers: &buffers, transport: &transport, ledger: &ledger) }
        let layout = ADMMRowLayout(d: d, r: r)
        var worst = 0.0
        for row in buffers.parameters {
            for i in 0..<(d * r) { worst = max(worst, abs(Double(row[layout.x + i]) - expected[i])) }
        }
        #expect(worst < 1e-3, "largest distance to the centralised minimiser \(worst)")
        // After one round it has not converged yet: the test measures ADMM, not the start.
        var early = CohortBuffers(parameters: start)
        var s2 = try ADMMConsensus(graph: graph, rho: 1, passes: 1)
        var t2 = InMemoryTransport(agentCount: n)
        var l2 = MessageLedger(agentCount: n)
        _ = try s2.communicate(round: 0, buffers: &early, transport: &t2, ledger: &l2)
        let gap = (0..<(d * r)).map { abs(Double(early.parameters[0][layout.x + $0]) - expected[$0]) }.max()!
        #expect(gap > 1e-2)
    }

    @Test("every message is counted: (1 + passes) · Σ|N_k| messages of d·r values, ledger equal to the transport's record")
    func ledgerCountsEveryMessage() throws {
        let n = 6, d = 3, r = 2, passes = 3
        let graph = try Graph.ring(agents: n)
        var strategy = try ADMMConsensus(graph: graph, rho: 0.5, passes: passes)
        var buffers = CohortBuffers(parameters: rows(agents: n, d: d, r: r, seed: 3).rows)
        var transport = InMemoryTransport(agentCount: n)
        var ledger = MessageLedger(agentCount: n)
        for round in 0..<2 { _ = try strategy.communicate(round: round, buffers: &buffers, transport: &transport, ledger: &ledger) }
        for round in 0..<2 {
            let total = ledger.total(round: round)
            #expect(total.messages == (1 + passes) * graph.linkCount)
            #expect(total.scalars == total.messages * d * r)
            for e in 0...n {
                let these = transport.records.filter { $0.round == round && $0.source == e }
                #expect(ledger.counts(round: round, endpoint: e).messages == these.count)
                #expect(ledger.counts(round: round, endpoint: e).scalars == these.reduce(0) { $0 + $1.scalars })
            }
        }
    }

    @Test("with dropped messages: deterministic, independent of arrival order, every drop reported")
    func dropsAndOrder() throws {
        let n = 6, d = 3, r = 2
        let graph = try Graph(agentCount: n, edges: [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0), (1, 4)])
        let start = rows(agents: n, d: d, r: r, seed: 5).rows
        func run(_ order: InMemoryTransport.ArrivalOrder) throws -> ([[Float]], InMemoryTransport, [RoundReport]) {
            var strategy = try ADMMConsensus(graph: graph, rho: 1, passes: 2)
            var buffers = CohortBuffers(parameters: start)
            var transport = InMemoryTransport(agentCount: n, conditions: try LinkConditions(dropProbability: 0.3, seed: 9), arrivalOrder: order)
            var ledger = MessageLedger(agentCount: n)
            var reports: [RoundReport] = []
            for round in 0..<4 { reports.append(try strategy.communicate(round: round, buffers: &buffers, transport: &transport, ledger: &ledger)) }
            return (buffers.parameters, transport, reports)
        }
        let (reference, transport, reports) = try run(.sendOrder)
        #expect(try run(.sendOrder).0 == reference)
        #expect(try run(.reversed).0 == reference)
        #expect(try run(.shuffled(seed: 4)).0 == reference)
        #expect(reference.allSatisfy { $0.allSatisfy(\.isFinite) })
        var dropped = 0
        for (round, report) in reports.enumerated() {
            for k in 0..<n {
                let lost = Set(transport.records.filter { $0.round == round && $0.destination == k && $0.dropped }.map(\.source))
                dropped += lost.count
                #expect(lost.isSubset(of: Set(report.missing[k])))
            }
        }
        #expect(dropped > 0)
    }

    @Test("bad input: a graph that is not connected, ρ ≤ 0, rows without the layout")
    func badInput() throws {
        let split = try Graph(agentCount: 4, edges: [(0, 1), (2, 3)])
        #expect(throws: CommunicationError.disconnectedGraph(agents: 4, unreachable: [2, 3])) { try ADMMConsensus(graph: split, rho: 1, passes: 1) }
        let ring = try Graph.ring(agents: 4)
        #expect(throws: CommunicationError.self) { try ADMMConsensus(graph: ring, rho: 0, passes: 1) }
        var strategy = try ADMMConsensus(graph: ring, rho: 1, passes: 1)
        var buffers = CohortBuffers(agentCount: 4, parameterCount: 5)
        var transport = InMemoryTransport(agentCount: 4)
        var ledger = MessageLedger(agentCount: 4)
        do {
            _ = try strategy.communicate(round: 0, buffers: &buffers, transport: &transport, ledger: &ledger)
            Issue.record("rows without the ADMM layout were accepted")
        } catch let error as CommunicationError {
            #expect("\(error)".contains("ADMMRowLayout"))
        }
        #expect(ADMMRowLayout(row: ADMMRowLayout(d: 5, r: 3).makeRow()) == ADMMRowLayout(d: 5, r: 3))
    }
}
