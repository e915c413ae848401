/// `count` copies of a multi-agent task stepped together, each copy holding ``agents`` agents
/// that act at once: the multi-agent form of ``VectorEnvironment``, and Shoal's counterpart of
/// PettingZoo's parallel API.
///
/// | PettingZoo `ParallelEnv` | here |
/// |---|---|
/// | `possible_agents`, `agents` | ``agentNames`` (agents never leave before their copy's episode ends) |
/// | `observation_space(agent)`, `action_space(agent)` | ``observationSpaces```[m]`, ``actionSpaces```[m]` |
/// | `state_space`, `state()` | ``stateSpace``; ``MultiAgentStepBatch/states`` row of each copy |
/// | `reset(seed)` → observations, infos | ``reset(seed:into:)`` (copy *i* from stream `(seed, i)`) |
/// | `step(actions)` → obs, rewards, terminations, truncations, infos | ``step(_:into:)`` (agent-major action blocks) |
/// | per-agent `terminations`/`truncations` | one flag per copy, shared by its agents |
/// | a new `reset` after the episode | same-step autoreset, last observations in `finalObservations` |
///
/// Contract (checked for every registered multi-agent task by `EnvsTesting.EnvironmentChecker`):
/// - **Buffers are flat** and written in place (``MultiAgentStepBatch``): agent-major blocks
///   for observations and rewards, one row per copy for the state and the flags. A steady-state
///   step allocates nothing.
/// - **Actions are agent-major blocks too**: agent *m*'s actions for every copy form one block of
///   `count × actionSpaces[m].size` floats (discrete actions as the float of their index), the
///   blocks in agent order. For one copy this is the joint action, agent 0 first.
/// - **Same-step autoreset** per copy (see ``MultiAgentStepBatch``); end flags are shared by
///   the agents of a copy.
/// - **Explicit randomness**: copy *i* draws only from `RandomGenerator(seed: seed, index: i)`,
///   so the same seed gives bit-identical batches whatever the thread count.
/// - **Bad input is an error**: actions are validated for every agent before anything moves
///   (``validateMultiAgentActions(_:spaces:count:)``); a wrong count, a discrete action out of
///   range or a non-finite action throws and leaves every copy as it was.
///
/// A conforming type implements the window-level requirements (``reset(seed:into:)-(_,MultiAgentStepBatchRows)``,
/// ``step(validated:into:)``); the whole-batch calls come from the protocol's extension.
public protocol MultiAgentVectorEnvironment {
    /// Number of copies.
    var count: Int { get }
    /// Agents per copy.
    var agents: Int { get }
    /// The agents' names, in agent order (PettingZoo's `possible_agents`, such as `agent_0`).
    var agentNames: [String] { get }
    /// Agent m's observation space.
    var observationSpaces: [Space] { get }
    /// Agent m's action space.
    var actionSpaces: [Space] { get }
    /// The space of the global state of one copy (for centralised critics).
    var stateSpace: Space { get }
    /// Name of the family's per-episode metric, if any.
    var episodeMetricName: String? { get }
    /// Names of the physical state variables accepted by ``setState(_:row:into:)``, in order.
    var stateNames: [String] { get }

    /// Starts a new episode on every copy of the window (`rows.count == count`), copy *i* drawing
    /// from stream `(seed, firstIndex + i)`; sets `episodeStart`, clears rewards and end flags.
    mutating func reset(seed: UInt64, into rows: MultiAgentStepBatchRows)
    /// Advances every copy of the window by one step. `actions` is the *whole batch's* action
    /// buffer (agent-major blocks of `rows.batchCount` copies), already validated.
    mutating func step(validated actions: UnsafeBufferPointer<Float>, into rows: MultiAgentStepBatchRows)
    /// Sets the physical state of local copy `row` of the window (order of ``stateNames``),
    /// rewrites its observations and state, and restarts its episode counters.
    mutating func setState(_ values: [Double], row: Int, into rows: MultiAgentStepBatchRows) throws(EnvironmentError)
}

extension MultiAgentVectorEnvironment {
    public var episodeMetricName: String? { nil }
    public var stateNames: [String] { [] }
    public mutating func setState(_ values: [Double], row: Int, into rows: MultiAgentStepBatchRows) throws(EnvironmentError) {
        throw .invalidState("this task has no settable physical state")
    }

    /// PettingZoo's default names: `agent_0`, `agent_1`, ….
    public var agentNames: [String] { (0..<agents).map { "agent_\($0)" } }

    /// Floats of one step's action buffer: `count × Σ_m actionSpaces[m].size`.
    public var actionCount: Int { count * actionSpaces.reduce(0) { $0 + $1.size } }

    /// A batch shaped for this environment.
    public func makeBatch() -> MultiAgentStepBatch {
        MultiAgentStepBatch(count: count, observationSizes: observationSpaces.map(\.size), stateSize: stateSpace.size)
    }

