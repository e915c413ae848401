import Communication
import Envs

/// An algorithm whose learners act together in one multi-agent environment: the ``JointCohort``
/// runs them through ``JointTrainingRun`` (same run directory, checkpoints and resume as the
/// networked cohort). It needs a multi-agent task (`mpe/simple-spread-v1`,
/// `random-mdp/local-actions-v1`); in the decentralised architecture every agent of the task gets
/// its own learner, in the centralised one a single learner controls them all.
///
/// Adding one is a settings file conforming to this protocol, a learner file (a
/// ``JointLearner``), and one line in `AlgorithmRegistry.standard`.
public protocol JointAlgorithmSettings: AlgorithmDefinition {
    associatedtype AlgorithmLearner: JointLearner
    /// Joint steps per round (a round is the unit of logging and checkpoints).
    var stepsPerRound: Int { get }
    /// Whether its learners talk over the run's graph (``JointLearner/messageSize``), mixing
    /// with the run's weights (``RunConfig/weights``).
    static var talksOverGraph: Bool { get }
    /// Builds one learner.
    func makeLearner(_ context: JointLearnerContext) throws -> AlgorithmLearner
}

extension JointAlgorithmSettings {
    public static var actsJointly: Bool { true }
    public static var talksOverGraph: Bool { false }
}

/// What building one learner of a joint run can draw on.
public struct JointLearnerContext {
    /// The learner's index.
    public var index: Int
    /// The agents it controls (one in the decentralised architecture, all in the centralised one).
    public var agents: [Int]
    /// The environment's layout (spaces of every agent, copies).
    public var layout: JointLayout
    /// Number of learners.
    public var learners: Int
    /// The learner's seed (initial parameters), derived from the run seed and the index.
    public var seed: UInt64
    /// The graph the learners talk over (algorithms that talk), and its mixing weights (row-major).
    public var graph: Graph?
    public var weights: [Double]?
    /// A seed every learner of the run shares (derived from the run seed): draws the agents agree
    /// on without talking, such as the replay slots of aligned buffers.
    public var sharedSeed: UInt64

    public init(index: Int, agents: [Int], layout: JointLayout, learners: Int, seed: UInt64, graph: Graph? = nil, weights: [Double]? = nil,
                sharedSeed: UInt64 = 0) {
        self.index = index
        self.agents = agents
        self.layout = layout
        self.learners = learners
        self.seed = seed
        self.graph = graph
        self.weights = weights
        self.sharedSeed = sharedSeed
    }
}
