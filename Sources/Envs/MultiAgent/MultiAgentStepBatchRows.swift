/// Copies `offset..<offset + count` of a ``MultiAgentStepBatch`` as raw pointers: what a
/// multi-agent vector writes a step into, whether it owns the whole batch or is one chunk of a
/// ``ParallelMultiAgentVector``. Chunks receive disjoint windows of one batch and write their
/// copies in place, concurrently. Valid only inside ``MultiAgentStepBatch/withRows(_:count:_:)``.
///
/// The pointers are the *whole batch's* buffers; the accessors below add the window's offset, so
/// local copy 0 is copy `offset` of the batch. Agent-major buffers (observations, rewards,
/// returns) are indexed with ``batchCount``, the number of copies of the whole batch.
public struct MultiAgentStepBatchRows {
    /// Copies in the window.
    public let count: Int
    /// Copy of the batch where the window starts.
    public let offset: Int
    /// Copies of the whole batch.
    public let batchCount: Int
    public let agents: Int
    public let stateSize: Int
    @usableFromInline let observationSizes: UnsafePointer<Int>
    @usableFromInline let observationOffsets: UnsafePointer<Int>
    @usableFromInline let observationBase: UnsafeMutablePointer<Float>
    @usableFromInline let finalObservationBase: UnsafeMutablePointer<Float>
    @usableFromInline let stateBase: UnsafeMutablePointer<Float>
    @usableFromInline let finalStateBase: UnsafeMutablePointer<Float>
    @usableFromInline let rewardBase: UnsafeMutablePointer<Float>
    @usableFromInline let returnBase: UnsafeMutablePointer<Float>
    /// `[count]` flags and statistics of the window's copies (already offset).
    public let terminated: UnsafeMutablePointer<Bool>
    public let truncated: UnsafeMutablePointer<Bool>
    public let episodeStart: UnsafeMutablePointer<Bool>
    public let lengths: UnsafeMutablePointer<Int32>
    public let metrics: UnsafeMutablePointer<Float>
    public let diverged: UnsafeMutablePointer<Bool>

    @inlinable
    init(count: Int, offset: Int, batchCount: Int, agents: Int, stateSize: Int, observationSizes: UnsafePointer<Int>,
         observationOffsets: UnsafePointer<Int>, observationBase: UnsafeMutablePointer<Float>,
         finalObservationBase: UnsafeMutablePointer<Float>, stateBase: UnsafeMutablePointer<Float>,
         finalStateBase: UnsafeMutablePointer<Float>, rewardBase: UnsafeMutablePointer<Float>, returnBase: UnsafeMutablePointer<Float>,
         terminated: UnsafeMutablePointer<Bool>, truncated: UnsafeMutablePointer<Bool>, episodeStart: UnsafeMutablePointer<Bool>,
         lengths: UnsafeMutablePointer<Int32>, metrics: UnsafeMutablePointer<Float>, diverged: UnsafeMutablePointer<Bool>) {
        self.count = count
        self.offset = offset
        self.batchCount = batchCount
        self.agents = agents
        self.stateSize = stateSize
        self.observationSizes = observationSizes
        self.observationOffsets = observationOffsets
        self.observationBase = observationBase
        self.finalObservationBase = finalObservationBase
        self.stateBase = stateBase
        self.finalStateBase = finalStateBase
        self.rewardBase = rewardBase
        self.returnBase = returnBase
        self.terminated = terminated
        self.truncated = truncated
        self.episodeStart = episodeStart
        self.lengths = lengths
        self.metrics = metrics
        self.diverged = diverged
    }

    /// Floats per observation row of `agent`.
    @inlinable public func observationSize(_ agent: Int) -> Int { observationSizes[agent] }

    /// Agent `agent`'s observation rows of the window (local copy r at `+ r · observationSize(agent)`).
    @inlinable public func observations(agent: Int) -> UnsafeMutablePointer<Float> {
        observationBase + observationOffsets[agent] + offset * observationSizes[agent]
    }

    /// Agent `agent`'s final-observation rows of the window.
    @inlinable public func finalObservations(agent: Int) -> UnsafeMutablePointer<Float> {
        finalObservationBase + observationOffsets[agent] + offset * observationSizes[agent]
    }

