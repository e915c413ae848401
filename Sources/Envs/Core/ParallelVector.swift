import Dispatch

/// Steps a batch split into contiguous chunks, one per thread.
///
/// Each chunk is an independent vector environment whose copies derive their streams from their
/// *global* row index, so the numbers are bit-identical for any number of threads. Actions are
/// validated for the whole batch before any chunk moves.
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

    /// Combines chunks that cover rows `0..<count` in order (chunk *k* starts where *k−1* ends).
    public init(chunks: [Chunk]) throws(EnvironmentError) {
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
    }

    /// Number of threads the batch is split over.
    public var threads: Int { chunks.count }

    public var episodeMetricName: String? { chunks[0].episodeMetricName }
    public var stateNames: [String] { chunks[0].stateNames }

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

    /// Runs `body` on every chunk concurrently (chunk, its batch, its index).
    @inlinable
    mutating func forEachChunk(_ body: (inout Chunk, inout StepBatch, Int) -> Void) {
        let n = chunks.count
        chunks.withUnsafeMutableBufferPointer { chunks in
            chunkBatches.withUnsafeMutableBufferPointer { batches in
                if n == 1 {
                    body(&chunks[0], &batches[0], 0)
                } else {
                    withoutActuallyEscaping(body) { body in
                        DispatchQueue.concurrentPerform(iterations: n) { k in
                            body(&chunks[k], &batches[k], k)
                        }
                    }
                }
            }
        }
    }
}

/// Splits `count` rows into `threads` contiguous chunks of near-equal size: `(start, count)`.
public func chunkRanges(count: Int, threads: Int) -> [Range<Int>] {
    let t = max(1, min(threads, count))
    return (0..<t).map { k in (k * count / t)..<((k + 1) * count / t) }
}
