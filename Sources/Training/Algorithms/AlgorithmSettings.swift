import Communication
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
    /// The strategy's resolved settings (ES learners perturb with the strategy's σ).
    public var strategySettings: JSONValue
    /// The seed of the strategy's own draws (``StrategyContext/seed``): learners that must agree
    /// with the strategy (ES regenerates its perturbations from it) or with each other (one
    /// shared initial θ) derive from it.
    public var strategySeed: UInt64
    /// The run's task and the resolved parameters of each copy of the batch (learners that plan
    /// with a task's exact model, DCPG's exact gradients, build it from these).
    public var task: (any RegisteredTask)?
    public var assignments: [JSONValue]
    /// The mixing weights W on the run's graph (nil without a graph), for learners whose step
    /// size depends on them (DCPG's bound, paper 001 eq. 10).
    public var weights: MixingMatrix?

    public init(index: Int, environment: any VectorEnvironment, tasks: TaskAssignment, seed: UInt64, learners: Int, strategy: StrategyEntry,
                strategySettings: JSONValue = .object([]), strategySeed: UInt64 = 0, task: (any RegisteredTask)? = nil,
                assignments: [JSONValue] = [], weights: MixingMatrix? = nil) {
        self.task = task
        self.assignments = assignments
        self.weights = weights
        self.index = index
        self.environment = environment
        self.tasks = tasks
        self.seed = seed
        self.learners = learners
        self.strategy = strategy
        self.strategySettings = strategySettings
        self.strategySeed = strategySeed
    }
}

/// What every registered algorithm states: its settings (defaults, with doc comments naming the
/// paper's symbols, strictly decoded from the configuration block named after the algorithm,
/// `"ppo": {…}` or `--set ppo.clip_range=0.1`), and the architectures, strategies and spaces it
/// supports. An algorithm is then either a set of ``Learner``s that the ``Cohort`` runs
/// (``AlgorithmSettings``, the usual case) or its own small driver (``SessionAlgorithmSettings``:
/// the value-based algorithms, whose central learner does not fit the networked cohort).
public protocol AlgorithmDefinition: Codable, Sendable, Equatable {
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
    /// The strategy a decentralised run uses when none is named (nil: the run's usual default,
    /// `diffusion-atc`).
    static var defaultStrategy: String? { get }
    /// Whether its learners apply the strategy's step direction with their own optimiser
    /// (``Learner/applyCommunicatedGradient(_:)``), so that strategies able to leave the step to
    /// them (ES, ESPC) do so.
    static var appliesCommunicatedGradient: Bool { get }
    /// Whether its learners act together in one multi-agent environment (a ``JointCohort``,
    /// ``JointAlgorithmSettings``): such an algorithm needs a multi-agent task, and every other
    /// algorithm a single-agent one.
    static var actsJointly: Bool { get }
    /// A problem with the run beyond the action kind (a table needs finitely many states, one
    /// copy per agent), as one sentence, or nil; checked before a run directory exists.
    static func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String?
    /// Whether it trains multi-agent tasks (its learners are the task's agents, acting in the same
    /// copies); every other algorithm trains single-agent tasks.
    static var multiAgentTasks: Bool { get }
    /// The first problem with these settings, as a sentence, or nil.
    func validationProblem() -> String?
}

extension AlgorithmDefinition {
    public static var defaultStrategy: String? { nil }
    public static var appliesCommunicatedGradient: Bool { false }
    public static var actsJointly: Bool { false }
    public static var multiAgentTasks: Bool { false }
    public static func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String? { nil }
}

/// An algorithm whose learners the ``Cohort`` runs.
///
/// Adding an algorithm is a settings file conforming to this protocol, a learner file, and one
/// line in the standard registry (`AlgorithmRegistry.standard`, module `TrainingCatalogue`).
public protocol AlgorithmSettings: AlgorithmDefinition {
    associatedtype AlgorithmLearner: Learner
    /// Builds one learner.
    func makeLearner(_ context: LearnerContext) throws -> AlgorithmLearner
}

/// An algorithm with its own driver (a ``RunSession``) instead of cohort learners: it keeps the
/// run's guarantees itself (same seed, same numbers; a killed run resumes exactly) and writes the
/// same run directory.
public protocol SessionAlgorithmSettings: AlgorithmDefinition {
    /// Opens the run of `plan` in `directory` (restoring the latest checkpoint with `resume`).
    func openSession(plan: RunPlan, directory: RunDirectory, resume: Bool, keepMetrics: Bool) throws -> any RunSession
}
