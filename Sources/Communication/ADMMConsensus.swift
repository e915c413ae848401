/// Sequential distributed ADMM (Wei & Ozdaglar 2012), the consensus step of Dist-MTPS (El Bsat,
/// Bou Ammar & Taylor 2017; paper 000 §II): the agents agree on a shared d×r matrix X, each
/// holding a local quadratic cost `f_i(X) = ½ tr(X A_i Xᵀ) − tr(B_iᵀ X)` in its row
/// (``ADMMRowLayout``), so that the agreed X minimises `Σ_i f_i` (``ADMMMath``).
///
/// One round (one ADMM solve, warm-started from the agents' X and Λ):
/// 1. **hop 0** — every agent sends its X_i to its neighbours, so each knows their current values;
/// 2. **passes** — for each of ``passes`` passes, for i = 0, 1, …, N−1 in index order (one hop
///    each): agent i solves its primal step (``admmPrimalUpdate``) with the newest copy of each
///    neighbour (its predecessors' from this pass, its successors' from the last) and sends the
///    new X_i to its neighbours; after the pass every agent steps its aggregate dual Λ_i
///    (``admmDualUpdate``) with the copies it holds.
///
/// Messages per round: `(1 + passes) · Σ_i |N_i|`, each the d·r values of X (counted in the
/// ledger like every strategy's). A dropped message leaves the receiver with its previous copy
/// of the sender (reported in ``RoundReport/missing``); at hop 0 that copy is the receiver's
/// own X. Paper 000 remarks that this sequential order is what distinguishes Dist-MTPS from
/// diffusion: agents wait for their predecessors, one hop per agent.
public struct ADMMConsensus: CommunicationStrategy {
    /// Who talks to whom (connected).
    public let graph: Graph
    /// ρ, the penalty of the augmented Lagrangian.
    public let rho: Double
    /// Sequential passes per round.
    public let passes: Int
    public var name: String { "admm" }
    public var localStep: LocalStepPlacement { .beforeCommunication }
    public var inputs: StrategyInputs { [] }
    public var channels: StrategyChannels { StrategyChannels(agentDestinations: graph.neighbours, usesController: false) }

    /// `copies[i][p]`: the newest X of agent `graph.neighbours[i][p]` known to agent i.
    private var copies: [[[Float]]] = []
    private var sum: [Double] = [], solution: [Double] = [], system: [Double] = [], work: [Double] = []

    /// - Throws: ``CommunicationError/disconnectedGraph(agents:unreachable:)`` for a graph that is
    ///   not connected, ``CommunicationError/invalidValue(name:value:valid:)`` for ρ ≤ 0 or
    ///   passes < 1.
    public init(graph: Graph, rho: Double, passes: Int) throws {
        try graph.requireConnected()
        guard rho > 0, rho.isFinite else { throw CommunicationError.invalidValue(name: "ADMM penalty rho", value: rho, valid: "a positive number") }
        guard passes >= 1 else { throw CommunicationError.invalidValue(name: "number of ADMM passes", value: Double(passes), valid: "at least 1") }
        self.graph = graph
        self.rho = rho
        self.passes = passes
    }

    public mutating func communicate<T: Transport>(
        round: Int, buffers: inout CohortBuffers, transport: inout T, ledger: inout MessageLedger
    ) throws -> RoundReport {
        let n = graph.agentCount
        try buffers.validate(agents: n)
        let local = transport.localAgents
        guard let first = local.first, let layout = ADMMRowLayout(row: buffers.parameters[first]), layout.count == buffers.parameterCount else {
            throw CommunicationError.shapeMismatch("strategy admm needs rows laid out as [X | Λ | A | B | r] (ADMMRowLayout), which rows of \(buffers.parameterCount) values are not")
        }
        for k in local where ADMMRowLayout(row: buffers.parameters[k]) != layout {
            throw CommunicationError.shapeMismatch("agent \(k)'s row declares a different ADMM layout from agent \(first)'s")
        }
        let m = layout.d * layout.r
        prepare(layout)
        transport.beginRound(round)
        var report = RoundReport(round: round, endpoints: n + 1)
        var missing = [Set<Int>](repeating: [], count: n)
        var delivered = 0

        // Hop 0: everyone's current X.
        for k in local {
            let x = Array(buffers.parameters[k][layout.x..<(layout.x + m)])
            for p in graph.neighbours[k].indices {
                copies[k][p] = x  // Stand-in until the neighbour's value arrives.
                ledger.post(.floats(x), from: k, to: graph.neighbours[k][p], round: round, through: &transport)
            }
        }
        report.senders = local.filter { !graph.neighbours[$0].isEmpty }
        try transport.deliver()
        for k in local { delivered += try receive(agent: k, from: nil, m: m, transport: transport, missing: &missing[k]) }

        for _ in 0..<passes {
            for i in 0..<n {
                if local.contains(i) {
                    try solve(agent: i, layout: layout, buffers: &buffers)
                    let x = Array(buffers.parameters[i][layout.x..<(layout.x + m)])
                    for j in graph.neighbours[i] { ledger.post(.floats(x), from: i, to: j, round: round, through: &transport) }
                }
                try transport.deliver()
                for j in graph.neighbours[i] where local.contains(j) {
                    delivered += try receive(agent: j, from: i, m: m, transport: transport, missing: &missing[j])
                }
            }
            for k in local { dualStep(agent: k, layout: layout, buffers: &buffers) }
        }
        for k in local { report.missing[k] = missing[k].sorted() }
        ledger.recordDelivered(delivered, round: round)
        return report
    }

