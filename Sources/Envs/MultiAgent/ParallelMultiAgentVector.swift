import Dispatch
import Synchronization

/// Steps a multi-agent batch split into contiguous chunks of copies over a number of threads,
/// as ``ParallelVector`` does for single-agent batches.
///
/// Each chunk derives its copies' streams from their *global* index and writes its own window of
/// the one batch in place, so the numbers are bit-identical for any number of threads. Actions
/// are validated for the whole batch (every agent) before any chunk moves.
public struct ParallelMultiAgentVector<Chunk: MultiAgentVectorEnvironment>: MultiAgentVectorEnvironment {
    @usableFromInline var chunks: [Chunk]
    @usableFromInline let offsets: [Int]
    public let count: Int
    public let observationSpaces: [Space]
    public let actionSpaces: [Space]
    public let stateSpace: Space
    /// Threads the chunks are stepped on.
    public let threads: Int
    @usableFromInline var schedule = ThreadSchedule()

    /// Combines chunks that cover copies `0..<count` in order, stepped on `threads` threads
    /// (default: one per chunk).
    public init(chunks: [Chunk], threads: Int? = nil) throws(EnvironmentError) {
        guard let first = chunks.first else { throw .invalid("a parallel vector needs at least one chunk") }
        for c in chunks where c.observationSpaces != first.observationSpaces || c.actionSpaces != first.actionSpaces
            || c.stateSpace != first.stateSpace {
            throw .incompatibleCopies("the chunks of a parallel vector have different spaces")
        }
        self.chunks = chunks
        observationSpaces = first.observationSpaces
        actionSpaces = first.actionSpaces
        stateSpace = first.stateSpace
        var offsets: [Int] = []
        var total = 0
        for c in chunks { offsets.append(total); total += c.count }
        self.offsets = offsets
        count = total
        self.threads = max(1, min(threads ?? chunks.count, chunks.count))
    }

    public var agents: Int { observationSpaces.count }
    public var agentNames: [String] { chunks[0].agentNames }
    public var episodeMetricName: String? { chunks[0].episodeMetricName }
    public var stateNames: [String] { chunks[0].stateNames }

    public mutating func reset(seed: UInt64, into rows: MultiAgentStepBatchRows) {
        precondition(rows.count == count, "a window of \(rows.count) copies for a vector of \(count)")
        let offsets = self.offsets
        forEachChunk { chunk, k in chunk.reset(seed: seed, into: rows.rows(offsets[k], count: chunk.count)) }
    }

    public mutating func step(validated actions: UnsafeBufferPointer<Float>, into rows: MultiAgentStepBatchRows) {
        precondition(rows.count == count, "a window of \(rows.count) copies for a vector of \(count)")
        let offsets = self.offsets
        forEachChunk { chunk, k in chunk.step(validated: actions, into: rows.rows(offsets[k], count: chunk.count)) }
    }

    public mutating func setState(_ values: [Double], row: Int, into rows: MultiAgentStepBatchRows) throws(EnvironmentError) {
        guard row >= 0 && row < count else { throw .invalid("copy \(row) is outside the batch of \(count) copies") }
        let k = offsets.lastIndex(where: { $0 <= row })!
        try chunks[k].setState(values, row: row - offsets[k], into: rows.rows(offsets[k], count: chunks[k].count))
    }

    /// Runs `body` on every chunk: sequentially, or on ``threads`` threads that each take the next
    /// chunk not yet taken, whichever ``ThreadSchedule`` measured faster. Only the timing differs.
    @inlinable
    mutating func forEachChunk(_ body: (inout Chunk, Int) -> Void) {
        let n = chunks.count, workers = threads
        let parallel = workers > 1 && n > 1 && schedule.nextRunsParallel()
        let start = DispatchTime.now().uptimeNanoseconds
        chunks.withUnsafeMutableBufferPointer { chunks in
            if !parallel {
                for k in 0..<n { body(&chunks[k], k) }
            } else {
                let next = Atomic<Int>(0)
                withoutActuallyEscaping(body) { body in
                    WorkerPool.shared.run(workers: workers) { _ in
                        while true {
                            let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                            if k >= n { break }
                            body(&chunks[k], k)
                        }
                    }
                }
            }
        }
        if workers > 1 && n > 1 { schedule.record(parallel: parallel, nanoseconds: DispatchTime.now().uptimeNanoseconds - start) }
    }
}
