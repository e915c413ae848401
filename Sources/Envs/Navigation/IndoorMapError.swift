/// A map file that cannot describe an indoor world: one sentence naming the file and the field.
public struct IndoorMapError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
