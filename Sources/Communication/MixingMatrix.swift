/// A row-stochastic mixing matrix W: `W[k, l]` is the weight agent k gives to the value
/// it receives from agent l (`W[k, k]` to its own). Paper 000 writes C = Wᵀ (c_lk);
/// paper 001 writes W with the same orientation as here.
///
/// It is stored sparse, per agent: the agents each agent listens to, their weights (in
/// `Double` for analysis, in `Float` for combination) and its own weight, so memory and the
/// analyses (stochasticity, primitivity, SLEM) scale with the links. A strategy reads only the
/// `Float` view.
public struct MixingMatrix: Equatable, Sendable {
    /// Number of agents.
    public let agentCount: Int
    /// `sources[k]`: the agents l ≠ k with `W[k, l] > 0`, ascending — whom k listens to.
    public let sources: [[Int]]
    /// `sourceWeights[k][i] = W[k, sources[k][i]]` in `Float`.
    public let sourceWeights: [[Float]]
    /// `selfWeights[k] = W[k, k]` in `Float`.
    public let selfWeights: [Float]
    /// `destinations[l]`: the agents k ≠ l with `W[k, l] > 0`, ascending — who listens to l.
    public let destinations: [[Int]]
    /// `exactSourceWeights[k][i] = W[k, sources[k][i]]` in `Double` (for analysis).
    public let exactSourceWeights: [[Double]]
    /// `exactSelfWeights[k] = W[k, k]` in `Double`.
    public let exactSelfWeights: [Double]

    /// Tolerance on row sums.
    public static let rowSumTolerance = 1e-6

    /// A mixing matrix from dense row-major entries.
    /// - Throws: ``CommunicationError/badShape(expected:found:)``,
    ///   ``CommunicationError/invalidWeight(row:column:value:)`` (negative or not
    ///   finite) or ``CommunicationError/notStochastic(row:sum:)``.
    public init(agentCount n: Int, entries: [Double]) throws {
        guard n >= 1, n <= Int(Double(Int.max).squareRoot()), entries.count == n * n else {
            throw CommunicationError.badShape(expected: max(n, 1), found: "\(entries.count) entries were given")
        }
        for k in 0..<n {
            var sum = 0.0
            for l in 0..<n {
                let v = entries[k * n + l]
                guard v.isFinite, v >= 0 else { throw CommunicationError.invalidWeight(row: k, column: l, value: v) }
                sum += v
            }
            guard abs(sum - 1) <= MixingMatrix.rowSumTolerance else { throw CommunicationError.notStochastic(row: k, sum: sum) }
        }
        self.init(validatedAgentCount: n, entries: entries)
    }

    /// A mixing matrix from rows.
    public init(rows: [[Double]]) throws {
        let n = rows.count
        if let bad = rows.firstIndex(where: { $0.count != n }) {
            throw CommunicationError.badShape(expected: n, found: "row \(bad) has \(rows[bad].count) entries")
        }
        try self.init(agentCount: n, entries: rows.flatMap { $0 })
    }

    init(validatedAgentCount n: Int, entries: [Double]) {
        var selfWeights = [Double](repeating: 0, count: n)
        var sources = [[Int]](repeating: [], count: n)
        var weights = [[Double]](repeating: [], count: n)
        for k in 0..<n {
            selfWeights[k] = entries[k * n + k]
            for l in 0..<n where l != k && entries[k * n + l] > 0 {
                sources[k].append(l)
                weights[k].append(entries[k * n + l])
            }
        }
        self.init(validatedAgentCount: n, selfWeights: selfWeights, sources: sources, weights: weights)
    }

    /// A mixing matrix from its sparse rows: `W[k, k] = selfWeights[k]` and
    /// `W[k, sources[k][i]] = weights[k][i] > 0`, sources ascending and ≠ k. Memory and time
    /// scale with the links, not with N².
    init(validatedAgentCount n: Int, selfWeights: [Double], sources: [[Int]], weights: [[Double]]) {
        agentCount = n
        exactSelfWeights = selfWeights
        self.sources = sources
        exactSourceWeights = weights
        self.selfWeights = selfWeights.map { Float($0) }
        sourceWeights = weights.map { $0.map { Float($0) } }
        var destinations = [[Int]](repeating: [], count: n)
        for k in 0..<n { for l in sources[k] { destinations[l].append(k) } }
        self.destinations = destinations
    }

    /// `W[k, l]` (a binary search of k's sources).
    public subscript(k: Int, l: Int) -> Double {
        if k == l { return exactSelfWeights[k] }
        let row = sources[k]
        var lo = 0, hi = row.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if row[mid] < l { lo = mid + 1 } else { hi = mid }
        }
        return lo < row.count && row[lo] == l ? exactSourceWeights[k][lo] : 0
    }

    /// Row `k` as a dense array of N weights.
    public func row(_ k: Int) -> [Double] {
        var r = [Double](repeating: 0, count: agentCount)
        r[k] = exactSelfWeights[k]
        for (i, l) in sources[k].enumerated() { r[l] = exactSourceWeights[k][i] }
        return r
    }

    /// Row-major dense entries, `entries[k * agentCount + l] = W[k, l]` (N² values: for
    /// analysis of small matrices).
    public var entries: [Double] { (0..<agentCount).flatMap { row($0) } }

    /// The rows as nested arrays (for JSON output).
    public var rows: [[Double]] { (0..<agentCount).map { row($0) } }

    /// The support graph: k and l adjacent when either weighs the other positively.
    public var supportGraph: Graph {
        var sets = [Set<Int>](repeating: [], count: agentCount)
        for k in 0..<agentCount {
            for l in sources[k] {
                sets[k].insert(l)
                sets[l].insert(k)
            }
        }
        return Graph(agentCount: agentCount, neighbourSets: sets)
    }

    /// Largest number of agents any agent listens to.
    public var maximumSourceCount: Int { sources.map(\.count).max() ?? 0 }
}
