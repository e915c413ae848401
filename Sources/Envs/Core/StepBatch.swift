/// What a vector environment returns after `reset` or `step`: flat, row-major buffers that the
/// environment writes in place, so steady-state stepping allocates nothing.
///
/// **Autoreset is same-step.** A row whose episode ends (terminated or truncated) is reset within
/// the same call: `observations` holds the first observation of the new episode, the last
/// observation of the old one is kept in `finalObservations`, `episodeStart` is set, and
/// `episodes` holds the finished episode's statistics. Trainers bootstrap truncated rows from
/// V(final observation) and terminated rows from 0.
public struct StepBatch: Sendable {
    /// Number of environment copies (rows).
    public let count: Int
    /// Floats per observation row.
    public let observationSize: Int
    /// `[count × observationSize]`: the current observation of every copy.
    public var observations: [Float]
    /// `[count]`: the reward of the step just taken (0 after a reset).
    public var rewards: [Float]
    /// `[count]`: the episode reached a terminal state on this step.
    public var terminated: [Bool]
    /// `[count]`: the episode was cut by its time limit on this step (it may also have terminated).
    public var truncated: [Bool]
    /// `[count × observationSize]`: the last observation of the episode that ended on this row;
    /// only rows with `terminated || truncated` are meaningful.
    public var finalObservations: [Float]
    /// `[count]`: the observation on this row is the first of an episode.
    public var episodeStart: [Bool]
    /// Statistics of the episodes that ended on this step (rows with `terminated || truncated`).
    public var episodes: EpisodeStatistics

    /// A zeroed batch of `count` rows.
    public init(count: Int, observationSize: Int) {
        self.count = count
        self.observationSize = observationSize
        observations = [Float](repeating: 0, count: count * observationSize)
        rewards = [Float](repeating: 0, count: count)
        terminated = [Bool](repeating: false, count: count)
        truncated = [Bool](repeating: false, count: count)
        finalObservations = [Float](repeating: 0, count: count * observationSize)
        episodeStart = [Bool](repeating: false, count: count)
        episodes = EpisodeStatistics(count: count)
    }

    /// Whether the episode on `row` ended on the last step.
    @inlinable public func ended(_ row: Int) -> Bool { terminated[row] || truncated[row] }

    /// The observation of `row`.
    public func observation(_ row: Int) -> ArraySlice<Float> {
        observations[row * observationSize..<(row + 1) * observationSize]
    }

    /// The final observation of the episode that ended on `row` (meaningful only if it ended).
    public func finalObservation(_ row: Int) -> ArraySlice<Float> {
        finalObservations[row * observationSize..<(row + 1) * observationSize]
    }

    /// The rows whose episode ended on the last step.
    public var endedRows: [Int] { (0..<count).filter { ended($0) } }

    /// Copies rows `0..<other.count` of `other` into rows `offset…` of this batch.
    public mutating func copyRows(from other: StepBatch, at offset: Int) {
        precondition(other.observationSize == observationSize && offset + other.count <= count)
        let n = other.count, o = observationSize
        observations.withUnsafeMutableBufferPointer { dst in
            other.observations.withUnsafeBufferPointer { src in
                (dst.baseAddress! + offset * o).update(from: src.baseAddress!, count: n * o)
            }
        }
        for r in 0..<n {
            let row = offset + r
            rewards[row] = other.rewards[r]
            terminated[row] = other.terminated[r]
            truncated[row] = other.truncated[r]
            episodeStart[row] = other.episodeStart[r]
            if other.terminated[r] || other.truncated[r] {
                for k in 0..<o { finalObservations[row * o + k] = other.finalObservations[r * o + k] }
                episodes.returns[row] = other.episodes.returns[r]
                episodes.lengths[row] = other.episodes.lengths[r]
                episodes.metrics[row] = other.episodes.metrics[r]
                episodes.diverged[row] = other.episodes.diverged[r]
            }
        }
    }
}
