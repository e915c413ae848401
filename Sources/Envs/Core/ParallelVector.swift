import Dispatch
import Synchronization

/// Steps a batch split into contiguous chunks over a number of threads.
///
/// Each chunk is an independent vector environment whose copies derive their streams from their
/// *global* row index, so the numbers are bit-identical for any number of threads. Actions are
/// validated for the whole batch before any chunk moves. There are a few chunks per thread and
/// the threads take the next chunk as they finish one, so a thread that runs slower (a busy or
/// shared core) does not hold the whole step back.
public struct ParallelVector<Chunk: VectorEnvironment>: VectorEnvironment {
    @usableFromInline var chunks: [Chunk]
    @usableFromInline var chunkBatches: [StepBatch]
    @usableFromInline var chunkActions: [[Float]]
    @usableFromInline let offsets: [Int]
    public let count: Int
    public let observationSpace: Space
    public let actionSpace: Space
    /// The chunks step straight into their rows of the combined batch.
    @usableFromInline let direct: Bool
    /// Threads the chunks are stepped on.
    public let threads: Int
    /// Timings that decide whether spreading a step over threads pays (see ``forEachChunk(_:)``).
    @usableFromInline var schedule = ThreadSchedule()

    /// Combines chunks that cover rows `0..<count` in order (chunk *k* starts where *k−1* ends),
    /// stepped on `threads` threads (default: one per chunk).
    public init(chunks: [Chunk], threads: Int? = nil) throws(EnvironmentError) {
        guard let first = chunks.first else { throw .invalid("a parallel vector needs at least one chunk") }
        for c in chunks where c.observationSpace != first.observationSpace || c.actionSpace != first.actionSpace {
            throw .incompatibleCopies("the chunks of a parallel vector have different spaces")
        }
        self.chunks = chunks
        observationSpace = first.observationSpace
        actionSpace = first.actionSpace
        var offsets: [Int] = []
        var total = 0
        for c in chunks { offsets.append(total); total += c.count }
        self.offsets = offsets
        count = total
        direct = chunks.allSatisfy(\.stepsIntoRows)
        chunkBatches = chunks.map { $0.makeBatch() }
        chunkActions = chunks.map { [Float](repeating: 0, count: $0.count * first.actionSpace.size) }
        self.threads = max(1, min(threads ?? chunks.count, chunks.count))
    }

    public var episodeMetricName: String? { chunks[0].episodeMetricName }
    public var stateNames: [String] { chunks[0].stateNames }
    public var estimatedBytesPerCopy: Double { chunks[0].estimatedBytesPerCopy }

    public mutating func reset(seed: UInt64, into batch: inout StepBatch) {
        forEachChunk { chunk, chunkBatch, _ in chunk.reset(seed: seed, into: &chunkBatch) }
        for k in chunks.indices { batch.copyRows(from: chunkBatches[k], at: offsets[k]) }
    }

    public mutating func step(_ actions: [Float], into batch: inout StepBatch) throws(EnvironmentError) {
        try actionSpace.validate(actions: actions, count: count)
        if direct {
            stepInPlace(actions, into: &batch)
        } else {
            stepAndCopy(actions, into: &batch)
        }
    }

    /// Every chunk steps straight into its own rows of `batch` (chunks that step into rows).
    @inlinable
    mutating func stepInPlace(_ actions: [Float], into batch: inout StepBatch) {
        precondition(batch.count == count && batch.observationSize == observationSpace.size,
                     "a batch of \(batch.count) × \(batch.observationSize) for a vector of \(count) × \(observationSpace.size)")
        let a = actionSpace.size
        let offsets = self.offsets
        batch.withRows { all in
            actions.withUnsafeBufferPointer { act in
                forEachChunk { chunk, _, k in
                    let base = offsets[k], n = chunk.count
                    chunk.step(validated: UnsafeBufferPointer(rebasing: act[base * a..<(base + n) * a]), into: all.rows(base, count: n))
                }
            }
        }
    }

