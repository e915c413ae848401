/// The three architectures of the Diff-DAC paper (000, §V), as configurations of a ``Cohort``.
public enum Architecture: String, NamedChoice {
    /// One learner per agent, each on its own task, talking over a graph with a strategy.
    case decentralised
    /// One learner whose batch holds every task (the paper's centralised baseline).
    case centralised
    /// One learner per task, no communication (the paper's specialised agents).
    case specialised

    public static var choiceName: String { "architecture" }

    /// Whether learners of this architecture talk to each other.
    public var communicates: Bool { self == .decentralised }
}
