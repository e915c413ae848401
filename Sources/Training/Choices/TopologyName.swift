import Communication

/// The graph families a run can name (``Topology`` carries their numbers).
public enum TopologyName: String, NamedChoice {
    case ring, complete, star, grid, regular, random
    case erdosRenyi = "erdos-renyi"

    public static var choiceName: String { "topology" }

    /// The topology with the run's degree and edge probability.
    public func topology(degree: Double, edgeProbability: Double, agents: Int) throws -> Topology {
        try Topology.parse(rawValue, degree: degree, probability: self == .erdosRenyi ? edgeProbability : nil, agents: agents)
    }
}

extension MixingRule: NamedChoice {
    public static var choiceName: String { "weights rule" }
}
