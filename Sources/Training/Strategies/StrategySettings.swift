import Communication
import Envs

/// What building a strategy for a run segment can draw on.
public struct StrategyContext {
    /// Number of agents.
    public var agents: Int
    /// The run's graph (nil for strategies without one, or a single agent).
    public var graph: Graph?
    /// Mixing weights on ``graph`` from the run's rule (nil without a graph).
    public var weights: MixingMatrix?
    /// Rounds the run will last (strategies with schedules, e.g. DAVIA's horizon).
    public var rounds: Int
    /// A seed for the strategy's own draws, derived from the run seed.
    public var seed: UInt64
    /// The run's learners apply the strategy's step direction with their own optimiser
    /// (``AlgorithmSettings/appliesCommunicatedGradient``): a strategy that can leave the step
    /// to them (ES, ESPC) writes the direction instead of applying it.
    public var learnersApplySteps: Bool

    public init(agents: Int, graph: Graph?, weights: MixingMatrix?, rounds: Int, seed: UInt64, learnersApplySteps: Bool = false) {
        self.agents = agents
        self.graph = graph
        self.weights = weights
        self.rounds = rounds
        self.seed = seed
        self.learnersApplySteps = learnersApplySteps
    }

    func requireWeights(_ name: String) throws -> MixingMatrix {
        guard let weights else { throw TrainingError("strategy \(name) needs a graph of at least two agents") }
        return weights
    }
}

/// A communication strategy as a run can name it: its settings (strictly decoded from the
/// run configuration's block named after the strategy, `"consensus": {…}` or
/// `--set lazy-aggregation.xi=[0.1]`), the facts the compatibility rules read, and how to build
/// the ``CommunicationStrategy`` for a run segment.
///
/// Adding a strategy is one file with a type conforming to this protocol and one line in
/// ``StrategyRegistry/standard``.
public protocol StrategySettings: Codable, Sendable, Equatable {
    /// The defaults.
    init()
    /// The name in configurations and on the command line.
    static var name: String { get }
    /// One line for `--help` and listings.
    static var summary: String { get }
    /// Whether agents exchange anything (false only for `none`).
    static var communicates: Bool { get }
    /// Whether the strategy mixes over the run's graph (and needs it connected).
    static var usesGraph: Bool { get }
    /// Where a learner's local step goes (``LocalStepPlacement``).
    static var localStep: LocalStepPlacement { get }
    /// The buffers the strategy reads besides parameters.
    static var inputs: StrategyInputs { get }
    /// The first problem with these settings, as a sentence, or nil.
    func validationProblem() -> String?
    /// The strategy for one run segment.
    func makeStrategy(_ context: StrategyContext) throws -> any CommunicationStrategy
}

extension StrategySettings {
    public func validationProblem() -> String? { nil }
}
