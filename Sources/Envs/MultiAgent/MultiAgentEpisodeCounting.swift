/// A multi-agent batch that reports per-episode counters of its own (collisions, landmarks
/// covered …), computed from each copy's global state after every step. The joint cohort sums
/// them over an episode and logs their means over the episodes of a log interval.
public protocol MultiAgentEpisodeCounting {
    /// The counters' names, as logged (`env/…`).
    var episodeCounterNames: [String] { get }
    /// Adds copy `row`'s contribution of the step just taken to `totals` (one value per name),
    /// from its global state after the step (the episode's last state when `last`).
    func accumulateEpisodeCounters(row: Int, state: UnsafeBufferPointer<Float>, last: Bool, into totals: UnsafeMutablePointer<Double>)
}
