/// A message in flight or delivered: who sent it, to whom, and what it carries.
public struct Envelope: Sendable, Equatable {
    /// Sending endpoint (an agent index, or ``Transport/controller``).
    public var source: Int
    /// Receiving endpoint.
    public var destination: Int
    /// The content.
    public var payload: Payload

    public init(source: Int, destination: Int, payload: Payload) {
        self.source = source
        self.destination = destination
        self.payload = payload
    }
}
