/// What a multi-agent vector environment returns after `reset` or `step`: flat buffers that the
/// environment writes in place, so steady-state stepping allocates nothing.
///
/// **Layout: agent-major blocks.** Agent *m*'s observations form one contiguous, row-major block
/// of `count × observationSizes[m]` floats (copy *r* at row *r*), so the learner that controls
/// agent *m* reads its whole batch as one matrix. The blocks follow each other in agent order
/// (`observationOffsets[m]` is where block *m* starts); agents may have observations of different
/// sizes. Rewards are `[agents × count]` in the same agent-major order. The global state, the end
/// flags and the episode lengths belong to the copy: `states` is `[count × stateSize]`,
/// `terminated`, `truncated` and `episodeStart` are `[count]`.
///
/// **Autoreset is same-step**, per copy, for all its agents at once: a copy whose episode ends
/// is reset within the same call; the last observation of every agent stays in
/// `finalObservations` (same layout as `observations`), the last global state in `finalStates`,
/// `episodeStart` is set, and `episodes` holds each agent's return and the shared length.
///
/// PettingZoo's parallel API returns dictionaries keyed by agent name; here agent *m* of
/// copy *r* is `observation(agent: m, row: r)`, `reward(agent: m, row: r)`, and
/// `terminated[r]`/`truncated[r]` stand for every agent of the copy.
public struct MultiAgentStepBatch: Sendable {
    /// Number of environment copies.
    public let count: Int
    /// Agents per copy.
    public let agents: Int
    /// Floats per observation row of each agent.
    public let observationSizes: [Int]
    /// Start of agent m's block in `observations` (`count × Σ_{j<m} observationSizes[j]`).
    public let observationOffsets: [Int]
    /// Floats per global-state row.
    public let stateSize: Int
    /// Agent-major blocks of `[count × observationSizes[m]]`: every agent's current observation.
    public var observations: [Float]
    /// Same layout: the last observations of the episode that ended on a copy.
    public var finalObservations: [Float]
    /// `[count × stateSize]`: the global state of every copy (PettingZoo's `state()`).
    public var states: [Float]
    /// `[count × stateSize]`: the last global state of the episode that ended on a copy.
    public var finalStates: [Float]
    /// `[agents × count]`, agent-major: the reward of the step just taken (0 after a reset).
    public var rewards: [Float]
    /// `[count]`: the copy's episode reached a terminal state on this step (all its agents).
    public var terminated: [Bool]
    /// `[count]`: the copy's episode was cut by its time limit on this step (all its agents).
    public var truncated: [Bool]
    /// `[count]`: the observations of this copy are the first of an episode.
    public var episodeStart: [Bool]
    /// Statistics of the episodes that ended on this step.
    public var episodes: MultiAgentEpisodeStatistics

    /// A zeroed batch of `count` copies with the given per-agent observation sizes.
    public init(count: Int, observationSizes: [Int], stateSize: Int) {
        self.count = count
        agents = observationSizes.count
        self.observationSizes = observationSizes
        var offsets: [Int] = []
        var total = 0
        for size in observationSizes { offsets.append(total); total += count * size }
        observationOffsets = offsets
        self.stateSize = stateSize
        observations = [Float](repeating: 0, count: total)
        finalObservations = observations
        states = [Float](repeating: 0, count: count * stateSize)
        finalStates = states
        rewards = [Float](repeating: 0, count: count * agents)
        terminated = [Bool](repeating: false, count: count)
        truncated = terminated
        episodeStart = terminated
        episodes = MultiAgentEpisodeStatistics(count: count, agents: agents)
    }

    /// Whether the episode on copy `row` ended on the last step.
    @inlinable public func ended(_ row: Int) -> Bool { terminated[row] || truncated[row] }

    /// Agent `agent`'s block: its observations of every copy, `[count × observationSizes[agent]]`.
    public func observations(agent: Int) -> ArraySlice<Float> {
        observations[observationOffsets[agent]..<observationOffsets[agent] + count * observationSizes[agent]]
    }

    /// Agent `agent`'s observation in copy `row`.
    public func observation(agent: Int, row: Int) -> ArraySlice<Float> {
        let o = observationSizes[agent], start = observationOffsets[agent] + row * o
        return observations[start..<start + o]
    }

    /// Agent `agent`'s final observation of the episode that ended on copy `row`.
    public func finalObservation(agent: Int, row: Int) -> ArraySlice<Float> {
        let o = observationSizes[agent], start = observationOffsets[agent] + row * o
        return finalObservations[start..<start + o]
    }

    /// The global state of copy `row`.
    public func state(_ row: Int) -> ArraySlice<Float> { states[row * stateSize..<(row + 1) * stateSize] }

    /// The last global state of the episode that ended on copy `row`.
    public func finalState(_ row: Int) -> ArraySlice<Float> { finalStates[row * stateSize..<(row + 1) * stateSize] }

    /// Agent `agent`'s reward in copy `row`.
    @inlinable public func reward(agent: Int, row: Int) -> Float { rewards[agent * count + row] }

    /// The copies whose episode ended on the last step.
    public var endedRows: [Int] { (0..<count).filter { ended($0) } }
}
