import Communication
import Foundation

/// Checks any ``CommunicationStrategy`` against the contract of the seam, the way
/// swift-nio's `ByteToMessageDecoderVerifier` checks decoders: it runs the strategy on
/// an ``InMemoryTransport`` with seeded data, perfect and failing links, and several
/// arrival orders, and *throws* a ``Failure`` (never asserts) at the first violation.
///
/// Two entry points:
/// - ``verifyMixing(weights:_:)`` for linear mixing strategies — diffusion, consensus
///   (zero updates), event-triggered diffusion that always sends — which, with no local
///   step, must compute `θ ← W θ` with dropped weight moved onto the receiver;
/// - ``verifyProtocol(agentCount:_:)`` for every strategy, mixing or not (central,
///   lazy, ES, ESPC, none): determinism, arrival-order independence, drops reported,
///   finite results, ledger equal to the transport's own record.
///
/// Tolerances (Float arithmetic, values of order 1):
/// - fixed point and average: max absolute error ≤ ``tolerance`` (default 1e-5);
/// - drops: each combined value within ``tolerance`` of the Double-precision reference;
/// - contraction: with symmetric W and no local step, the disagreement
///   `d_t = ‖θ_t − 1 θ̄‖` must satisfy `d_{t+1} ≤ SLEM · d_t · (1 + 1e-3) + 1e-5 · d_0` in
///   every round, and the observed asymptotic rate `(d_T / d_{T/2})^{2/T}` must be
///   within ``rateTolerance`` (default 0.02, absolute) of the SLEM;
/// - arrival order: results must be bitwise identical.
public struct StrategyVerifier {
    /// A violated property, with the numbers that show it.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case fixedPointMoved(strategy: String, maxChange: Double, dropProbability: Double)
        case averageNotPreserved(strategy: String, deviation: Double)
        case contractionTooSlow(strategy: String, round: Int, ratio: Double, slem: Double)
        case contractionRateMismatch(strategy: String, observed: Double, slem: Double)
        case orderDependent(strategy: String, maxDifference: Double)
        case nondeterministic(strategy: String, maxDifference: Double)
        case dropsMishandled(strategy: String, agent: Int, detail: String)
        case ledgerMismatch(strategy: String, detail: String)
        case nonFinite(strategy: String, agent: Int)
        case threw(strategy: String, error: String)

