/// A TensorBoard event file that cannot be written or read, as one sentence.
public struct TensorBoardError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
