/// A task, variant, task set or data file that cannot be found or loaded: one clear sentence.
public struct RegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
