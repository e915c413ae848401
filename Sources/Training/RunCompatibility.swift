/// The one place that says which algorithm, strategy and architecture go together (DESIGN §10).
/// Checked before a run directory exists, the same way whatever the agent count.
///
/// 1. The algorithm must run in the architecture.
/// 2. Only the decentralised architecture communicates: centralised and specialised runs use
///    strategy `none`.
/// 3. The algorithm's learners must be able to drive the strategy (a strategy that applies
///    steps itself needs learners that propose steps; ES needs learners that report returns).
public func compatibilityProblem(algorithm: AlgorithmEntry, strategy: StrategyEntry, architecture: Architecture) -> String? {
    guard algorithm.architectures.contains(architecture) else {
        return "algorithm \(algorithm.name) does not run in the \(architecture.rawValue) architecture; it runs in: \(algorithm.architectures.map(\.rawValue).joined(separator: ", "))"
    }
    if !architecture.communicates && strategy.communicates {
        return "the \(architecture.rawValue) architecture does not communicate, so strategy '\(strategy.name)' makes no sense; use the decentralised architecture or strategy none"
    }
    guard algorithm.strategies.contains(strategy.name) else {
        return "algorithm \(algorithm.name) cannot drive strategy '\(strategy.name)'; it supports: \(algorithm.strategies.joined(separator: ", "))"
    }
    return nil
}
