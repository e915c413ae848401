/// A row-stochastic mixing matrix W: `W[k, l]` is the weight agent k gives to the value
/// it receives from agent l (`W[k, k]` to its own). Paper 000 writes C = Wᵀ (c_lk);
/// paper 001 writes W with the same orientation as here.
///
/// Besides the dense matrix (for analysis: stochasticity, primitivity, SLEM) it keeps a
/// sparse per-agent view for combination: the agents each agent listens to, their
/// `Float` weights, and its own weight. A strategy reads only the sparse view.
public struct MixingMatrix: Equatable, Sendable {
    /// Number of agents.
    public let agentCount: Int
    /// Row-major dense entries, `entries[k * agentCount + l] = W[k, l]`.
    public let entries: [Double]
    /// `sources[k]`: the agents l ≠ k with `W[k, l] > 0`, ascending — whom k listens to.
    public let sources: [[Int]]
    /// `sourceWeights[k][i] = W[k, sources[k][i]]` in `Float`.
    public let sourceWeights: [[Float]]
    /// `selfWeights[k] = W[k, k]` in `Float`.
    public let selfWeights: [Float]
    /// `destinations[l]`: the agents k ≠ l with `W[k, l] > 0`, ascending — who listens to l.
    public let destinations: [[Int]]

    /// Tolerance on row sums.
    public static let rowSumTolerance = 1e-6

    /// A mixing matrix from dense row-major entries.
    /// - Throws: ``CommunicationError/badShape(expected:found:)``,
    ///   ``CommunicationError/invalidWeight(row:column:value:)`` (negative or not
    ///   finite) or ``CommunicationError/notStochastic(row:sum:)``.
    public init(agentCount n: Int, entries: [Double]) throws {
        guard n >= 1, entries.count == n * n else {
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
        agentCount = n
        self.entries = entries
        var sources = [[Int]](repeating: [], count: n)
        var weights = [[Float]](repeating: [], count: n)
        var destinations = [[Int]](repeating: [], count: n)
        var selfWeights = [Float](repeating: 0, count: n)
        for k in 0..<n {
            selfWeights[k] = Float(entries[k * n + k])
            for l in 0..<n where l != k && entries[k * n + l] > 0 {
                sources[k].append(l)
                weights[k].append(Float(entries[k * n + l]))
                destinations[l].append(k)
            }
        }
        self.sources = sources
        self.sourceWeights = weights
        self.selfWeights = selfWeights
        self.destinations = destinations
    }

    /// `W[k, l]`.
    public subscript(k: Int, l: Int) -> Double { entries[k * agentCount + l] }

    /// The rows as nested arrays (for JSON output).
    public var rows: [[Double]] { (0..<agentCount).map { Array(entries[($0 * agentCount)..<(($0 + 1) * agentCount)]) } }

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
