/// The graph families Shoal can generate, as a value (for configs and the command line).
public enum Topology: Equatable, Sendable {
    /// A cycle (paper 000 Fig. 7 and paper 001 §5 use rings).
    case ring
    /// Everyone adjacent to everyone.
    case complete
    /// Agent 0 adjacent to all others.
    case star
    /// The most square 2-D lattice for N (see ``Graph/gridShape(agents:)``).
    case grid
    /// A k-regular circulant graph.
    case regular(degree: Int)
    /// A random connected graph with a target average degree (paper 000 §VI-A).
    case randomConnected(averageDegree: Double)
    /// Erdős–Rényi G(N, p).
    case erdosRenyi(probability: Double)

    /// The names accepted by ``parse(_:degree:probability:agents:)``.
    public static let names = ["ring", "complete", "star", "grid", "regular", "random", "erdos-renyi"]

    /// The command-line name of this topology.
    public var name: String {
        switch self {
        case .ring: "ring"
        case .complete: "complete"
        case .star: "star"
        case .grid: "grid"
        case .regular: "regular"
        case .randomConnected: "random"
        case .erdosRenyi: "erdos-renyi"
        }
    }

    /// Parses a topology name. `degree` is the k of `regular` (required), the target
    /// average degree of `random` (default 4.2, paper 000 §VI-A) and, when no
    /// `probability` is given, the expected degree of `erdos-renyi` (p = degree / (N − 1)).
    /// - Throws: ``CommunicationError`` for an unknown name or a missing or
    ///   non-integral degree.
    public static func parse(_ name: String, degree: Double?, probability: Double?, agents: Int) throws -> Topology {
        switch name.lowercased() {
        case "ring": return .ring
        case "complete": return .complete
        case "star": return .star
        case "grid": return .grid
        case "regular", "k-regular":
            guard let d = degree else {
                throw CommunicationError.invalidValue(name: "degree of a regular graph", value: .nan, valid: "given with --degree")
            }
            guard d == d.rounded(), abs(d) < 1e9 else {
                throw CommunicationError.impossibleDegree(
                    topology: "k-regular", agents: agents, degree: d, reason: "the degree of a regular graph must be a whole number")
            }
            return .regular(degree: Int(d))
        case "random", "random-connected":
            let d = degree ?? 4.2
            guard d.isFinite, d >= 0, d <= Double(max(agents - 1, 0)) + 1e-9 else {
                throw CommunicationError.impossibleDegree(
                    topology: "random connected", agents: agents, degree: d,
                    reason: "the average degree must be a finite number in 0 ... \(max(agents - 1, 0))")
            }
            return .randomConnected(averageDegree: d)
        case "erdos-renyi", "erdos_renyi", "er":
            if let p = probability { return .erdosRenyi(probability: p) }
            let d = degree ?? 4.2
            guard agents > 1 else { return .erdosRenyi(probability: 0) }
            let p = d / Double(agents - 1)
            guard p >= 0, p <= 1 else {
                throw CommunicationError.impossibleDegree(
                    topology: "Erdős–Rényi", agents: agents, degree: d,
                    reason: "the expected degree must lie in 0 ... \(agents - 1)")
            }
            return .erdosRenyi(probability: p)
        default:
            throw CommunicationError.unknownName(kind: "topology", name: name, valid: names + ["file"])
        }
    }

    /// Builds the graph on `agents` agents; random families draw from `seed` only.
    public func makeGraph(agents: Int, seed: UInt64) throws -> Graph {
        switch self {
        case .ring: return try .ring(agents: agents)
        case .complete: return try .complete(agents: agents)
        case .star: return try .star(agents: agents)
        case .grid:
            try Graph.requireAgents(agents)
            let shape = Graph.gridShape(agents: agents)
            return try .grid(rows: shape.rows, columns: shape.columns)
        case let .regular(k): return try .regular(agents: agents, degree: k)
        case let .randomConnected(d): return try .randomConnected(agents: agents, averageDegree: d, seed: seed)
        case let .erdosRenyi(p): return try .erdosRenyi(agents: agents, probability: p, seed: seed)
        }
    }
}
