#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An element-wise nonlinearity applied after a dense layer.
///
/// Derivatives are computed from the layer's *output* y = f(x), so the backward pass
/// needs only the activations kept by the forward pass:
/// tanh′ = 1 − y², ReLU′ = [y > 0], softplus′ = σ(x) = 1 − e^(−y), identity′ = 1.
public enum Activation: String, CaseIterable, Sendable {
    /// f(x) = x.
    case identity
    /// f(x) = tanh x.
    case tanh
    /// f(x) = max(x, 0).
    case relu
    /// f(x) = log(1 + eˣ).
    case softplus

    /// Parses a command-line spelling (`identity`/`linear`, `tanh`, `relu`, `softplus`).
    /// - Throws: `NeuralNetError.invalidArgument` naming the valid spellings.
    public init(parsing text: String) throws {
        switch text.lowercased() {
        case "identity", "linear", "none": self = .identity
        case "tanh": self = .tanh
        case "relu": self = .relu
        case "softplus": self = .softplus
        default:
            throw NeuralNetError.invalidArgument(
                "Unknown activation '\(text)'; valid activations are identity, tanh, relu and softplus.")
        }
    }

    /// f(x) for one scalar (the same arithmetic the batched kernels use).
    public func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .identity: return x
        case .tanh: return fastTanh(x)
        case .relu: return max(x, 0)
        case .softplus: return NeuralNets.softplus(x)
        }
    }

    /// f′ expressed through the output y = f(x).
    public func derivative(fromOutput y: Float) -> Float {
        switch self {
        case .identity: return 1
        case .tanh: return 1 - y * y
        case .relu: return y > 0 ? 1 : 0
        case .softplus: return -expm1f(-y)
        }
    }
}

extension Activation: Codable {
    /// Decodes the raw name (`"tanh"`); an unknown name is one sentence listing the valid ones.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Activation(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not an activation; valid activations are \(Activation.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
