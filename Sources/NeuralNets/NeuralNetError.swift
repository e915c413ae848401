/// Errors thrown by `NeuralNets` for input the caller controls: shapes, layouts,
/// hyperparameters and checkpoint files. Each case renders as one clear sentence.
public enum NeuralNetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A buffer or vector had the wrong number of elements or an incompatible layout.
    case shapeMismatch(String)
    /// A configuration value is outside its valid range.
    case invalidArgument(String)
    /// A checkpoint file could not be parsed as safetensors.
    case malformedCheckpoint(String)
    /// A checkpoint parsed, but its tensors do not match the model; every mismatch is listed.
    case checkpointMismatch([String])

    public var description: String {
        switch self {
        case .shapeMismatch(let message), .invalidArgument(let message),
            .malformedCheckpoint(let message):
            return message
        case .checkpointMismatch(let problems):
            return "The checkpoint does not match the model (\(problems.count) "
                + (problems.count == 1 ? "mismatch" : "mismatches") + "): "
                + problems.joined(separator: "; ") + "."
        }
    }
}
