/// The bookkeeping the native classic-control batches share: restarting every copy from its
/// stream `(seed, firstIndex + row)`, and finishing and restarting the rows whose episode ended
/// after an in-place step, in the order of draws of `SerialVector` (so native equals serial).
/// A conforming batch supplies its start-state draw and its observation of one row.
protocol NativeRowBatch: VectorEnvironment {
    var generators: [RandomGenerator] { get set }
    var tracker: EpisodeTracker { get set }
    var firstIndex: Int { get }
    /// Draws row `r`'s start state from `generators[r]`.
    mutating func resetRow(_ r: Int)
    /// Writes row `r`'s observation into `observations` (the whole batch's buffer).
    func observe(_ r: Int, into observations: UnsafeMutablePointer<Float>)
}

extension NativeRowBatch {
    public mutating func reset(seed: UInt64, into batch: inout StepBatch) {
        precondition(batch.count == count && batch.observationSize == observationSpace.size,
                     "a batch of \(batch.count) × \(batch.observationSize) for a vector of \(count) × \(observationSpace.size)")
        for r in 0..<count {
            generators[r] = RandomGenerator(seed: seed, index: UInt64(firstIndex + r))
            resetRow(r)
            tracker.begin(r)
            batch.rewards[r] = 0
            batch.terminated[r] = false
            batch.truncated[r] = false
            batch.episodeStart[r] = true
        }
        batch.withRows { rows in for r in 0..<count { observe(r, into: rows.observations) } }
    }

    /// The rare path of an in-place step: each of the first `endedCount` rows listed in
    /// `tracker.endedRows` (in increasing order, each marked in `rows.episodeStart`) keeps its last
    /// observation as the final one, reports its episode, and restarts.
    mutating func restartEndedRows(_ rows: StepBatchRows, endedCount: Int) {
        let o = rows.observationSize
        for i in 0..<endedCount {
            let r = Int(tracker.endedRows[i])
            // A row whose physics produced a non-finite value diverged: as `SerialVector`, its
            // final observation keeps the finite values and zeroes the others.
            var diverged = false
            for k in 0..<o {
                let v = rows.observations[o * r + k]
                diverged = diverged || !v.isFinite
                rows.finalObservations[o * r + k] = v.isFinite ? v : 0
            }
            rows.returns[r] = Float(tracker.runningReturn[r])
            rows.lengths[r] = tracker.elapsed[r]
            rows.metrics[r] = .nan
            rows.diverged[r] = diverged
            tracker.begin(r)
            resetRow(r)
            observe(r, into: rows.observations)
        }
    }
}
