/// A body file that cannot describe a robot; the message names the file and the field.
public struct BodyModelError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
