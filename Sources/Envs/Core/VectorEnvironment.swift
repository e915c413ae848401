/// `count` copies of a task stepped together: the protocol every trainer consumes.
///
/// Contract (checked for every registered task by `EnvsTesting.EnvironmentChecker`):
/// - Buffers are flat and row-major; ``step(_:into:)`` writes into the caller's ``StepBatch``
///   and allocates nothing in steady state.
/// - Autoreset is same-step (see ``StepBatch``).
/// - Copy *i* draws only from a generator derived from `(seed, i)` (``RandomGenerator``), so the
///   same seed gives bit-identical batches whatever the thread count.
/// - Actions are validated before anything moves: a wrong count, a discrete action out of range
///   or a non-finite continuous action throws and leaves every copy as it was. Finite continuous
///   actions are clipped as the reference implementation does.
///
/// Hot loops are written against concrete conforming types (generic code is specialised);
/// `any VectorEnvironment` appears only at the registry and command-line boundary.
public protocol VectorEnvironment {
    /// Number of copies.
    var count: Int { get }
    /// The observation space of one copy.
    var observationSpace: Space { get }
    /// The action space of one copy.
    var actionSpace: Space { get }
    /// Name of the family's per-episode metric reported in ``EpisodeStatistics/metrics``, if any.
    var episodeMetricName: String? { get }

    /// Starts a new episode on every copy, with copy *i* drawing from stream `(seed, i)`.
    /// Sets `episodeStart` on every row and clears rewards and end flags.
    mutating func reset(seed: UInt64, into batch: inout StepBatch)

    /// Advances every copy by one step with `actions` (`[count × actionSpace.size]`).
    mutating func step(_ actions: [Float], into batch: inout StepBatch) throws(EnvironmentError)

    /// Sets the physical state of copy `row` (in the family's documented order, see
    /// ``stateNames``) and rewrites its observation in `batch`; the episode's counters restart.
    mutating func setState(_ values: [Double], row: Int, into batch: inout StepBatch) throws(EnvironmentError)

    /// Names of the physical state variables accepted by ``setState(_:row:into:)`` (empty if the
    /// task has no settable state).
    var stateNames: [String] { get }

    /// Whether ``step(validated:into:)`` is implemented: the environment can step straight into
    /// a window of a larger batch (``ParallelVector`` then lets its chunks write in place).
    var stepsIntoRows: Bool { get }

    /// An upper estimate of the bytes one copy needs (its state, parameters and generator, and
    /// its rows of a ``StepBatch``), for checking a requested batch size against a
    /// ``MemoryBudget`` before it is built. The default suits small physics states; families
    /// with large per-copy worlds (locomotion, navigation's camera) give their own.
    var estimatedBytesPerCopy: Double { get }

    /// Advances every copy by one step, writing into `rows` (a window of exactly ``count`` rows).
    /// `actions` holds `count × actionSpace.size` values already validated by the caller. Only
    /// called when ``stepsIntoRows`` is true.
    mutating func step(validated actions: UnsafeBufferPointer<Float>, into rows: StepBatchRows)
}

extension VectorEnvironment {
    public var episodeMetricName: String? { nil }
    public var stateNames: [String] { [] }
    public var stepsIntoRows: Bool { false }
    public var estimatedBytesPerCopy: Double { MemoryBudget.defaultBytesPerCopy(observationSize: observationSpace.size, actionSize: actionSpace.size) }

    public mutating func step(validated actions: UnsafeBufferPointer<Float>, into rows: StepBatchRows) {
        preconditionFailure("\(Self.self) does not step into rows; check stepsIntoRows first")
    }

    public mutating func setState(_ values: [Double], row: Int, into batch: inout StepBatch) throws(EnvironmentError) {
        throw .invalidState("this task has no settable physical state")
    }

    /// A batch shaped for this environment.
    public func makeBatch() -> StepBatch {
        StepBatch(count: count, observationSize: observationSpace.size)
    }

    /// Resets every copy and returns a fresh batch holding the first observations.
    public mutating func reset(seed: UInt64) -> StepBatch {
        var batch = makeBatch()
        reset(seed: seed, into: &batch)
        return batch
    }
}
