/// Statistics of the episodes that finished on the last step, one entry per row.
/// Only rows where the batch reports `terminated || truncated` are meaningful.
public struct EpisodeStatistics: Sendable, Equatable {
    /// `[count]`: undiscounted return of the finished episode.
    public var returns: [Float]
    /// `[count]`: number of steps of the finished episode.
    public var lengths: [Int32]
    /// `[count]`: the family's episode metric (for example safe-flight distance), NaN if it has none.
    public var metrics: [Float]
    /// `[count]`: the physics produced a non-finite value; the episode was ended and the row reset.
    public var diverged: [Bool]

    public init(count: Int) {
        returns = [Float](repeating: 0, count: count)
        lengths = [Int32](repeating: 0, count: count)
        metrics = [Float](repeating: .nan, count: count)
        diverged = [Bool](repeating: false, count: count)
    }
}

/// The running return and length of every copy's current episode, and the time limit that
/// truncates it. Every vector implementation keeps one, and applies ``record(_:reward:limit:)``'s
/// rule (native loops inline it on raw buffers): `truncated` is set on the step whose count
/// reaches the limit (Gymnasium's `TimeLimit`), independently of `terminated`.
public struct EpisodeTracker: Sendable {
    @usableFromInline var runningReturn: [Double]
    @usableFromInline var elapsed: [Int32]
    /// Scratch of the native batches: the rows that ended on the last step, in order (the first
    /// `k` entries, `k` counted by the step), so that the rare restart path visits only them.
    @usableFromInline var endedRows: [Int32]

    public init(count: Int) {
        runningReturn = [Double](repeating: 0, count: count)
        elapsed = [Int32](repeating: 0, count: count)
        endedRows = [Int32](repeating: 0, count: count)
    }

    /// Steps taken in the current episode of `row`.
    @inlinable public func elapsedSteps(_ row: Int) -> Int { Int(elapsed[row]) }

    /// Starts a new episode on `row`.
    @inlinable @inline(__always)
    public mutating func begin(_ row: Int) {
        runningReturn[row] = 0
        elapsed[row] = 0
    }

    /// Records one step of `row` and returns whether the time limit truncates it
    /// (`limit <= 0` means no limit).
    @inlinable @inline(__always)
    public mutating func record(_ row: Int, reward: Double, limit: Int) -> Bool {
        runningReturn[row] += reward
        elapsed[row] &+= 1
        return limit > 0 && Int(elapsed[row]) >= limit
    }
}
