/// How mixing weights are derived from a graph (see the free functions in
/// `MixingWeights.swift` for the formulas and their sources).
public enum MixingRule: String, CaseIterable, Sendable {
    /// Hastings / Metropolis–Hastings, paper 000 §III.
    case hastings
    /// Lazy Metropolis, paper 001 §5.1.
    case lazyMetropolis = "lazy-metropolis"
    /// Equal weight 1 / (degree + 1) on self and each neighbour.
    case uniform
    /// Maximum-degree weights, paper 004 eq. 41.
    case maximumDegree = "maximum-degree"

    /// Parses a command-line name; "metropolis-hastings" and "metropolis" mean `hastings`.
    public static func parse(_ name: String) throws -> MixingRule {
        switch name.lowercased() {
        case "hastings", "metropolis-hastings", "metropolis", "mh": return .hastings
        case "lazy-metropolis", "lazy": return .lazyMetropolis
        case "uniform": return .uniform
        case "maximum-degree", "max-degree": return .maximumDegree
        default:
            throw CommunicationError.unknownName(kind: "weights rule", name: name, valid: allCases.map(\.rawValue) + ["file"])
        }
    }

    /// The weights of this rule on `graph`, built from its links (O(N + links)).
    public func weights(for graph: Graph) -> MixingMatrix {
        let n = graph.agentCount
        let degrees = graph.degrees
        let maximum = Double(graph.maximumDegree)
        var selfWeights = [Double](repeating: 0, count: n)
        var sources = [[Int]](repeating: [], count: n)
        var weights = [[Double]](repeating: [], count: n)
        for k in 0..<n {
            let neighbours = graph.neighbours[k]
            var row = [Double]()
            row.reserveCapacity(neighbours.count)
            var rest = 1.0
            for l in neighbours {
                let v: Double
                switch self {
                case .hastings: v = 1.0 / Double(max(degrees[k], degrees[l]) + 1)
                case .lazyMetropolis: v = 1.0 / (2.0 * Double(max(degrees[k], degrees[l])))
                case .uniform: v = 1.0 / Double(neighbours.count + 1)
                case .maximumDegree: v = 1.0 / (maximum + 1)
                }
                row.append(v)
                rest -= v
            }
            // The same diagonal as the dense rules in `MixingWeights.swift`.
            selfWeights[k] = self == .uniform ? 1.0 / Double(neighbours.count + 1) : rest
            sources[k] = neighbours
            weights[k] = row
        }
        // The rules produce valid row-stochastic matrices by construction.
        return MixingMatrix(validatedAgentCount: n, selfWeights: selfWeights, sources: sources, weights: weights)
    }
}
