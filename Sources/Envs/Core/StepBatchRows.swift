/// Rows `offset..<offset + count` of a ``StepBatch`` as raw pointers: what a native batch writes
/// a step into, whether it owns the whole batch or is one chunk of a ``ParallelVector``.
///
/// Chunks of a parallel batch receive disjoint windows of the one combined batch, so they write
/// their rows in place, concurrently, with no copy afterwards. A window is valid only inside
/// ``StepBatch/withRows(_:count:_:)``; row 0 of the window is row `offset` of the batch.
public struct StepBatchRows {
    /// Number of rows in the window.
    public let count: Int
    /// Floats per observation row.
    public let observationSize: Int
    public let observations: UnsafeMutablePointer<Float>
    public let finalObservations: UnsafeMutablePointer<Float>
    public let rewards: UnsafeMutablePointer<Float>
    public let terminated: UnsafeMutablePointer<Bool>
    public let truncated: UnsafeMutablePointer<Bool>
    public let episodeStart: UnsafeMutablePointer<Bool>
    public let returns: UnsafeMutablePointer<Float>
    public let lengths: UnsafeMutablePointer<Int32>
    public let metrics: UnsafeMutablePointer<Float>
    public let diverged: UnsafeMutablePointer<Bool>

    @inlinable
    init(count: Int, observationSize: Int, observations: UnsafeMutablePointer<Float>, finalObservations: UnsafeMutablePointer<Float>,
         rewards: UnsafeMutablePointer<Float>, terminated: UnsafeMutablePointer<Bool>, truncated: UnsafeMutablePointer<Bool>,
         episodeStart: UnsafeMutablePointer<Bool>, returns: UnsafeMutablePointer<Float>, lengths: UnsafeMutablePointer<Int32>,
         metrics: UnsafeMutablePointer<Float>, diverged: UnsafeMutablePointer<Bool>) {
        self.count = count
        self.observationSize = observationSize
        self.observations = observations
        self.finalObservations = finalObservations
        self.rewards = rewards
        self.terminated = terminated
        self.truncated = truncated
        self.episodeStart = episodeStart
        self.returns = returns
        self.lengths = lengths
        self.metrics = metrics
        self.diverged = diverged
    }

    /// The window of rows `offset..<offset + count` of this window.
    @inlinable
    public func rows(_ offset: Int, count: Int) -> StepBatchRows {
        let o = observationSize
        return StepBatchRows(
            count: count, observationSize: o, observations: observations + offset * o,
            finalObservations: finalObservations + offset * o, rewards: rewards + offset, terminated: terminated + offset,
            truncated: truncated + offset, episodeStart: episodeStart + offset, returns: returns + offset,
            lengths: lengths + offset, metrics: metrics + offset, diverged: diverged + offset)
    }
}

extension StepBatch {
    /// Runs `body` with rows `offset..<offset + count` of this batch as a ``StepBatchRows``.
    @inlinable
    public mutating func withRows<R>(_ offset: Int = 0, count rowCount: Int? = nil, _ body: (StepBatchRows) throws -> R) rethrows -> R {
        let n = rowCount ?? count - offset
        precondition(offset >= 0 && n >= 0 && offset + n <= count, "rows \(offset)..<\(offset + n) are outside a batch of \(count)")
        let o = observationSize
        return try observations.withUnsafeMutableBufferPointer { obs in
        try finalObservations.withUnsafeMutableBufferPointer { fin in
        try rewards.withUnsafeMutableBufferPointer { rew in
        try terminated.withUnsafeMutableBufferPointer { term in
        try truncated.withUnsafeMutableBufferPointer { trunc in
        try episodeStart.withUnsafeMutableBufferPointer { start in
        try episodes.returns.withUnsafeMutableBufferPointer { ret in
        try episodes.lengths.withUnsafeMutableBufferPointer { len in
        try episodes.metrics.withUnsafeMutableBufferPointer { met in
        try episodes.diverged.withUnsafeMutableBufferPointer { div in
            let all = StepBatchRows(
                count: count, observationSize: o, observations: obs.baseAddress!, finalObservations: fin.baseAddress!,
                rewards: rew.baseAddress!, terminated: term.baseAddress!, truncated: trunc.baseAddress!,
                episodeStart: start.baseAddress!, returns: ret.baseAddress!, lengths: len.baseAddress!,
                metrics: met.baseAddress!, diverged: div.baseAddress!)
            return try body(all.rows(offset, count: n))
        }}}}}}}}}}
    }
}
