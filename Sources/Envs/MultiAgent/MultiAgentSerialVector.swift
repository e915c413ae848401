/// Lifts any ``MultiAgentEnvironment`` into a ``MultiAgentVectorEnvironment``: `count`
/// independent copies, each with its own parameters and its own generator derived from
/// `(seed, firstIndex + row)`. It is the reference native multi-agent batches are tested against.
public struct MultiAgentSerialVector<E: MultiAgentEnvironment>: MultiAgentVectorEnvironment {
    /// The copies, in row order.
    public var copies: [E]
    @usableFromInline var generators: [RandomGenerator]
    /// `[agents × count]` agent-major running returns, and `[count]` steps, of the current episodes.
    @usableFromInline var runningReturns: [Double]
    @usableFromInline var elapsed: [Int32]
    /// One copy's joint action and rewards (scratch, reused every row).
    @usableFromInline var jointAction: [Float]
    @usableFromInline var stepRewards: [Double]
    /// `Σ_{j<m} actionSpaces[j].size`.
    @usableFromInline let actionPrefix: [Int]
    @usableFromInline let actionTotal: Int
    /// Global index of row 0.
    public let firstIndex: Int
    public let observationSpaces: [Space]
    public let actionSpaces: [Space]
    public let stateSpace: Space

    /// Builds a vector of copies; throws if their agents or spaces differ.
    public init(copies: [E], firstIndex: Int = 0) throws(EnvironmentError) {
        guard let first = copies.first else { throw .invalid("a vector environment needs at least one copy") }
        for (i, copy) in copies.enumerated() {
            guard copy.observationSpaces == first.observationSpaces, copy.actionSpaces == first.actionSpaces,
                  copy.stateSpace == first.stateSpace else {
                throw .incompatibleCopies("copy \(i) has \(copy.agents) agents with spaces \(copy.observationSpaces) → \(copy.actionSpaces), copy 0 has \(first.agents) with \(first.observationSpaces) → \(first.actionSpaces); one batch needs one shape")
            }
        }
        self.copies = copies
        self.firstIndex = firstIndex
        observationSpaces = first.observationSpaces
        actionSpaces = first.actionSpaces
        stateSpace = first.stateSpace
        var prefix: [Int] = []
        var total = 0
        for s in first.actionSpaces { prefix.append(total); total += s.size }
        actionPrefix = prefix
        actionTotal = total
        generators = (0..<copies.count).map { RandomGenerator(seed: 0, index: UInt64(firstIndex + $0)) }
        runningReturns = [Double](repeating: 0, count: copies.count * first.agents)
        elapsed = [Int32](repeating: 0, count: copies.count)
        jointAction = [Float](repeating: 0, count: total)
        stepRewards = [Double](repeating: 0, count: first.agents)
    }

    /// Builds one copy per parameter value.
    public init(parameters: [E.Parameters], firstIndex: Int = 0) throws(EnvironmentError) {
        var copies: [E] = []
        copies.reserveCapacity(parameters.count)
        for p in parameters { copies.append(try E(parameters: p)) }
        try self.init(copies: copies, firstIndex: firstIndex)
    }

    @inlinable public var count: Int { copies.count }
    @inlinable public var agents: Int { observationSpaces.count }
    public var stateNames: [String] { copies[0].stateNames }

    /// Writes every agent's observation and the state of copy `r` into local row `r` of `rows`
    /// (the final buffers when `final`).
    @inlinable
    func observe(_ r: Int, into rows: MultiAgentStepBatchRows, final: Bool) {
        for m in 0..<agents {
            let o = rows.observationSize(m)
            let base = (final ? rows.finalObservations(agent: m) : rows.observations(agent: m)) + r * o
            copies[r].observe(agent: m, into: UnsafeMutableBufferPointer(start: base, count: o))
        }
        let s = rows.stateSize
        copies[r].observeState(into: UnsafeMutableBufferPointer(start: (final ? rows.finalStates : rows.states) + r * s, count: s))
    }

    public mutating func reset(seed: UInt64, into rows: MultiAgentStepBatchRows) {
        precondition(rows.count == count, "a window of \(rows.count) copies for a vector of \(count)")
        for r in 0..<count {
            generators[r] = RandomGenerator(seed: seed, index: UInt64(firstIndex + r))
            copies[r].reset(using: &generators[r])
            for m in 0..<agents {
                runningReturns[m * count + r] = 0
                rows.rewards(agent: m)[r] = 0
            }
            elapsed[r] = 0
            rows.terminated[r] = false
            rows.truncated[r] = false
            rows.episodeStart[r] = true
            observe(r, into: rows, final: false)
        }
    }

    public mutating func step(validated actions: UnsafeBufferPointer<Float>, into rows: MultiAgentStepBatchRows) {
        precondition(rows.count == count, "a window of \(rows.count) copies for a vector of \(count)")
        let n = count, agents = self.agents, batch = rows.batchCount, offset = rows.offset
        for r in 0..<n {
            // Gather copy r's joint action from the agent-major blocks.
            for m in 0..<agents {
                let a = actionSpaces[m].size
                let src = batch * actionPrefix[m] + (offset + r) * a
                for k in 0..<a { jointAction[actionPrefix[m] + k] = actions[src + k] }
            }
            let outcome = jointAction.withUnsafeBufferPointer { act in
                stepRewards.withUnsafeMutableBufferPointer { rew in copies[r].step(act, rewards: rew, using: &generators[r]) }
            }
            elapsed[r] &+= 1
            for m in 0..<agents {
                let reward = stepRewards[m].isFinite ? stepRewards[m] : 0
                runningReturns[m * n + r] += reward
                rows.rewards(agent: m)[r] = Float(reward)
            }
            let limit = copies[r].maxEpisodeSteps
            let truncated = limit > 0 && Int(elapsed[r]) >= limit
            let terminated = outcome.terminated || outcome.diverged
            rows.terminated[r] = terminated
            rows.truncated[r] = truncated
            rows.episodeStart[r] = terminated || truncated
            if _slowPath(terminated || truncated) {
                observe(r, into: rows, final: true)
                if outcome.diverged { scrubFinal(r, rows) }
                for m in 0..<agents {
                    rows.returns(agent: m)[r] = Float(runningReturns[m * n + r])
                    runningReturns[m * n + r] = 0
                }
                rows.lengths[r] = elapsed[r]
                rows.metrics[r] = .nan
                rows.diverged[r] = outcome.diverged
                elapsed[r] = 0
                copies[r].reset(using: &generators[r])
            }
            observe(r, into: rows, final: false)
        }
    }

    /// Replaces non-finite values of a diverged copy's final observations and state by 0.
    func scrubFinal(_ r: Int, _ rows: MultiAgentStepBatchRows) {
        for m in 0..<agents {
            let o = rows.observationSize(m), p = rows.finalObservations(agent: m) + r * o
            for k in 0..<o where !p[k].isFinite { p[k] = 0 }
        }
        let s = rows.stateSize, p = rows.finalStates + r * s
        for k in 0..<s where !p[k].isFinite { p[k] = 0 }
    }

    public mutating func setState(_ values: [Double], row: Int, into rows: MultiAgentStepBatchRows) throws(EnvironmentError) {
        guard row >= 0 && row < count else { throw .invalid("copy \(row) is outside the batch of \(count) copies") }
        try copies[row].setState(values)
        for m in 0..<agents { runningReturns[m * count + row] = 0 }
        elapsed[row] = 0
        observe(row, into: rows, final: false)
    }
}