    /// Every chunk steps into its own batch, which is then copied into its rows of `batch`.
    @usableFromInline
    mutating func stepAndCopy(_ actions: [Float], into batch: inout StepBatch) {
        let a = actionSpace.size
        for k in chunks.indices {
            let start = offsets[k] * a
            chunkActions[k].withUnsafeMutableBufferPointer { dst in
                actions.withUnsafeBufferPointer { src in
                    dst.baseAddress!.update(from: src.baseAddress! + start, count: dst.count)
                }
            }
        }
        precondition(batch.count == count && batch.observationSize == observationSpace.size,
                     "a batch of \(batch.count) × \(batch.observationSize) for a vector of \(count) × \(observationSpace.size)")
        let o = observationSpace.size
        let offsets = self.offsets
        let perChunkActions = chunkActions
        batch.withRows { all in
            forEachChunk { chunk, cb, k in
                // Actions were validated above for the whole batch; a chunk cannot fail.
                try? chunk.step(perChunkActions[k], into: &cb)
                let rows = all.rows(offsets[k], count: cb.count)
                cb.observations.withUnsafeBufferPointer { src in
                    rows.observations.update(from: src.baseAddress!, count: src.count)
                }
                for r in 0..<cb.count {
                    rows.rewards[r] = cb.rewards[r]
                    rows.terminated[r] = cb.terminated[r]
                    rows.truncated[r] = cb.truncated[r]
                    rows.episodeStart[r] = cb.episodeStart[r]
                    if cb.terminated[r] || cb.truncated[r] {
                        for i in 0..<o { rows.finalObservations[r * o + i] = cb.finalObservations[r * o + i] }
                        rows.returns[r] = cb.episodes.returns[r]
                        rows.lengths[r] = cb.episodes.lengths[r]
                        rows.metrics[r] = cb.episodes.metrics[r]
                        rows.diverged[r] = cb.episodes.diverged[r]
                    }
                }
            }
        }
    }

    public mutating func setState(_ values: [Double], row: Int, into batch: inout StepBatch) throws(EnvironmentError) {
        guard row >= 0 && row < count else { throw .invalid("row \(row) is outside the batch of \(count) copies") }
        let k = offsets.lastIndex(where: { $0 <= row })!
        let local = row - offsets[k]
        try chunks[k].setState(values, row: local, into: &chunkBatches[k])
        // Only the row's observation changes (chunks that step in place leave their own batch stale).
        let o = observationSpace.size
        for i in 0..<o { batch.observations[row * o + i] = chunkBatches[k].observations[local * o + i] }
    }

    /// Runs `body` on every chunk (chunk, its batch, its index): sequentially on one thread, or
    /// on ``threads`` threads of the shared ``WorkerPool`` that each take the next chunk not yet
    /// taken.
    ///
    /// Handing work to other threads still costs something (a few microseconds when the pool's
    /// threads are spinning, tens when they parked), which can exceed a whole step of a small
    /// batch of a cheap task; so the vector times both ways for a few steps (and again every few thousand) and keeps the faster.
    /// Which way runs changes only the timing: chunks and their numbers are the same.
    @inlinable
    mutating func forEachChunk(_ body: (inout Chunk, inout StepBatch, Int) -> Void) {
        let n = chunks.count, workers = threads
        let parallel = workers > 1 && n > 1 && schedule.nextRunsParallel()
        let start = DispatchTime.now().uptimeNanoseconds
        chunks.withUnsafeMutableBufferPointer { chunks in
            chunkBatches.withUnsafeMutableBufferPointer { batches in
                if !parallel {
                    for k in 0..<n { body(&chunks[k], &batches[k], k) }
                } else {
                    let next = Atomic<Int>(0)
                    withoutActuallyEscaping(body) { body in
                        WorkerPool.shared.run(workers: workers) { _ in
                            while true {
                                let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                                if k >= n { break }
                                body(&chunks[k], &batches[k], k)
                            }
                        }
                    }
                }
            }
        }
        if workers > 1 && n > 1 { schedule.record(parallel: parallel, nanoseconds: DispatchTime.now().uptimeNanoseconds - start) }
    }
}

/// Chooses between stepping a parallel batch on one thread or on several, from timings: the
/// fastest of sixteen steps each way, then the faster way for 4096 steps, then measure again.
public struct ThreadSchedule: Sendable {
    @usableFromInline static let measured = 32
    @usableFromInline static let period = 4096 + measured
    @usableFromInline var step = 0
    @usableFromInline var sequential = UInt64.max
    @usableFromInline var parallel = UInt64.max
    @usableFromInline var useParallel = true

    public init() {}

    /// Whether the next step runs on several threads.
    @inlinable public mutating func nextRunsParallel() -> Bool {
        let phase = step % Self.period
        step &+= 1
        if phase < Self.measured { return phase % 2 == 0 }
        return useParallel
    }

    /// Records how long a step took.
    @inlinable public mutating func record(parallel isParallel: Bool, nanoseconds: UInt64) {
        let phase = (step &- 1) % Self.period
        guard phase < Self.measured else { return }
        if phase == 0 { sequential = .max; parallel = .max }
        if isParallel { parallel = min(parallel, nanoseconds) } else { sequential = min(sequential, nanoseconds) }
        if phase == Self.measured - 1 { useParallel = parallel <= sequential }
    }
}

/// Splits `count` rows into contiguous chunks of near-equal size for `threads` threads: one
/// chunk on one thread, otherwise four per thread (but no chunk under 64 rows), so that threads
/// can balance their load.
public func chunkRanges(count: Int, threads: Int) -> [Range<Int>] {
    let wanted = threads <= 1 ? 1 : max(threads, min(4 * threads, count / 64))
    let t = max(1, min(wanted, count))
    return (0..<t).map { k in (k * count / t)..<((k + 1) * count / t) }
}
