import Envs

/// One learning agent: its own environment batch (its task or tasks), its own networks and
/// optimiser, and one method that collects experience and learns from it.
///
/// The ``Cohort`` runs N learners in rounds and lets a communication strategy mix their
/// parameters. Everything a strategy mixes is one flat row (``parameterCount`` values: actor,
/// then critic, then any extra tensors), read with ``copyParameters(into:)`` and written back
/// with ``loadParameters(from:)``.
public protocol Learner {
    /// Length of the flat parameter row that communication mixes.
    var parameterCount: Int { get }
    /// Writes the parameters into `row` (resized if needed).
    func copyParameters(into row: inout [Float])
    /// Replaces the parameters by `row`.
    mutating func loadParameters(from row: [Float]) throws

    /// Collects experience with the current parameters, computes the local step and either
    /// applies it (`step == nil`) or writes it, signed so that applying means `θ ← θ + step`,
    /// into `step` without changing the parameters (for strategies that apply steps themselves).
    mutating func learn(step: UnsafeMutableBufferPointer<Float>?) throws -> LearnerReport

    /// The policy's actions for a batch of observations (`count × observationSize`), sampled,
    /// or the most likely ones when `greedy`; used by test episodes (``evaluatePolicy``).
    mutating func act(_ observations: [Float], count: Int, greedy: Bool, generator: inout RandomGenerator,
                      into actions: inout [Float]) throws

    /// Restarts every copy's episode from `seed` and reseeds the learner's own sampling, so that
    /// a run cut into segments (one per checkpoint) is reproducible from any checkpoint.
    mutating func restart(seed: UInt64)

    /// Named tensors to checkpoint (networks and optimiser state), and their restoration.
    func checkpointTensors() -> [CheckpointTensor]
    mutating func restore(from tensors: [String: [Float]]) throws
    /// The network shape for the checkpoint's metadata (sizes, activations, head kind).
    var networkDescription: [String: String] { get }

    /// Applies a step the strategy computed but left to the learners (a strategy whose
    /// ``CommunicationStrategy/writesGradients`` is true, e.g. ES run by a learner with its own
    /// optimiser): `gradient` is the ascent direction the strategy estimated for this agent, or
    /// nil when the agent did not hear the round's result (it keeps its parameters). Called by
    /// the ``Cohort`` right after the exchange; the default does nothing.
    mutating func applyCommunicatedGradient(_ gradient: [Float]?) throws

    /// Switches the learner's phase timers on or off (``RoundProfile``; default: it has none).
    mutating func setProfiling(_ on: Bool)
    /// Adds the learner's phase times since the last call into `total` and clears them.
    mutating func drainProfile(into total: inout RoundProfile)
    /// The layer widths of the networks its profile's passes name (0 actor, 1 critic).
    var profiledNetworks: [[Int]] { get }
}

extension Learner {
    public mutating func applyCommunicatedGradient(_ gradient: [Float]?) throws {}
}

/// What one learner did in one round.
public struct LearnerReport: Sendable {
    /// Environment steps taken (copies × steps).
    public var environmentSteps: Int = 0
    /// Episodes that finished this round: (task index within the learner's batch, return, length).
    public var episodes: [(task: Int, episodeReturn: Double, length: Int)] = []
    /// The family's episode metric (``VectorEnvironment/episodeMetricName``, e.g. navigation's
    /// `safe_flight`) of each of ``episodes``, in their order, for learners on a family that has
    /// one; empty otherwise.
    public var episodeMetrics: [Double] = []
    /// Whether an update was computed this round (SiAC waits for whole episodes).
    public var updated = false
    /// The update was rejected because the gradient was not finite.
    public var rejectedNonFinite = false
    /// Diagnostics of the update (losses, entropy, gradient norm, learning rate, …).
    public var diagnostics = LearnerDiagnostics()
    /// The return F of the round's perturbed parameters, for strategies that read returns
    /// (evolution strategies: `buffers.returns`); nil for learners that do not report one.
    public var perturbedReturn: Float?

    public init() {}
}

/// One named tensor of a checkpoint, with its shape.
public struct CheckpointTensor: Sendable {
    public var name: String
    public var shape: [Int]
    public var values: [Float]
    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name
        self.shape = shape
        self.values = values
    }
}
