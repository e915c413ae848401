/// One copy of a task: the easy way to write a new environment. ``SerialVector`` lifts any
/// `Environment` into a ``VectorEnvironment`` with autoreset, time limits and statistics.
///
/// Parameters are a value (every tunable number, ``TaskParameters``); randomness comes only from
/// the generator passed in. `step` and `observe` are separate so that the vector can keep the
/// final observation of an episode before it resets the copy.
public protocol Environment {
    associatedtype Parameters: TaskParameters

    /// Builds a copy; throws if the parameters cannot describe a valid task.
    init(parameters: Parameters) throws(EnvironmentError)

    /// Bytes one copy holds beyond its own struct (worlds, images); the default is none.
    /// ``SerialVector`` adds this to its per-copy estimate for ``MemoryBudget`` checks.
    static var estimatedExtraBytesPerCopy: Double { get }

    var parameters: Parameters { get }
    var observationSpace: Space { get }
    var actionSpace: Space { get }
    /// Steps after which the episode is truncated (0: no limit).
    var maxEpisodeSteps: Int { get }

    /// Draws a start state.
    mutating func reset(using generator: inout RandomGenerator)
    /// Applies one action (`actionSpace.size` floats, already validated) and reports the reward.
    mutating func step(_ action: UnsafeBufferPointer<Float>, using generator: inout RandomGenerator) -> StepOutcome
    /// Writes the current observation (`observationSpace.size` floats).
    func observe(into observation: UnsafeMutableBufferPointer<Float>)

    /// The family's metric of the current episode (for example distance flown); NaN if none.
    var episodeMetric: Double { get }
    /// The name of ``episodeMetric`` (for example `safe_flight`), or nil if the family has none.
    /// ``SerialVector`` reports it as its ``VectorEnvironment/episodeMetricName``.
    static var episodeMetricName: String? { get }
    /// Names of the physical state variables, in the order ``setState(_:)`` takes them.
    static var stateNames: [String] { get }
    /// Sets the physical state (the reference's order); throws on a wrong length or non-finite value.
    mutating func setState(_ values: [Double]) throws(EnvironmentError)
}

extension Environment {
    public static var estimatedExtraBytesPerCopy: Double { 0 }
    public var episodeMetric: Double { .nan }
    public static var episodeMetricName: String? { nil }
    public static var stateNames: [String] { [] }
    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        throw .invalidState("this task has no settable physical state")
    }
}

/// The result of one step of one copy.
public struct StepOutcome: Sendable, Equatable {
    public var reward: Double
    public var terminated: Bool
    /// The physics produced a non-finite value: the vector ends the episode, flags it and resets.
    public var diverged: Bool

    @inlinable @inline(__always)
    public init(reward: Double, terminated: Bool, diverged: Bool = false) {
        self.reward = reward
        self.terminated = terminated
        self.diverged = diverged
    }
}

/// Checks a state vector's length and finiteness (helper for ``Environment/setState(_:)``).
public func validateState(_ values: [Double], names: [String]) throws(EnvironmentError) {
    guard values.count == names.count else {
        throw .invalidState("expected \(names.count) state values (\(names.joined(separator: ", "))), got \(values.count)")
    }
    if let i = values.firstIndex(where: { !$0.isFinite }) {
        throw .invalidState("state value \(names[i]) is not a finite number")
    }
    // Observations are `Float`: a state they cannot hold would print as null.
    if let i = values.firstIndex(where: { abs($0) > Double(Float.greatestFiniteMagnitude) }) {
        throw .invalidState("state value \(names[i]) = \(values[i]) is beyond the largest Float an observation can hold (±3.4e38)")
    }
}
