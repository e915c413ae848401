import Envs

/// The action spaces an algorithm can act in.
public enum ActionSupport: Sendable, Equatable {
    case discrete, box, both

    func accepts(_ space: Space) -> Bool {
        switch self {
        case .both: return true
        case .discrete: return space.isDiscrete
        case .box: return !space.isDiscrete
        }
    }
}

/// What building one learner of a run can draw on.
public struct LearnerContext {
    /// The learner's index (its agent).
    public var index: Int
    /// Its environment batch, already built with its copies.
    public var environment: any VectorEnvironment
    /// Which task each copy of the batch runs.
    public var tasks: TaskAssignment
    /// The learner's seed (derived from the run seed and the index).
    public var seed: UInt64
    /// Number of learners in the run.
    public var learners: Int
    /// The run's communication strategy, for learners whose step depends on it.
    public var strategy: StrategyEntry

    public init(index: Int, environment: any VectorEnvironment, tasks: TaskAssignment, seed: UInt64, learners: Int, strategy: StrategyEntry) {
        self.index = index
        self.environment = environment
        self.tasks = tasks
        self.seed = seed
        self.learners = learners
        self.strategy = strategy
    }
}

/// An algorithm as a run can name it: its settings (defaults, with doc comments naming the
/// paper's symbols, strictly decoded from the configuration block named after the algorithm,
/// `"ppo": {…}` or `--set ppo.clip_range=0.1`), the architectures, strategies and action spaces
/// it supports, and how it builds a learner.
///
/// Adding an algorithm is a settings file conforming to this protocol, a learner file, and one
/// line in the standard registry (`AlgorithmRegistry.standard`, module `TrainingCatalogue`).
public protocol AlgorithmSettings: Codable, Sendable, Equatable {
    associatedtype AlgorithmLearner: Learner
    /// The defaults.
    init()
    /// The name in configurations and on the command line.
    static var name: String { get }
    /// One line for listings and `--help`.
    static var summary: String { get }
    /// The paper or reference the algorithm follows.
    static var source: String { get }
    /// The architectures it can run in.
    static var architectures: [Architecture] { get }
    /// The strategies (by name) its learners can drive.
    static var strategies: [String] { get }
    /// The action spaces it can act in.
    static var actions: ActionSupport { get }
    /// The first problem with these settings, as a sentence, or nil.
    func validationProblem() -> String?
    /// Builds one learner.
    func makeLearner(_ context: LearnerContext) throws -> AlgorithmLearner
}
