import Communication

/// `es`: one scalar return per agent and round, perturbations regenerated from a shared seed
/// (paper 003 §2.4.4, eq. 2.1).
public struct EvolutionStrategiesSettings: StrategySettings {
    /// σ, the perturbation standard deviation.
    public var sigma: Float = 0.05
    /// α, the step size of θ ← θ + α ĝ (unused when the algorithm's learners apply ĝ with their
    /// own optimiser, as algorithm `es` does with Adam).
    public var stepSize: Float = 0.01

    public init() {}
    enum CodingKeys: String, CodingKey { case sigma, stepSize = "step_size" }

    public static var name: String { "es" }
    public static var summary: String { "scalar returns of seeded perturbations (ES, paper 003)" }
    public static var communicates: Bool { true }
    public static var usesGraph: Bool { false }
    public static var localStep: LocalStepPlacement { .insideCommunication }
    public static var inputs: StrategyInputs { .returns }

    public func validationProblem() -> String? {
        if !(sigma > 0 && sigma.isFinite) { return "sigma must be positive, got \(sigma)" }
        if !stepSize.isFinite { return "step_size must be finite, got \(stepSize)" }
        return nil
    }

    public func makeStrategy(_ context: StrategyContext) throws -> any CommunicationStrategy {
        try EvolutionStrategies(agentCount: context.agents, sigma: sigma, stepSize: stepSize, seed: context.seed)
            .leavingStepToLearners(context.learnersApplySteps)
    }
}

/// `espc`: ES in which each agent sends its return only with probability p_comm, so that about
/// m of the n agents send (paper 003 §4.2–4.4).
public struct ProbabilisticEvolutionStrategiesSettings: StrategySettings {
    /// σ, the perturbation standard deviation.
    public var sigma: Float = 0.05
    /// α, the step size (unused when the learners apply ĝ with their own optimiser).
    public var stepSize: Float = 0.01
    /// m, the expected number of senders per round.
    public var expectedSenders = 25
    /// k, the rolling window of utilities.
    public var window = 5

    public init() {}
    enum CodingKeys: String, CodingKey { case sigma, window, stepSize = "step_size", expectedSenders = "expected_senders" }

    public static var name: String { "espc" }
    public static var summary: String { "ES with probabilistic sending, about m of n agents per round (ESPC, paper 003)" }
    public static var communicates: Bool { true }
    public static var usesGraph: Bool { false }
    public static var localStep: LocalStepPlacement { .insideCommunication }
    public static var inputs: StrategyInputs { .returns }

    public func validationProblem() -> String? {
        if !(sigma > 0 && sigma.isFinite) { return "sigma must be positive, got \(sigma)" }
        if expectedSenders < 0 { return "expected_senders must be 0 or positive, got \(expectedSenders)" }
        if window < 2 { return "window must be at least 2, got \(window)" }
        return nil
    }

    public func makeStrategy(_ context: StrategyContext) throws -> any CommunicationStrategy {
        guard expectedSenders <= context.agents else {
            throw TrainingError("espc's expected_senders m = \(expectedSenders) exceeds the \(context.agents) agents")
        }
        return try ProbabilisticEvolutionStrategies(agentCount: context.agents, sigma: sigma, stepSize: stepSize, seed: context.seed,
                                                    expectedSenders: expectedSenders, window: window)
            .leavingStepToLearners(context.learnersApplySteps)
    }
}
