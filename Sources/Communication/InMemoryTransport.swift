/// A deterministic transport inside one process, for simulation and tests (after
/// swift-nio's `EmbeddedChannel`: no real I/O, rounds advance only when the caller
/// says so, and every message can be inspected).
///
/// Messages are delivered at ``deliver()`` subject to ``conditions`` (drops, noise).
/// Float payloads are shared, not copied, unless noise is added. ``arrivalOrder`` lets a
/// test permute the order of each inbox to check that a strategy does not depend on it.
/// Every send is written to ``records`` (the ground truth a ``MessageLedger`` is checked
/// against).
public struct InMemoryTransport: Transport {
    /// The order in which an inbox lists its messages.
    public enum ArrivalOrder: Sendable, Equatable {
        /// The order the messages were sent.
        case sendOrder
        /// Reverse send order.
        case reversed
        /// A permutation drawn from the seed, the round and the hop.
        case shuffled(seed: UInt64)
    }

    /// One message handed to the transport.
    public struct Record: Sendable, Equatable {
        public var round: Int
        public var hop: Int
        public var source: Int
        public var destination: Int
        public var scalars: Int
        public var bytes: Int
        /// Whether the link dropped it.
        public var dropped: Bool
    }

    public let agentCount: Int
    public var localAgents: Range<Int> { 0..<agentCount }
    public var hostsController: Bool { true }

    /// Drops and noise.
    public var conditions: LinkConditions
    /// Inbox ordering.
    public var arrivalOrder: ArrivalOrder
    /// Whether to keep ``records`` (turn off for long benchmarks).
    public var keepsRecords: Bool
    /// Every message sent, in send order, with whether it was dropped.
    public private(set) var records: [Record] = []

    /// The current round.
    public private(set) var round = -1
    /// Hops completed in the current round.
    public private(set) var hop = 0
    private var pending: [Envelope] = []
    private var inboxes: [[Envelope]]

    /// A transport between `agentCount` agents and one controller.
    public init(agentCount: Int, conditions: LinkConditions = .perfect, arrivalOrder: ArrivalOrder = .sendOrder, keepsRecords: Bool = true) {
        self.agentCount = agentCount
        self.conditions = conditions
        self.arrivalOrder = arrivalOrder
        self.keepsRecords = keepsRecords
        inboxes = [[Envelope]](repeating: [], count: agentCount + 1)
    }

    public mutating func beginRound(_ round: Int) {
        self.round = round
        hop = 0
        pending.removeAll(keepingCapacity: true)
        for i in inboxes.indices { inboxes[i].removeAll(keepingCapacity: true) }
    }

    public mutating func send(_ payload: Payload, from source: Int, to destination: Int) {
        precondition(source >= 0 && source <= agentCount && destination >= 0 && destination <= agentCount,
                     "endpoint out of range")
        pending.append(Envelope(source: source, destination: destination, payload: payload))
    }

    public mutating func deliver() {
        for i in inboxes.indices { inboxes[i].removeAll(keepingCapacity: true) }
        for var e in pending {
            let dropped = conditions.drops(round: round, hop: hop, source: e.source, destination: e.destination)
            if keepsRecords {
                records.append(Record(round: round, hop: hop, source: e.source, destination: e.destination,
                                      scalars: e.payload.scalarCount, bytes: e.payload.byteCount, dropped: dropped))
            }
            if dropped { continue }
            e.payload = conditions.received(e.payload, round: round, hop: hop, source: e.source, destination: e.destination)
            inboxes[e.destination].append(e)
        }
        pending.removeAll(keepingCapacity: true)
        switch arrivalOrder {
        case .sendOrder: break
        case .reversed: for i in inboxes.indices { inboxes[i].reverse() }
        case let .shuffled(seed):
            for i in inboxes.indices where inboxes[i].count > 1 {
                var g = SplitMix64(seed: seed, stream: UInt64(round), UInt64(hop), UInt64(i))
                inboxes[i].shuffle(using: &g)
            }
        }
        hop += 1
    }

    public func inbox(of endpoint: Int) -> [Envelope] { inboxes[endpoint] }

    /// Clears ``records``.
    public mutating func clearRecords() { records.removeAll() }
}