        public var description: String {
            switch self {
            case let .fixedPointMoved(s, c, p):
                return "\(s): a common value moved by \(c) in one round (link drop probability \(p)); a fixed point must stay fixed."
            case let .averageNotPreserved(s, d):
                return "\(s): the network average changed by \(d) although the weights are doubly stochastic."
            case let .contractionTooSlow(s, r, ratio, slem):
                return "\(s): disagreement shrank by a factor \(ratio) in round \(r), slower than the SLEM \(slem) allows."
            case let .contractionRateMismatch(s, o, slem):
                return "\(s): disagreement contracts at rate \(o) per round, but the SLEM of its weights is \(slem)."
            case let .orderDependent(s, d):
                return "\(s): the result depends on message arrival order (max difference \(d))."
            case let .nondeterministic(s, d):
                return "\(s): two identical runs differ (max difference \(d))."
            case let .dropsMishandled(s, a, detail):
                return "\(s): agent \(a) mishandled dropped messages: \(detail)."
            case let .ledgerMismatch(s, detail):
                return "\(s): the ledger does not match the messages sent: \(detail)."
            case let .nonFinite(s, a):
                return "\(s): agent \(a) ended with a non-finite parameter."
            case let .threw(s, e):
                return "\(s) threw: \(e)"
            }
        }
    }

    /// Parameters per agent in the test data.
    public var parameterCount: Int
    /// Seed of the test data, drops and shuffles.
    public var seed: UInt64
    /// Link drop probability used in the drop checks.
    public var dropProbability: Double
    /// Absolute tolerance of the fixed-point, average and drop checks.
    public var tolerance: Double
    /// Absolute tolerance between the observed contraction rate and the SLEM.
    public var rateTolerance: Double
    /// Rounds run by the order, determinism and ledger checks.
    public var rounds: Int

    public init(parameterCount: Int = 8, seed: UInt64 = 2024, dropProbability: Double = 0.3,
                tolerance: Double = 1e-5, rateTolerance: Double = 0.02, rounds: Int = 4) {
        self.parameterCount = parameterCount
        self.seed = seed
        self.dropProbability = dropProbability
        self.tolerance = tolerance
        self.rateTolerance = rateTolerance
        self.rounds = rounds
    }

    // MARK: - Mixing strategies

    /// Verifies a linear mixing strategy that, with zero updates, must compute
    /// `θ_k ← Σ_l W[k, l] θ_l` over the messages that arrived, the weight of missing
    /// ones moved onto k. `make` builds a fresh strategy for each check. Also runs
    /// ``verifyProtocol(agentCount:_:)``.
    public func verifyMixing<S: CommunicationStrategy>(weights: MixingMatrix, _ make: () throws -> S) throws {
        let n = weights.agentCount
        let name = (try? make().name) ?? "strategy"

        // 1. A common value stays fixed, with and without drops.
        for p in [0.0, dropProbability] {
            let common = randomRow(stream: 1)
            var buffers = CohortBuffers(parameters: [[Float]](repeating: common, count: n))
            var transport = InMemoryTransport(agentCount: n, conditions: links(p))
            var ledger = MessageLedger(agentCount: n)
            var strategy = try build(make, name)
            for r in 0..<2 { _ = try run(&strategy, name, r, &buffers, &transport, &ledger) }
            let change = maxDifference(buffers.parameters, [[Float]](repeating: common, count: n))
            if !(change <= tolerance) { throw Failure.fixedPointMoved(strategy: name, maxChange: change, dropProbability: p) }
        }

        // 2. Doubly stochastic weights preserve the network average.
        if weights.isDoublyStochastic() {
            var buffers = CohortBuffers(parameters: randomRows(n, stream: 2))
            let before = columnMeans(buffers.parameters)
            var transport = InMemoryTransport(agentCount: n)
            var ledger = MessageLedger(agentCount: n)
            var strategy = try build(make, name)
            _ = try run(&strategy, name, 0, &buffers, &transport, &ledger)
            let after = columnMeans(buffers.parameters)
            let dev = zip(before, after).map { abs($0 - $1) }.max() ?? 0
            if !(dev <= tolerance) { throw Failure.averageNotPreserved(strategy: name, deviation: dev) }
        }

        // 3. Disagreement contracts at the rate the SLEM predicts (symmetric W).
        if weights.isSymmetric(tolerance: 1e-9) {
            try checkContraction(weights: weights, name: name, make)
        }

        // 4. Drops: the result equals the renormalised combination of what arrived.
        do {
            let start = randomRows(n, stream: 4)
            var buffers = CohortBuffers(parameters: start)
            var transport = InMemoryTransport(agentCount: n, conditions: links(dropProbability))
            var ledger = MessageLedger(agentCount: n)
            var strategy = try build(make, name)
            let report = try run(&strategy, name, 0, &buffers, &transport, &ledger)
            var dropped = [Set<Int>](repeating: [], count: n + 1)
            for r in transport.records where r.dropped { dropped[r.destination].insert(r.source) }
            for k in 0..<n {
                var selfWeight = weights[k, k]
                var expected = start[k].map { _ in 0.0 }
                for l in weights.sources[k] {
                    if dropped[k].contains(l) { selfWeight += weights[k, l]; continue }
                    for i in expected.indices { expected[i] += weights[k, l] * Double(start[l][i]) }
                }
                for i in expected.indices { expected[i] += selfWeight * Double(start[k][i]) }
                let err = zip(expected, buffers.parameters[k]).map { abs($0 - Double($1)) }.max() ?? 0
                if !(err <= tolerance) {
                    throw Failure.dropsMishandled(strategy: name, agent: k, detail: "combined value is off by \(err) from the renormalised combination of the messages that arrived")
                }
                if Set(report.missing[k]) != dropped[k] {
                    throw Failure.dropsMishandled(strategy: name, agent: k, detail: "reported missing \(report.missing[k]) but the links dropped \(dropped[k].sorted())")
                }
            }
        }

        try verifyProtocol(agentCount: n, make)
    }

    private func checkContraction<S: CommunicationStrategy>(weights: MixingMatrix, name: String, _ make: () throws -> S) throws {
        let n = weights.agentCount
        let slem = secondLargestEigenvalueModulus(weights).slem
        var buffers = CohortBuffers(parameters: randomRows(n, stream: 3))
        var transport = InMemoryTransport(agentCount: n, keepsRecords: false)
        var ledger = MessageLedger(agentCount: n)
        var strategy = try build(make, name)
        // Enough rounds to see the asymptotic rate, while staying far above Float noise.
        let horizon = slem < 0.05 ? 2 : min(200, max(20, Int((log(1e-3) / log(slem)).rounded(.up))))
        var d = [disagreement(buffers.parameters)]
        for r in 0..<horizon {
            _ = try run(&strategy, name, r, &buffers, &transport, &ledger)
            d.append(disagreement(buffers.parameters))
            let ratio = d[r + 1] / max(d[r], 1e-300)
            if d[r + 1] > slem * d[r] * (1 + 1e-3) + 1e-5 * d[0] {
                throw Failure.contractionTooSlow(strategy: name, round: r, ratio: ratio, slem: slem)
            }
        }
        if slem >= 0.05 {
            let half = horizon / 2
            let observed = pow(d[horizon] / d[half], 1.0 / Double(horizon - half))
            if !(abs(observed - slem) <= rateTolerance) {
                throw Failure.contractionRateMismatch(strategy: name, observed: observed, slem: slem)
            }
        }
    }

    // MARK: - Every strategy

    /// Verifies what every strategy must do, whatever it computes: the same run twice
    /// gives the same result; the result does not depend on arrival order (with drops);
    /// every dropped message is reported (in `missing`, or in `stale` if an older copy
    /// was reused) and no delivered one is; results are finite; and the ledger equals the
    /// transport's record of what was sent, per round and endpoint. Local steps and
    /// returns are filled with seeded random values each round.
    public func verifyProtocol<S: CommunicationStrategy>(agentCount n: Int, _ make: () throws -> S) throws {
        let name = (try? make().name) ?? "strategy"
        func runAll(order: InMemoryTransport.ArrivalOrder) throws -> ([[Float]], InMemoryTransport, MessageLedger, [RoundReport]) {
            var buffers = CohortBuffers(parameters: randomRows(n, stream: 5))
            var transport = InMemoryTransport(agentCount: n, conditions: links(dropProbability), arrivalOrder: order)
            var ledger = MessageLedger(agentCount: n)
            var strategy = try build(make, name)
            var reports: [RoundReport] = []
            for r in 0..<rounds {
                buffers.updates = randomRows(n, stream: 100 + UInt64(r)).map { $0.map { 0.01 * $0 } }
                buffers.returns = randomRow(stream: 200 + UInt64(r), count: n)
                reports.append(try run(&strategy, name, r, &buffers, &transport, &ledger))
            }
            return (buffers.parameters, transport, ledger, reports)
        }
        let (reference, transport, ledger, reports) = try runAll(order: .sendOrder)
        let (again, _, _, _) = try runAll(order: .sendOrder)
        let repeatDiff = maxDifference(reference, again)
        if repeatDiff != 0 { throw Failure.nondeterministic(strategy: name, maxDifference: repeatDiff) }
        for order in [InMemoryTransport.ArrivalOrder.reversed, .shuffled(seed: seed &+ 7)] {
            let (other, _, _, _) = try runAll(order: order)
            let diff = maxDifference(reference, other)
            if diff != 0 { throw Failure.orderDependent(strategy: name, maxDifference: diff) }
        }
        for (k, row) in reference.enumerated() where !row.allSatisfy(\.isFinite) {
            throw Failure.nonFinite(strategy: name, agent: k)
        }

        // Drops reported, deliveries not.
        for (r, report) in reports.enumerated() {
            let these = transport.records.filter { $0.round == r }
            for e in 0...n {
                let dropped = Set(these.filter { $0.dropped && $0.destination == e }.map(\.source))
                let delivered = Set(these.filter { !$0.dropped && $0.destination == e }.map(\.source))
                let reported = Set(report.missing[e]).union(report.stale[e])
                if !dropped.isSubset(of: reported) {
                    throw Failure.dropsMishandled(strategy: name, agent: e, detail: "round \(r): links dropped messages from \(dropped.sorted()) but only \(reported.sorted()) were reported")
                }
                let wrong = Set(report.missing[e]).intersection(delivered.subtracting(dropped))
                if !wrong.isEmpty {
                    throw Failure.dropsMishandled(strategy: name, agent: e, detail: "round \(r): reported \(wrong.sorted()) missing although their messages arrived")
                }
            }
        }

        // Ledger = transport record.
        for r in 0..<rounds {
            for e in 0...n {
                let these = transport.records.filter { $0.round == r && $0.source == e }
                let truth = MessageLedger.Counts(messages: these.count, scalars: these.reduce(0) { $0 + $1.scalars }, bytes: these.reduce(0) { $0 + $1.bytes })
                let booked = ledger.counts(round: r, endpoint: e)
                if truth != booked {
                    throw Failure.ledgerMismatch(strategy: name, detail: "round \(r), endpoint \(e): the transport carried \(truth.messages) messages (\(truth.scalars) scalars, \(truth.bytes) bytes) but the ledger has \(booked.messages) (\(booked.scalars), \(booked.bytes))")
                }
            }
        }
        if ledger.roundCount > rounds {
            throw Failure.ledgerMismatch(strategy: name, detail: "the ledger has rounds beyond the \(rounds) that ran")
        }
    }

    // MARK: - Helpers

    private func build<S>(_ make: () throws -> S, _ name: String) throws -> S {
        do { return try make() } catch { throw Failure.threw(strategy: name, error: "\(error)") }
    }

    private func run<S: CommunicationStrategy>(
        _ s: inout S, _ name: String, _ round: Int, _ b: inout CohortBuffers, _ t: inout InMemoryTransport, _ l: inout MessageLedger
    ) throws -> RoundReport {
        if s.localStep == .insideCommunication, s.inputs.contains(.updates), b.updates.first?.count != b.parameterCount {
            b.updates = b.parameters.map { $0.map { _ in 0 } }
        }
        do { return try s.communicate(round: round, buffers: &b, transport: &t, ledger: &l) } catch {
            throw Failure.threw(strategy: name, error: "\(error)")
        }
    }

    private func links(_ p: Double) -> LinkConditions {
        (try? LinkConditions(dropProbability: p, seed: seed &+ 11)) ?? .perfect
    }

    private func randomRow(stream: UInt64, count: Int? = nil) -> [Float] {
        var g = SplitMix64(seed: seed, stream: stream)
        return (0..<(count ?? parameterCount)).map { _ in Float(g.nextGaussian()) }
    }

    private func randomRows(_ n: Int, stream: UInt64) -> [[Float]] {
        (0..<n).map { randomRow(stream: stream &* 1_000_003 &+ UInt64($0)) }
    }
}

private func maxDifference(_ a: [[Float]], _ b: [[Float]]) -> Double {
    var m = 0.0
    for (x, y) in zip(a, b) { for (u, v) in zip(x, y) { m = max(m, abs(Double(u) - Double(v))) } }
    return m
}

private func columnMeans(_ rows: [[Float]]) -> [Double] {
    guard let p = rows.first?.count else { return [] }
    var m = [Double](repeating: 0, count: p)
    for r in rows { for i in 0..<p { m[i] += Double(r[i]) } }
    return m.map { $0 / Double(rows.count) }
}

/// ‖θ − 1 θ̄‖ over all agents and coordinates, in Double.
private func disagreement(_ rows: [[Float]]) -> Double {
    let mean = columnMeans(rows)
    var s = 0.0
    for r in rows { for i in r.indices { let d = Double(r[i]) - mean[i]; s += d * d } }
    return s.squareRoot()
}

