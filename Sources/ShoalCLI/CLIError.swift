/// An error the command line reports as one sentence on standard error, with a non-zero exit.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
