/// An undirected communication graph: who may talk to whom.
///
/// Agents are numbered `0 ..< agentCount`. An edge {i, j} is a pair of directed links
/// i → j and j → i, each of which can fail on its own (see ``LinkConditions``). Self
/// loops are not stored: every agent always "hears" itself, and how much it trusts
/// itself is decided by the mixing weights, not by the graph.
///
/// For an undirected graph "connected" and "strongly connected" (paper 000 §III) are
/// the same thing.
public struct Graph: Equatable, Sendable {
    /// Number of agents (nodes).
    public let agentCount: Int
    /// `neighbours[i]`: the agents adjacent to `i`, sorted ascending, without `i`.
    public let neighbours: [[Int]]

    /// A graph from an edge list. Duplicate edges and self loops are ignored.
    /// - Throws: ``CommunicationError/invalidValue(name:value:valid:)`` when an edge
    ///   names an agent outside `0 ..< agentCount`.
    public init(agentCount: Int, edges: [(Int, Int)]) throws {
        guard agentCount >= 1 else {
            throw CommunicationError.invalidValue(name: "number of agents", value: Double(agentCount), valid: "at least 1")
        }
        var sets = [Set<Int>](repeating: [], count: agentCount)
        for (a, b) in edges {
            for v in [a, b] where v < 0 || v >= agentCount {
                throw CommunicationError.invalidValue(
                    name: "agent index in an edge", value: Double(v), valid: "in 0 ..< \(agentCount)")
            }
            if a == b { continue }
            sets[a].insert(b)
            sets[b].insert(a)
        }
        self.agentCount = agentCount
        self.neighbours = sets.map { $0.sorted() }
    }

    /// A graph from neighbour sets already known to be valid and symmetric.
    init(agentCount: Int, neighbourSets: [Set<Int>]) {
        self.agentCount = agentCount
        self.neighbours = neighbourSets.map { $0.sorted() }
    }

    /// The degree (number of neighbours, self excluded) of each agent.
    public var degrees: [Int] { neighbours.map(\.count) }

    /// The largest degree.
    public var maximumDegree: Int { neighbours.map(\.count).max() ?? 0 }

    /// Number of undirected edges.
    public var edgeCount: Int { neighbours.reduce(0) { $0 + $1.count } / 2 }

    /// Number of directed links (twice the edge count).
    public var linkCount: Int { neighbours.reduce(0) { $0 + $1.count } }

    /// Mean number of neighbours, 2|E| / N (self not counted).
    public var averageDegree: Double { Double(linkCount) / Double(agentCount) }

    /// The edges as pairs (i, j) with i < j, in lexicographic order.
    public var edges: [(Int, Int)] {
        var out: [(Int, Int)] = []
        out.reserveCapacity(edgeCount)
        for i in 0..<agentCount { for j in neighbours[i] where j > i { out.append((i, j)) } }
        return out
    }

    /// Whether agents `i` and `j` are adjacent.
    public func areAdjacent(_ i: Int, _ j: Int) -> Bool {
        neighbours[i].binarySearch(j) != nil
    }

    public static func == (lhs: Graph, rhs: Graph) -> Bool {
        lhs.agentCount == rhs.agentCount && lhs.neighbours == rhs.neighbours
    }
}

extension Array where Element == Int {
    /// Index of `value` in this ascending array, or nil.
    @inlinable
    func binarySearch(_ value: Int) -> Int? {
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) >> 1
            let v = self[mid]
            if v == value { return mid }
            if v < value { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }
}
