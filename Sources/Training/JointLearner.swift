import Envs

/// One learner of a ``JointCohort``: it controls some agents of a multi-agent environment that
/// every learner of the cohort shares (usually one agent; a centralised learner controls them
/// all), chooses their action rows from its own private policy, and learns from the transition
/// every learner sees (DESIGN §10, the *joint* cohort shape; paper 004 §II-A).
///
/// A joint learner draws nothing from a generator of its own: the cohort hands it one (its
/// action and update draws), reseeded at every segment, so that a run resumed from a checkpoint
/// equals an uninterrupted one and the numbers do not depend on the thread count.
public protocol JointLearner {
    /// The agents whose action rows this learner writes, in increasing order.
    var agents: [Int] { get }

    /// Writes the actions of ``agents`` for every copy into their blocks of `actions` (the
    /// whole batch's agent-major action buffer, see ``JointLayout``), from the observations and
    /// global states of `observations`; the most likely actions when `greedy`. Writes nothing else.
    mutating func act(_ observations: JointObservations, greedy: Bool, generator: inout RandomGenerator,
                      into actions: UnsafeMutableBufferPointer<Float>) throws

    /// Learns from the step the cohort just took with the joint action. Returns diagnostics
    /// (losses and the like), or nil when it has none for this step.
    mutating func learn(from transition: JointTransition, generator: inout RandomGenerator) throws -> LearnerDiagnostics?

    /// Floats this learner sends each neighbour in the next mixing round of this step (0: it does
    /// not talk, or has nothing more to mix this step). A learner that talks writes them with
    /// ``writeMessage(into:)`` and reads the mixed result with ``receiveMixed(_:)`` (paper 004
    /// eq. 46); the cohort runs mixing rounds after the learners learn until every learner's
    /// size is 0, so a learner that mixes once per step must report 0 after its round.
    var messageSize: Int { get }
    /// Writes the message (``messageSize`` floats).
    func writeMessage(into message: UnsafeMutableBufferPointer<Float>)
    /// Takes `Σ_j W_ij m_j`, the mixture of its own and its neighbours' messages.
    mutating func receiveMixed(_ mixed: UnsafeBufferPointer<Float>) throws

    /// Named tensors to checkpoint, and their restoration (exact: a resumed run equals an
    /// uninterrupted one).
    func checkpointTensors() -> [CheckpointTensor]
    mutating func restore(from tensors: [String: [Float]]) throws
    /// Shape facts for the checkpoint's metadata.
    var networkDescription: [String: String] { get }
}

extension JointLearner {
    public var messageSize: Int { 0 }
    public func writeMessage(into message: UnsafeMutableBufferPointer<Float>) {}
    public mutating func receiveMixed(_ mixed: UnsafeBufferPointer<Float>) throws {}
    public var networkDescription: [String: String] { [:] }
}

/// Where each agent's rows sit in the flat buffers of a multi-agent batch of `count` copies:
/// agent-major blocks for observations, actions and rewards, one row per copy for the state
/// (``MultiAgentStepBatch``'s layout). Built once per cohort.
public struct JointLayout: Sendable, Equatable {
    public let count: Int
    public let agents: Int
    public let observationSpaces: [Space]
    public let actionSpaces: [Space]
    public let stateSpace: Space
    /// Start of agent m's observation block (`count × Σ_{j<m} observationSize_j`).
    public let observationOffsets: [Int]
    /// Start of agent m's action block (`count × Σ_{j<m} actionSize_j`).
    public let actionOffsets: [Int]
    public let actionTotal: Int

    public init(count: Int, observationSpaces: [Space], actionSpaces: [Space], stateSpace: Space) {
        self.count = count
        agents = observationSpaces.count
        self.observationSpaces = observationSpaces
        self.actionSpaces = actionSpaces
        self.stateSpace = stateSpace
        var o: [Int] = [], a: [Int] = []
        var to = 0, ta = 0
        for s in observationSpaces { o.append(to); to += count * s.size }
        for s in actionSpaces { a.append(ta); ta += count * s.size }
        observationOffsets = o
        actionOffsets = a
        actionTotal = ta
    }

    /// The layout of `environment`'s batches.
    public init(_ environment: any MultiAgentVectorEnvironment) {
        self.init(count: environment.count, observationSpaces: environment.observationSpaces, actionSpaces: environment.actionSpaces,
                  stateSpace: environment.stateSpace)
    }

