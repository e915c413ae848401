/// Lifts any ``Environment`` into a ``VectorEnvironment``: `count` independent copies, each
/// with its own parameters and its own generator derived from `(seed, firstIndex + row)`.
///
/// It is the reference every native vector implementation is tested against (row by row,
/// across an autoreset), and it is fast in its own right: the loop is generic over the concrete
/// environment, so the compiler specialises and inlines its `step`.
public struct SerialVector<E: Environment>: VectorEnvironment {
    /// The copies, in row order.
    public var copies: [E]
    @usableFromInline var generators: [RandomGenerator]
    @usableFromInline var tracker: EpisodeTracker
    /// Global index of row 0: a chunk of a larger batch derives its streams from its global rows.
    public let firstIndex: Int
    public let observationSpace: Space
    public let actionSpace: Space

    /// Builds a vector of copies; throws if their spaces differ.
    public init(copies: [E], firstIndex: Int = 0) throws(EnvironmentError) {
        guard let first = copies.first else { throw .invalid("a vector environment needs at least one copy") }
        for (i, copy) in copies.enumerated() { try Self.checkSpaces(copy, i, first) }
        try self.init(checkedCopies: copies, firstIndex: firstIndex)
    }

    @inline(__always)
    static func checkSpaces(_ copy: E, _ i: Int, _ first: E) throws(EnvironmentError) {
        guard copy.observationSpace == first.observationSpace, copy.actionSpace == first.actionSpace else {
            throw .incompatibleCopies(
                "copy \(i) has spaces \(copy.observationSpace) → \(copy.actionSpace), copy 0 has \(first.observationSpace) → \(first.actionSpace); one batch needs one shape")
        }
    }

    init(checkedCopies copies: [E], firstIndex: Int) throws(EnvironmentError) {
        guard let first = copies.first else { throw .invalid("a vector environment needs at least one copy") }
        self.copies = copies
        self.firstIndex = firstIndex
        observationSpace = first.observationSpace
        actionSpace = first.actionSpace
        generators = (0..<copies.count).map { RandomGenerator(seed: 0, index: UInt64(firstIndex + $0)) }
        tracker = EpisodeTracker(count: copies.count)
    }

    /// Builds one copy per parameter value.
    ///
    /// The spaces of a copy are compared with copy 0's only where its parameters differ from the
    /// previous copy's, so a batch of one task builds in O(copies) with a small constant.
    public init(parameters: [E.Parameters], firstIndex: Int = 0) throws(EnvironmentError) {
        var copies: [E] = []
        copies.reserveCapacity(parameters.count)
        for (i, p) in parameters.enumerated() {
            let copy = try E(parameters: p)
            if i > 0 && p != parameters[i - 1] { try Self.checkSpaces(copy, i, copies[0]) }
            copies.append(copy)
        }
        try self.init(checkedCopies: copies, firstIndex: firstIndex)
    }

    @inlinable public var count: Int { copies.count }

    /// The environment's ``Environment/episodeMetricName`` (for example `safe_flight`).
    @inlinable public var episodeMetricName: String? { E.episodeMetricName }

    @inlinable public var stateNames: [String] { E.stateNames }

    public var estimatedBytesPerCopy: Double {
        MemoryBudget.defaultBytesPerCopy(observationSize: observationSpace.size, actionSize: actionSpace.size)
            + Double(MemoryLayout<E>.stride) + E.estimatedExtraBytesPerCopy
    }

    @inlinable public mutating func reset(seed: UInt64, into batch: inout StepBatch) {
        let o = observationSpace.size
        let first = firstIndex
        copies.withUnsafeMutableBufferPointer { copies in
            generators.withUnsafeMutableBufferPointer { gens in
                batch.observations.withUnsafeMutableBufferPointer { obs in
                    for row in 0..<copies.count {
                        gens[row] = RandomGenerator(seed: seed, index: UInt64(first + row))
                        copies[row].reset(using: &gens[row])
                        copies[row].observe(into: UnsafeMutableBufferPointer(rebasing: obs[row * o..<(row + 1) * o]))
                    }
                }
            }
        }
        for row in 0..<count {
            tracker.begin(row)
            batch.rewards[row] = 0
            batch.terminated[row] = false
            batch.truncated[row] = false
            batch.episodeStart[row] = true
        }
    }

    @inlinable public mutating func step(_ actions: [Float], into batch: inout StepBatch) throws(EnvironmentError) {
        try actionSpace.validate(actions: actions, count: count)
        let o = observationSpace.size, a = actionSpace.size, n = count
        // One pointer per buffer, taken once: the row loop then runs without bounds,
        // uniqueness or exclusivity checks, and is specialised for `E`.
        copies.withUnsafeMutableBufferPointer { copies in
        generators.withUnsafeMutableBufferPointer { gens in
        tracker.runningReturn.withUnsafeMutableBufferPointer { running in
        tracker.elapsed.withUnsafeMutableBufferPointer { elapsed in
        actions.withUnsafeBufferPointer { act in
        batch.observations.withUnsafeMutableBufferPointer { obs in
        batch.finalObservations.withUnsafeMutableBufferPointer { fin in
        batch.rewards.withUnsafeMutableBufferPointer { rewards in
        batch.terminated.withUnsafeMutableBufferPointer { terminatedFlags in
        batch.truncated.withUnsafeMutableBufferPointer { truncatedFlags in
        batch.episodeStart.withUnsafeMutableBufferPointer { starts in
            for row in 0..<n {
                let action = UnsafeBufferPointer(rebasing: act[row * a..<(row + 1) * a])
                let outcome = copies[row].step(action, using: &gens[row])
                let reward = outcome.reward.isFinite ? outcome.reward : 0
                running[row] += reward
                elapsed[row] &+= 1
                let limit = copies[row].maxEpisodeSteps
                let truncated = limit > 0 && Int(elapsed[row]) >= limit
                let terminated = outcome.terminated || outcome.diverged
                rewards[row] = Float(reward)
                terminatedFlags[row] = terminated
                truncatedFlags[row] = truncated
                let out = UnsafeMutableBufferPointer(rebasing: obs[row * o..<(row + 1) * o])
                if _slowPath(terminated || truncated) {
                    let final = UnsafeMutableBufferPointer(rebasing: fin[row * o..<(row + 1) * o])
                    copies[row].observe(into: final)
                    if outcome.diverged {
                        for k in final.indices where !final[k].isFinite { final[k] = 0 }
                    }
                    batch.episodes.returns[row] = Float(running[row])
                    batch.episodes.lengths[row] = elapsed[row]
                    batch.episodes.metrics[row] = Float(copies[row].episodeMetric)
                    batch.episodes.diverged[row] = outcome.diverged
                    running[row] = 0
                    elapsed[row] = 0
                    copies[row].reset(using: &gens[row])
                    starts[row] = true
                } else {
                    starts[row] = false
                }
                copies[row].observe(into: out)
            }
        }}}}}}}}}}}
    }

    @inlinable public mutating func setState(_ values: [Double], row: Int, into batch: inout StepBatch) throws(EnvironmentError) {
        guard row >= 0 && row < count else { throw .invalid("row \(row) is outside the batch of \(count) copies") }
        try copies[row].setState(values)
        tracker.begin(row)
        let o = observationSpace.size
        batch.observations.withUnsafeMutableBufferPointer { obs in
            copies[row].observe(into: UnsafeMutableBufferPointer(rebasing: obs[row * o..<(row + 1) * o]))
        }
    }
}
