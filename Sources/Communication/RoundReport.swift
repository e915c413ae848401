/// What happened in one communication round, from the strategy's side.
public struct RoundReport: Sendable, Equatable {
    /// The round index.
    public var round: Int
    /// `missing[e]`: the endpoints whose message to endpoint `e` (an agent, or the
    /// controller at index `agentCount`) did not arrive although it was sent, ascending.
    /// Mixing strategies put the weight of these sources on the receiver itself.
    public var missing: [[Int]]
    /// Endpoints that chose to send this round (lazy, event-triggered and probabilistic
    /// strategies send selectively), ascending.
    public var senders: [Int]
    /// `stale[k]`: sources whose previous message agent k reused because none arrived
    /// this round (event-triggered diffusion), ascending.
    public var stale: [[Int]]

    public init(round: Int, endpoints: Int) {
        self.round = round
        missing = [[Int]](repeating: [], count: endpoints)
        senders = []
        stale = [[Int]](repeating: [], count: endpoints)
    }

    /// Total number of missing messages.
    public var missingCount: Int { missing.reduce(0) { $0 + $1.count } }
}