    @inlinable public func observationSize(_ agent: Int) -> Int { observationSpaces[agent].size }
    @inlinable public func actionSize(_ agent: Int) -> Int { actionSpaces[agent].size }
    /// Index of agent `agent`'s observation of copy `row` in an observation buffer.
    @inlinable public func observationIndex(agent: Int, row: Int) -> Int { observationOffsets[agent] + row * observationSpaces[agent].size }
    /// Index of agent `agent`'s action of copy `row` in an action buffer.
    @inlinable public func actionIndex(agent: Int, row: Int) -> Int { actionOffsets[agent] + row * actionSpaces[agent].size }
}

/// What the learners see before they act: every agent's observation and every copy's global
/// state (the pointers are valid only during the call).
public struct JointObservations {
    public let layout: JointLayout
    /// Agent-major observation blocks.
    public let observations: UnsafeBufferPointer<Float>
    /// `[count × stateSize]`.
    public let states: UnsafeBufferPointer<Float>

    public init(layout: JointLayout, observations: UnsafeBufferPointer<Float>, states: UnsafeBufferPointer<Float>) {
        self.layout = layout
        self.observations = observations
        self.states = states
    }

    /// Agent `agent`'s observation of copy `row`.
    @inlinable public func observation(agent: Int, row: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(rebasing: observations[layout.observationIndex(agent: agent, row: row)..<(layout.observationIndex(agent: agent, row: row) + layout.observationSize(agent))])
    }

    /// The global state of copy `row`.
    @inlinable public func state(row: Int) -> UnsafeBufferPointer<Float> {
        let s = layout.stateSpace.size
        return UnsafeBufferPointer(rebasing: states[(row * s)..<(row * s + s)])
    }
}

/// One shared transition of every copy: (s_t, a_t, r_t, s_{t+1}) for every agent (paper 004
/// §II-A; the pointers are valid only during ``JointLearner/learn(from:generator:)``). On a copy
/// whose episode ended, the successor is the episode's last observation (`finalObservations`),
/// and the next step starts a new episode.
public struct JointTransition {
    public let layout: JointLayout
    /// s_t: observations and states before the step.
    public let before: JointObservations
    /// a_t: the joint action (agent-major blocks).
    public let actions: UnsafeBufferPointer<Float>
    /// r_t: `[agents × count]`, agent-major.
    public let rewards: UnsafeBufferPointer<Float>
    /// Observations and states after the step (a reset copy's first ones).
    public let after: JointObservations
    /// The last observations and states of the episodes that ended on this step.
    public let final: JointObservations
    public let terminated: UnsafeBufferPointer<Bool>
    public let truncated: UnsafeBufferPointer<Bool>

    public init(layout: JointLayout, before: JointObservations, actions: UnsafeBufferPointer<Float>, rewards: UnsafeBufferPointer<Float>,
                after: JointObservations, final: JointObservations, terminated: UnsafeBufferPointer<Bool>, truncated: UnsafeBufferPointer<Bool>) {
        self.layout = layout
        self.before = before
        self.actions = actions
        self.rewards = rewards
        self.after = after
        self.final = final
        self.terminated = terminated
        self.truncated = truncated
    }

    @inlinable public func ended(_ row: Int) -> Bool { terminated[row] || truncated[row] }
    /// Agent `agent`'s reward on copy `row`.
    @inlinable public func reward(agent: Int, row: Int) -> Float { rewards[agent * layout.count + row] }
    /// Agent `agent`'s action on copy `row`.
    @inlinable public func action(agent: Int, row: Int) -> UnsafeBufferPointer<Float> {
        let i = layout.actionIndex(agent: agent, row: row)
        return UnsafeBufferPointer(rebasing: actions[i..<(i + layout.actionSize(agent))])
    }
    /// s_{t+1} for agent `agent` on copy `row` (the final observation where the episode ended).
    @inlinable public func successor(agent: Int, row: Int) -> UnsafeBufferPointer<Float> {
        ended(row) ? final.observation(agent: agent, row: row) : after.observation(agent: agent, row: row)
    }
    /// The global state s_{t+1} of copy `row` (the final state where the episode ended).
    @inlinable public func successorState(row: Int) -> UnsafeBufferPointer<Float> {
        ended(row) ? final.state(row: row) : after.state(row: row)
    }
}
