import Envs

/// A training run whose learner type is hidden: what the command line, `shoal eval` and the
/// presets drive (``TrainingRun`` conforms).
public protocol RunSession {
    /// Number of agents (learners).
    var agentCount: Int { get }
    /// Runs until the run's budget is spent; `stopAfter` ends the loop early without finishing
    /// the run (to test resumption). Returns the summary, or nil when stopped early.
    mutating func run(stopAfter: Int?, progress: ((TrainingProgress) -> Void)?) throws -> JSONValue?
    /// Test episodes of agent `agent` on one task: one return per episode.
    mutating func evaluate(agent: Int, task: any RegisteredTask, parameters: JSONValue, episodes: Int, greedy: Bool,
                           seed: UInt64) throws -> [Double]
    /// Switches phase timing of the rounds on or off; false when this kind of run has none.
    mutating func setProfiling(_ on: Bool) -> Bool
    /// The phase times of the rounds run since profiling was switched on (nil: off or none).
    var roundProfile: RunProfile? { get }
}

extension RunSession {
    public mutating func setProfiling(_ on: Bool) -> Bool { false }
    public var roundProfile: RunProfile? { nil }
}
