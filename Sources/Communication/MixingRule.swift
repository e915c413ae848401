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

    /// The weights of this rule on `graph`.
    public func weights(for graph: Graph) -> MixingMatrix {
        let n = graph.agentCount
        let entries: [Double]
        switch self {
        case .hastings: entries = hastingsWeights(graph)
        case .lazyMetropolis: entries = lazyMetropolisWeights(graph)
        case .uniform: entries = uniformWeights(graph)
        case .maximumDegree: entries = maximumDegreeWeights(graph)
        }
        // The rules produce valid row-stochastic matrices by construction.
        return MixingMatrix(validatedAgentCount: n, entries: entries)
    }
}
