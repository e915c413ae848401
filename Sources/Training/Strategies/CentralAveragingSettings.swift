import Communication

/// `central`: a controller averages the learners' steps and broadcasts the new parameters
/// (the full-communication baseline of LAPG, paper 002 Algorithm 1).
public struct CentralAveragingSettings: StrategySettings {
    public init() {}
    public static var name: String { "central" }
    public static var summary: String { "a controller averages every learner's step and broadcasts θ" }
    public static var communicates: Bool { true }
    public static var usesGraph: Bool { false }
    public static var localStep: LocalStepPlacement { .insideCommunication }
    public static var inputs: StrategyInputs { .updates }
    public func makeStrategy(_ context: StrategyContext) throws -> any CommunicationStrategy { CentralAveraging(agentCount: context.agents) }
}