    /// Global-state rows of the window (local copy r at `+ r · stateSize`).
    @inlinable public var states: UnsafeMutablePointer<Float> { stateBase + offset * stateSize }
    /// Final global-state rows of the window.
    @inlinable public var finalStates: UnsafeMutablePointer<Float> { finalStateBase + offset * stateSize }
    /// Agent `agent`'s rewards of the window (local copy r at `+ r`).
    @inlinable public func rewards(agent: Int) -> UnsafeMutablePointer<Float> { rewardBase + agent * batchCount + offset }
    /// Agent `agent`'s finished-episode returns of the window.
    @inlinable public func returns(agent: Int) -> UnsafeMutablePointer<Float> { returnBase + agent * batchCount + offset }

    /// The window of local copies `start..<start + count` of this window.
    @inlinable
    public func rows(_ start: Int, count n: Int) -> MultiAgentStepBatchRows {
        precondition(start >= 0 && n >= 0 && start + n <= count, "copies \(start)..<\(start + n) are outside a window of \(count)")
        return MultiAgentStepBatchRows(
            count: n, offset: offset + start, batchCount: batchCount, agents: agents, stateSize: stateSize,
            observationSizes: observationSizes, observationOffsets: observationOffsets, observationBase: observationBase,
            finalObservationBase: finalObservationBase, stateBase: stateBase, finalStateBase: finalStateBase, rewardBase: rewardBase,
            returnBase: returnBase, terminated: terminated + start, truncated: truncated + start, episodeStart: episodeStart + start,
            lengths: lengths + start, metrics: metrics + start, diverged: diverged + start)
    }
}

extension MultiAgentStepBatch {
    /// Runs `body` with copies `offset..<offset + count` of this batch as a ``MultiAgentStepBatchRows``.
    @inlinable
    public mutating func withRows<R>(_ offset: Int = 0, count rowCount: Int? = nil, _ body: (MultiAgentStepBatchRows) throws -> R) rethrows -> R {
        let n = rowCount ?? count - offset
        precondition(offset >= 0 && n >= 0 && offset + n <= count, "copies \(offset)..<\(offset + n) are outside a batch of \(count)")
        let (c, agents, s) = (count, self.agents, stateSize)
        return try observationSizes.withUnsafeBufferPointer { sizes in
        try observationOffsets.withUnsafeBufferPointer { offsets in
        try observations.withUnsafeMutableBufferPointer { obs in
        try finalObservations.withUnsafeMutableBufferPointer { fin in
        try states.withUnsafeMutableBufferPointer { st in
        try finalStates.withUnsafeMutableBufferPointer { fst in
        try rewards.withUnsafeMutableBufferPointer { rew in
        try terminated.withUnsafeMutableBufferPointer { term in
        try truncated.withUnsafeMutableBufferPointer { trunc in
        try episodeStart.withUnsafeMutableBufferPointer { start in
        try episodes.returns.withUnsafeMutableBufferPointer { ret in
        try episodes.lengths.withUnsafeMutableBufferPointer { len in
        try episodes.metrics.withUnsafeMutableBufferPointer { met in
        try episodes.diverged.withUnsafeMutableBufferPointer { div in
            // Zero-sized buffers have no base address; a one-element stand-in is never read.
            var dummy: Float = 0
            return try withUnsafeMutablePointer(to: &dummy) { d in
                let all = MultiAgentStepBatchRows(
                    count: c, offset: 0, batchCount: c, agents: agents, stateSize: s, observationSizes: sizes.baseAddress!,
                    observationOffsets: offsets.baseAddress!, observationBase: obs.baseAddress ?? d, finalObservationBase: fin.baseAddress ?? d,
                    stateBase: st.baseAddress ?? d, finalStateBase: fst.baseAddress ?? d, rewardBase: rew.baseAddress!,
                    returnBase: ret.baseAddress!, terminated: term.baseAddress!, truncated: trunc.baseAddress!,
                    episodeStart: start.baseAddress!, lengths: len.baseAddress!, metrics: met.baseAddress!, diverged: div.baseAddress!)
                return try body(all.rows(offset, count: n))
            }
        }}}}}}}}}}}}}}
    }
}
