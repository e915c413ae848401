/// Statistics of the episodes that finished on the last step of a multi-agent batch. Only
/// copies where the batch reports `terminated || truncated` are meaningful.
public struct MultiAgentEpisodeStatistics: Sendable, Equatable {
    /// Number of agents per copy.
    public let agents: Int
    /// `[agents × count]`, agent-major: `returns[m · count + r]` is agent m's undiscounted return
    /// of the episode that ended on copy r.
    public var returns: [Float]
    /// `[count]`: number of steps of the finished episode (shared by every agent).
    public var lengths: [Int32]
    /// `[count]`: the family's episode metric, NaN if it has none.
    public var metrics: [Float]
    /// `[count]`: the physics produced a non-finite value; the episode was ended and the copy reset.
    public var diverged: [Bool]

    public init(count: Int, agents: Int) {
        self.agents = agents
        returns = [Float](repeating: 0, count: count * agents)
        lengths = [Int32](repeating: 0, count: count)
        metrics = [Float](repeating: .nan, count: count)
        diverged = [Bool](repeating: false, count: count)
    }

    /// Agent `agent`'s return of the episode that ended on copy `row`.
    @inlinable public func episodeReturn(agent: Int, row: Int) -> Float { returns[agent * lengths.count + row] }
}
