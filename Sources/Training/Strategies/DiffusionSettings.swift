import Communication

/// `diffusion-atc`: adapt, then combine the neighbours' parameters with the mixing weights
/// (Diff-DAC, paper 000 Algorithm 1).
public struct DiffusionAdaptThenCombineSettings: StrategySettings {
    public init() {}
    public static var name: String { "diffusion-atc" }
    public static var summary: String { "adapt, then combine neighbours' parameters (Diff-DAC, paper 000)" }
    public static var communicates: Bool { true }
    public static var usesGraph: Bool { true }
    public static var localStep: LocalStepPlacement { .beforeCommunication }
    public static var inputs: StrategyInputs { [] }
    public func makeStrategy(_ context: StrategyContext) throws -> any CommunicationStrategy {
        try Diffusion(weights: try context.requireWeights(Self.name), order: .adaptThenCombine)
    }
}

/// `diffusion-cta`: combine the neighbours' parameters, then adapt at the combination.
public struct DiffusionCombineThenAdaptSettings: StrategySettings {
    public init() {}
    public static var name: String { "diffusion-cta" }
    public static var summary: String { "combine neighbours' parameters, then adapt" }
    public static var communicates: Bool { true }
    public static var usesGraph: Bool { true }
    public static var localStep: LocalStepPlacement { .afterCommunication }
    public static var inputs: StrategyInputs { [] }
    public func makeStrategy(_ context: StrategyContext) throws -> any CommunicationStrategy {
        try Diffusion(weights: try context.requireWeights(Self.name), order: .combineThenAdapt)
    }
}