    /// Starts a new episode on every copy, copy *i* drawing from stream `(seed, i)`.
    public mutating func reset(seed: UInt64, into batch: inout MultiAgentStepBatch) {
        checkShape(batch)
        batch.withRows { rows in reset(seed: seed, into: rows) }
    }

    /// Resets every copy and returns a fresh batch holding the first observations.
    public mutating func reset(seed: UInt64) -> MultiAgentStepBatch {
        var batch = makeBatch()
        reset(seed: seed, into: &batch)
        return batch
    }

    /// Advances every copy by one step with `actions`: agent-major blocks, agent m's block holding
    /// `count × actionSpaces[m].size` floats (for one copy: the joint action, agent 0 first).
    public mutating func step(_ actions: [Float], into batch: inout MultiAgentStepBatch) throws(EnvironmentError) {
        try validateMultiAgentActions(actions, spaces: actionSpaces, count: count)
        checkShape(batch)
        actions.withUnsafeBufferPointer { act in
            batch.withRows { rows in step(validated: act, into: rows) }
        }
    }

    /// Advances every copy by one step with one action array per agent (PettingZoo's action
    /// dictionary, in agent order): `actions[m]` holds `count × actionSpaces[m].size` floats.
    /// A convenience that gathers the arrays into one buffer (it allocates).
    public mutating func step(agentActions actions: [[Float]], into batch: inout MultiAgentStepBatch) throws(EnvironmentError) {
        guard actions.count == agents else {
            throw .invalid("expected one action array per agent (\(agents)), got \(actions.count)")
        }
        for (m, a) in actions.enumerated() where a.count != count * actionSpaces[m].size {
            throw .invalid("the actions of agent \(m) hold \(a.count) values, expected \(count * actionSpaces[m].size) (\(count) cop\(count == 1 ? "y" : "ies") × \(actionSpaces[m].size) of \(actionSpaces[m]))")
        }
        try step(actions.flatMap { $0 }, into: &batch)
    }

    /// Sets the physical state of copy `row` of the batch (order of ``stateNames``).
    public mutating func setState(_ values: [Double], row: Int, into batch: inout MultiAgentStepBatch) throws(EnvironmentError) {
        guard row >= 0 && row < count else { throw .invalid("copy \(row) is outside the batch of \(count) copies") }
        checkShape(batch)
        var failure: EnvironmentError?
        batch.withRows { rows in
            do throws(EnvironmentError) { try setState(values, row: row, into: rows) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// The batch must be this vector's shape (compared without building arrays: it runs every step).
    func checkShape(_ batch: MultiAgentStepBatch) {
        let spaces = observationSpaces
        var same = batch.count == count && batch.stateSize == stateSpace.size && batch.observationSizes.count == spaces.count
        if same { for m in spaces.indices where batch.observationSizes[m] != spaces[m].size { same = false } }
        precondition(same, "a batch of \(batch.count) copies × \(batch.observationSizes) for a vector of \(count) × \(spaces.map(\.size))")
    }
}

/// Checks a multi-agent action buffer (agent-major blocks, see ``MultiAgentVectorEnvironment``)
/// before anything is stepped: its length, and every agent's actions against its space
/// (discrete actions integers in range, continuous ones finite; finite out-of-range values are
/// clipped later, as the reference does). The error names the agent and the copy.
@inlinable
public func validateMultiAgentActions(_ actions: [Float], spaces: [Space], count: Int) throws(EnvironmentError) {
    var total = 0
    for s in spaces { total += s.size }
    guard actions.count == count * total else {
        let sizes = spaces.map { String($0.size) }.joined(separator: " + ")
        throw .invalid("expected \(count * total) action values (\(count) cop\(count == 1 ? "y" : "ies") × (\(sizes)) for \(spaces.count) agents), got \(actions.count)")
    }
    try actions.withUnsafeBufferPointer { (a: UnsafeBufferPointer<Float>) throws(EnvironmentError) in
        var start = 0
        for (m, space) in spaces.enumerated() {
            let size = space.size
            switch space {
            case .discrete(let n):
                let limit = Float(n)
                if n <= 1 << 23 {
                    // A scan without early exits (see `Space.validate`): for 0 ≤ v < 2²³,
                    // `(v + 2²³) − 2²³ == v` exactly when v is an integer.
                    var invalid = 0
                    for r in 0..<count {
                        let v = a[start + r]
                        invalid |= (v >= 0 && v < limit && (v + 0x1p23) - 0x1p23 == v) ? 0 : 1
                    }
                    if invalid == 0 { start += count * size; continue }
                }
                for r in 0..<count {
                    let v = a[start + r]
                    if !(v >= 0 && v < limit && v == Float(Int(v))) {
                        throw .invalid("action \(v) of agent \(m) in copy \(r) is not a valid discrete action: valid actions are the integers 0…\(n - 1)")
                    }
                }
            case .box:
                for i in 0..<(count * size) where !a[start + i].isFinite {
                    throw .invalid("the action of agent \(m) in copy \(i / size) is not a finite number")
                }
            }
            start += count * size
        }
    }
}
