/// Counts every message a strategy sends: messages, scalars and bytes, per sending
/// endpoint and per round — so communication savings are measured, never assumed.
///
/// Strategies record through ``post(_:from:to:through:)``, which sends and records in
/// one step. Counts are on the sending side and include messages the link later
/// drops (the sender paid for them); ``delivered`` counts what arrived.
public struct MessageLedger: Sendable, Equatable {
    /// Counts for one endpoint in one round.
    public struct Counts: Sendable, Equatable, AdditiveArithmetic {
        public var messages = 0
        public var scalars = 0
        public var bytes = 0

        public init(messages: Int = 0, scalars: Int = 0, bytes: Int = 0) {
            self.messages = messages
            self.scalars = scalars
            self.bytes = bytes
        }
        public static var zero: Counts { Counts() }
        public static func + (a: Counts, b: Counts) -> Counts {
            Counts(messages: a.messages + b.messages, scalars: a.scalars + b.scalars, bytes: a.bytes + b.bytes)
        }
        public static func - (a: Counts, b: Counts) -> Counts {
            Counts(messages: a.messages - b.messages, scalars: a.scalars - b.scalars, bytes: a.bytes - b.bytes)
        }
    }

    /// Number of agents; endpoint `agentCount` is the controller.
    public let agentCount: Int
    /// `sent[round][endpoint]`: what each endpoint sent in each round.
    public private(set) var sent: [[Counts]] = []
    /// Messages that reached their receiver, per round (all endpoints together).
    public private(set) var delivered: [Int] = []

    public init(agentCount: Int) {
        self.agentCount = agentCount
    }

    /// Records one message sent in `round`.
    public mutating func record(round: Int, source: Int, payload: Payload) {
        grow(to: round)
        sent[round][source].messages += 1
        sent[round][source].scalars += payload.scalarCount
        sent[round][source].bytes += payload.byteCount
    }

    /// Records that `count` messages arrived in `round`.
    public mutating func recordDelivered(_ count: Int, round: Int) {
        grow(to: round)
        delivered[round] += count
    }

    /// Sends `payload` through `transport` and records it.
    public mutating func post<T: Transport>(_ payload: Payload, from source: Int, to destination: Int, round: Int, through transport: inout T) {
        transport.send(payload, from: source, to: destination)
        record(round: round, source: source, payload: payload)
    }

    /// Number of rounds with any record.
    public var roundCount: Int { sent.count }

    /// Totals over every endpoint and round.
    public var total: Counts { sent.reduce(.zero) { $0 + $1.reduce(.zero, +) } }

    /// Totals of one round.
    public func total(round: Int) -> Counts { round < sent.count ? sent[round].reduce(.zero, +) : .zero }

    /// Totals of one endpoint over all rounds.
    public func total(endpoint: Int) -> Counts { sent.reduce(.zero) { $0 + $1[endpoint] } }

    /// What `endpoint` sent in `round`.
    public func counts(round: Int, endpoint: Int) -> Counts { round < sent.count ? sent[round][endpoint] : .zero }

    private mutating func grow(to round: Int) {
        precondition(round >= 0, "rounds are numbered from 0")
        while sent.count <= round {
            sent.append([Counts](repeating: .zero, count: agentCount + 1))
            delivered.append(0)
        }
    }
}
