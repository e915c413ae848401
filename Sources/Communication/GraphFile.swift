import Foundation

/// A graph (and optionally its weights) read from a JSON file.
///
/// Accepted shapes (exactly one of `edges`, `adjacency`, `weights`):
///
///     {"agents": 4, "edges": [[0, 1], [1, 2], [2, 3], [3, 0]]}
///     {"adjacency": [[0, 1, 0], [1, 0, 1], [0, 1, 0]]}       // symmetric, entries 0 or 1, zero diagonal
///     {"weights": [[0.5, 0.5], [0.5, 0.5]]}                  // a mixing matrix W, rows sum to 1
///
/// With `weights`, the graph is the support of W (k and l adjacent when either weighs
/// the other positively) and W itself is validated: non-negative, finite, rows summing
/// to 1. Unknown keys are errors, so a typo is never silently ignored; so are self-loops,
/// repeated edges and adjacency entries other than 0 and 1 (nothing is silently normalised),
/// and a syntax error names the line and column.
public struct GraphFile: Sendable {
    /// The graph.
    public var graph: Graph
    /// The weights, when the file gave them.
    public var weights: MixingMatrix?

    private static let keys: Set<String> = ["agents", "edges", "adjacency", "weights"]

    /// Most agents an edge-list file may declare (a graph keeps a few hundred bytes per agent;
    /// matrices are bounded by the file's own size).
    public static let maximumAgents = 10_000_000

    /// Reads and validates `path`.
    /// - Throws: ``CommunicationError/invalidFile(path:reason:)`` for unreadable or
    ///   malformed files, and the weight errors of ``MixingMatrix/init(agentCount:entries:)``
    ///   (such as ``CommunicationError/notStochastic(row:sum:)``) for bad weights.
    public init(contentsOf path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CommunicationError.invalidFile(path: path, reason: "it is a directory, not a graph file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommunicationError.invalidFile(path: path, reason: "the file does not exist or cannot be read")
        }
        try self.init(data: data, path: path)
    }

    /// Parses JSON `data`; `path` is used in error messages.
    public init(data: Data, path: String = "<data>") throws {
        func fail(_ reason: String) -> CommunicationError { .invalidFile(path: path, reason: reason) }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw fail("it is not valid JSON (\(GraphFile.syntaxErrorLocation(error, in: data)))")
        }
        guard let dict = object as? [String: Any] else { throw fail("it is not a JSON object") }
        if let unknown = dict.keys.sorted().first(where: { !GraphFile.keys.contains($0) }) {
            throw fail("unknown key '\(unknown)' (valid keys: agents, edges, adjacency, weights)")
        }
        let given = ["edges", "adjacency", "weights"].filter { dict[$0] != nil }
        guard given.count == 1 else {
            throw fail("give exactly one of 'edges', 'adjacency' or 'weights' (found \(given.isEmpty ? "none" : given.joined(separator: ", ")))")
        }
        func matrix(_ key: String) throws -> [[Double]] {
            guard let rows = dict[key] as? [[Any]] else { throw fail("'\(key)' must be an array of arrays of numbers") }
            return try rows.map { row in
                try row.map { v in
                    if let i = v as? Int { return Double(i) }
                    if let d = v as? Double { return d }
                    if let n = v as? NSNumber { return n.doubleValue }
                    throw fail("'\(key)' must contain only numbers")
                }
            }
        }
        switch given[0] {
        case "edges":
            guard let n = dict["agents"] as? Int, n >= 1 else { throw fail("an edge list needs 'agents', a positive integer") }
            guard n <= GraphFile.maximumAgents else {
                throw fail("'agents' is \(n), more than the \(GraphFile.maximumAgents) agents a graph file may describe (about 400 bytes each)")
            }
            guard let list = dict["edges"] as? [[Int]], list.allSatisfy({ $0.count == 2 }) else {
                throw fail("'edges' must be an array of [i, j] integer pairs")
            }
            if let bad = list.first(where: { !(0..<n).contains($0[0]) || !(0..<n).contains($0[1]) }) {
                throw fail("edge [\(bad[0]), \(bad[1])] names an agent outside 0 ..< \(n)")
            }
            if let loop = list.first(where: { $0[0] == $0[1] }) {
                throw fail("edge [\(loop[0]), \(loop[1])] is a self-loop (every agent keeps its own value; list only links between two agents)")
            }
            var seen = Set<Int>()
            for e in list where !seen.insert(min(e[0], e[1]) * n + max(e[0], e[1])).inserted {
                throw fail("edge [\(e[0]), \(e[1])] is listed twice (links are undirected)")
            }
            graph = try Graph(agentCount: n, edges: list.map { ($0[0], $0[1]) })
            weights = nil
        case "adjacency":
            let a = try matrix("adjacency")
            let n = a.count
            if let bad = a.firstIndex(where: { $0.count != n }) { throw fail("'adjacency' must be square, but row \(bad) has \(a[bad].count) entries for \(n) rows") }
            if n == 0 { throw fail("'adjacency' is empty") }
            if let given = dict["agents"] as? Int, given != n { throw fail("'agents' is \(given) but 'adjacency' has \(n) rows") }
            var edges: [(Int, Int)] = []
            for i in 0..<n {
                if a[i][i] != 0 { throw fail("'adjacency' has \(formatNumber(a[i][i])) on the diagonal at (\(i), \(i)); self-loops are not links, the diagonal must be 0") }
                for j in 0..<n where a[i][j] != 0 && a[i][j] != 1 {
                    throw fail("'adjacency' has \(formatNumber(a[i][j])) at (\(i), \(j)); entries must be 0 or 1 (give weights with 'weights')")
                }
                for j in 0..<n where i != j {
                    if (a[i][j] != 0) != (a[j][i] != 0) { throw fail("'adjacency' is not symmetric at (\(i), \(j)); links are undirected") }
                    if j > i, a[i][j] != 0 { edges.append((i, j)) }
                }
            }
            graph = try Graph(agentCount: n, edges: edges)
            weights = nil
        default:
            let w = try matrix("weights")
            if let given = dict["agents"] as? Int, given != w.count { throw fail("'agents' is \(given) but 'weights' has \(w.count) rows") }
            let m = try MixingMatrix(rows: w)
            weights = m
            graph = m.supportGraph
        }
    }

    /// "line L, column C" of a JSONSerialization error (the end of the file when it ended early).
    static func syntaxErrorLocation(_ error: Error, in data: Data) -> String {
        let text = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
        var offset = data.count
        if let range = text.range(of: "character ") {
            let digits = text[range.upperBound...].prefix { $0.isNumber }
            if let n = Int(digits) { offset = min(n, data.count) }
        }
        var line = 1, column = 1
        for byte in data.prefix(offset) {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        let what = offset >= data.count ? "the file ends early" : "unexpected text"
        return "\(what) at line \(line), column \(column)"
    }
}
