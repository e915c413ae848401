import Communication

/// `none`: agents learn alone (specialised agents, single learners).
public struct NoCommunicationSettings: StrategySettings {
    public init() {}
    public static var name: String { "none" }
    public static var summary: String { "no communication (specialised or centralised learners)" }
    public static var communicates: Bool { false }
    public static var usesGraph: Bool { false }
    public static var localStep: LocalStepPlacement { .beforeCommunication }
    public static var inputs: StrategyInputs { [] }
    public func makeStrategy(_ context: StrategyContext) throws -> any CommunicationStrategy { NoCommunication() }
}
