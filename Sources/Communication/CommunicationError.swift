/// Everything that can be wrong with a graph, a weights matrix or a link setting.
///
/// Each case's ``description`` is one sentence saying what was wrong and what is valid;
/// the command line prints it as is.
public enum CommunicationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The graph is not connected but the caller needs it to be (diffusion, consensus,
    /// a primitive mixing matrix). `unreachable` lists agents agent 0 cannot reach.
    case disconnectedGraph(agents: Int, unreachable: [Int])
    /// No graph of this kind has `agents` nodes of degree `degree`; `reason` says why.
    case impossibleDegree(topology: String, agents: Int, degree: Double, reason: String)
    /// A weight matrix row does not sum to 1.
    case notStochastic(row: Int, sum: Double)
    /// A weight matrix has a negative or non-finite entry.
    case invalidWeight(row: Int, column: Int, value: Double)
    /// A weight matrix's shape does not match the number of agents.
    case badShape(expected: Int, found: String)
    /// A probability (link drop, edge probability) outside [0, 1].
    case probabilityOutOfRange(name: String, value: Double)
    /// A number that must be positive (or non-negative) was not.
    case invalidValue(name: String, value: Double, valid: String)
    /// A graph or weights file could not be read or understood.
    case invalidFile(path: String, reason: String)
    /// An unknown topology, weights rule or strategy name.
    case unknownName(kind: String, name: String, valid: [String])
    /// Buffers handed to a strategy do not have the shape it needs.
    case shapeMismatch(String)

    public var description: String {
        switch self {
        case let .disconnectedGraph(agents, unreachable):
            let shown = unreachable.prefix(8).map(String.init).joined(separator: ", ")
            let more = unreachable.count > 8 ? ", …" : ""
            return "The graph on \(agents) agents is not connected (agent 0 cannot reach agent\(unreachable.count == 1 ? "" : "s") \(shown)\(more)); a connected graph is required."
        case let .impossibleDegree(topology, agents, degree, reason):
            return "A \(topology) graph with \(agents) agents and degree \(formatNumber(degree)) is impossible: \(reason)."
        case let .notStochastic(row, sum):
            return "Row \(row) of the weights sums to \(formatNumber(sum)), but every row of a mixing matrix must sum to 1 (within 1e-6)."
        case let .invalidWeight(row, column, value):
            return "Weight (\(row), \(column)) is \(formatNumber(value)), but mixing weights must be finite and non-negative."
        case let .badShape(expected, found):
            return "The weights must be a \(expected) × \(expected) matrix, but \(found)."
        case let .probabilityOutOfRange(name, value):
            return "The \(name) is \(formatNumber(value)), but a probability must lie in [0, 1]."
        case let .invalidValue(name, value, valid):
            return "The \(name) is \(formatNumber(value)), but it must be \(valid)."
        case let .invalidFile(path, reason):
            return "Cannot use the graph file \(path): \(reason)."
        case let .unknownName(kind, name, valid):
            return "Unknown \(kind) '\(name)'; the valid \(kind == "topology" ? "topologies" : kind + "s") are \(valid.joined(separator: ", "))."
        case let .shapeMismatch(what):
            return "Buffer shape mismatch: \(what)."
        }
    }
}

/// A number printed without a trailing ".0" when it is whole.
func formatNumber(_ x: Double) -> String {
    if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return String(x)
}
