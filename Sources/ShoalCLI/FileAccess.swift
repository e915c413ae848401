import Envs
import Foundation

/// Writes `text` to the file `path` names, or throws one sentence naming `what` and the reason.
func writeTextFile(_ text: String, to path: String, what: String) throws {
    do { try TextFile.write(text, to: path) } catch {
        throw CLIError("Cannot write \(what) to \(error.path): \(error.reason).")
    }
}

/// Writes `data` to the file `path` names, or throws one sentence naming `what` and the reason.
func writeDataFile(_ data: Data, to path: String, what: String) throws {
    do { try TextFile.write(data, to: path) } catch {
        throw CLIError("Cannot write \(what) to \(error.path): \(error.reason).")
    }
}

/// The text of the file `path` names, or one sentence naming `what` and the reason; an empty
/// file is an error too (every file these commands read holds JSON or a map).
func readTextFile(_ path: String, what: String) throws -> String {
    let text: String
    do { text = try TextFile.read(path) } catch {
        throw CLIError("Cannot read \(what) \(error.path): \(error.reason).")
    }
    guard !text.allSatisfy(\.isWhitespace) else { throw CLIError("The \(what) \(path) is empty.") }
    return text
}
