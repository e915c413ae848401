/// One copy of a multi-agent task: the easy way to write one. ``MultiAgentSerialVector`` lifts
/// it into a ``MultiAgentVectorEnvironment`` with autoreset, time limits and statistics.
///
/// It mirrors ``Environment``: parameters are a value, randomness comes only from the generator
/// passed in, and `step` and `observe` are separate so that the vector can keep the final
/// observations before it resets the copy.
public protocol MultiAgentEnvironment {
    associatedtype Parameters: TaskParameters

    /// Builds a copy; throws if the parameters cannot describe a valid task.
    init(parameters: Parameters) throws(EnvironmentError)

    var parameters: Parameters { get }
    /// Agents of the copy.
    var agents: Int { get }
    /// Agent m's observation space.
    var observationSpaces: [Space] { get }
    /// Agent m's action space.
    var actionSpaces: [Space] { get }
    /// The space of the global state.
    var stateSpace: Space { get }
    /// Steps after which the episode is truncated (0: no limit).
    var maxEpisodeSteps: Int { get }

    /// Draws a start state.
    mutating func reset(using generator: inout RandomGenerator)
    /// Applies one joint action: `actions` holds every agent's action in agent order
    /// (`actionSpaces[m].size` floats each, already validated); writes agent m's reward in
    /// `rewards[m]` and reports whether the episode terminated.
    mutating func step(_ actions: UnsafeBufferPointer<Float>, rewards: UnsafeMutableBufferPointer<Double>,
                       using generator: inout RandomGenerator) -> MultiAgentStepOutcome
    /// Writes agent `agent`'s current observation (`observationSpaces[agent].size` floats).
    func observe(agent: Int, into observation: UnsafeMutableBufferPointer<Float>)
    /// Writes the current global state (`stateSpace.size` floats).
    func observeState(into state: UnsafeMutableBufferPointer<Float>)

    /// Names of the physical state variables, in the order ``setState(_:)`` takes them.
    var stateNames: [String] { get }
    /// Sets the physical state; throws on a wrong length, a non-finite value or an impossible state.
    mutating func setState(_ values: [Double]) throws(EnvironmentError)
}

extension MultiAgentEnvironment {
    public var stateNames: [String] { [] }
    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        throw .invalidState("this task has no settable physical state")
    }
}

/// The result of one step of one multi-agent copy (rewards are written separately, per agent).
public struct MultiAgentStepOutcome: Sendable, Equatable {
    public var terminated: Bool
    /// The physics produced a non-finite value: the vector ends the episode, flags it and resets.
    public var diverged: Bool

    @inlinable @inline(__always)
    public init(terminated: Bool, diverged: Bool = false) {
        self.terminated = terminated
        self.diverged = diverged
    }
}