    private mutating func prepare(_ layout: ADMMRowLayout) {
        let m = layout.d * layout.r, n = graph.agentCount
        if copies.count != n || copies.first(where: { !$0.isEmpty })?.first?.count != m {
            copies = (0..<n).map { [[Float]](repeating: [Float](repeating: 0, count: m), count: graph.neighbours[$0].count) }
        }
        if sum.count != m {
            sum = [Double](repeating: 0, count: m)
            solution = sum
        }
        let rr = layout.r * layout.r
        if system.count != rr {
            system = [Double](repeating: 0, count: rr)
            work = system
        }
    }

    /// Copies into agent k's copies what arrived from `source` (every neighbour when nil);
    /// returns how many messages arrived.
    private mutating func receive<T: Transport>(agent k: Int, from source: Int?, m: Int, transport: T, missing: inout Set<Int>) throws -> Int {
        let inbox = transport.inbox(of: k)
        var got = 0
        for (p, j) in graph.neighbours[k].enumerated() where source == nil || source == j {
            if let e = inbox.first(where: { $0.source == j }) {
                guard case let .floats(v) = e.payload, v.count == m else {
                    throw CommunicationError.shapeMismatch("agent \(k) received \(e.payload.scalarCount) values from \(j), expected \(m)")
                }
                copies[k][p] = v
                got += 1
            } else {
                missing.insert(j)
            }
        }
        return got
    }

    private mutating func neighbourSum(agent k: Int) {
        for i in sum.indices { sum[i] = 0 }
        for copy in copies[k] { for i in sum.indices { sum[i] += Double(copy[i]) } }
    }

    private mutating func solve(agent k: Int, layout: ADMMRowLayout, buffers: inout CohortBuffers) throws {
        neighbourSum(agent: k)
        let m = layout.d * layout.r, degree = graph.neighbours[k].count, rho = rho
        let ok = buffers.parameters[k].withUnsafeBufferPointer { row in
            sum.withUnsafeBufferPointer { s in
                solution.withUnsafeMutableBufferPointer { x in
                    system.withUnsafeMutableBufferPointer { sys in
                        work.withUnsafeMutableBufferPointer { w in
                            admmPrimalUpdate(a: UnsafeBufferPointer(rebasing: row[layout.a..<(layout.a + layout.r * layout.r)]),
                                             b: UnsafeBufferPointer(rebasing: row[layout.b..<(layout.b + m)]),
                                             dual: UnsafeBufferPointer(rebasing: row[layout.dual..<(layout.dual + m)]),
                                             neighbourSum: s, degree: degree, rho: rho, d: layout.d, r: layout.r, x: x, system: sys, work: w)
                        }
                    }
                }
            }
        }
        guard ok, solution.allSatisfy(\.isFinite) else {
            throw CommunicationError.shapeMismatch("agent \(k)'s local ADMM cost is not positive definite (its A block plus ρ·degree·I has no Cholesky factor)")
        }
        for i in 0..<m { buffers.parameters[k][layout.x + i] = Float(solution[i]) }
    }

    private mutating func dualStep(agent k: Int, layout: ADMMRowLayout, buffers: inout CohortBuffers) {
        neighbourSum(agent: k)
        let m = layout.d * layout.r, degree = graph.neighbours[k].count, rho = rho
        let own = Array(buffers.parameters[k][layout.x..<(layout.x + m)])
        buffers.parameters[k].withUnsafeMutableBufferPointer { row in
            own.withUnsafeBufferPointer { o in
                sum.withUnsafeBufferPointer { s in
                    admmDualUpdate(dual: UnsafeMutableBufferPointer(rebasing: row[layout.dual..<(layout.dual + m)]), own: o,
                                   neighbourSum: s, degree: degree, rho: rho)
                }
            }
        }
    }
}
