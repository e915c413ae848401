import Communication

/// `admm`: sequential distributed ADMM over the run's graph (Wei & Ozdaglar 2012), the
/// consensus step of Dist-MTPS (``ADMMConsensus``). Its rows carry a local quadratic cost
/// (``ADMMRowLayout``), so only algorithm `dist-mtps` drives it.
public struct ADMMSettings: StrategySettings {
    /// ρ, the penalty of the augmented Lagrangian (and the dual step size). Not given in paper
    /// 000; 1 is of the order of the local costs' curvature ‖s_k‖² at Dist-MTPS's scale.
    public var rho = 1.0
    /// Sequential passes over the agents per round (each pass: N hops, one per agent, then the
    /// dual step). Not given in paper 000; each round warm-starts from the last, so a few passes
    /// per round track the moving consensus problem.
    public var passes = 5

    public init() {}

    public static var name: String { "admm" }
    public static var summary: String { "sequential distributed ADMM on a shared matrix, agents in index order (Dist-MTPS's consensus, Wei & Ozdaglar 2012)" }
    public static var communicates: Bool { true }
    public static var usesGraph: Bool { true }
    public static var localStep: LocalStepPlacement { .beforeCommunication }
    public static var inputs: StrategyInputs { [] }

    public func validationProblem() -> String? {
        if !(rho > 0 && rho.isFinite) { return "rho ρ must be a positive number, got \(rho)" }
        if passes < 1 { return "passes must be at least 1, got \(passes)" }
        return nil
    }

    public func makeStrategy(_ context: StrategyContext) throws -> any CommunicationStrategy {
        guard let graph = context.graph else { throw TrainingError("strategy admm needs a graph of at least two agents") }
        return try ADMMConsensus(graph: graph, rho: rho, passes: passes)
    }
}
