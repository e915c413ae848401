import Envs
import NeuralNets

/// What reads the observation in a policy-value learner's networks (setting `encoder`).
public enum ObservationEncoder: String, CaseIterable, Sendable, Codable {
    /// The observation, flattened, feeds the MLPs of `hidden` directly.
    case mlp
    /// Image observations `[C, H, W]`: each network (actor and critic, not shared) starts with
    /// the convolution stack ``ObservationEncoder/convolutions`` and a ``ConvEncoder`` dense head
    /// of the `hidden` widths (the last with the hidden activation), then one linear output
    /// layer — 3 conv + `hidden.count` + 1 dense layers.
    case conv

    /// The stack of `conv`: 16 channels 5×5 stride 2, then 32 channels 3×3 stride 2 twice, all
    /// zero-padded to halve the image (24×32 → 12×16 → 6×8 → 3×4).
    public static let convolutions = [
        ConvEncoder.Convolution(channels: 16, kernelSize: 5, stride: 2, padding: 2),
        ConvEncoder.Convolution(channels: 32, kernelSize: 3, stride: 2, padding: 1),
        ConvEncoder.Convolution(channels: 32, kernelSize: 3, stride: 2, padding: 1),
    ]

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = ObservationEncoder(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an encoder; valid: \(ObservationEncoder.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The image geometry the model's `image` argument takes: nil for `mlp`, `(C, H, W)` of
    /// `space` for `conv` (or the sentence refusing a space that is not an image).
    public func image(for space: Space) throws -> (channels: Int, height: Int, width: Int)? {
        self == .mlp ? nil : try ObservationEncoder.imageShape(space)
    }

    /// The sentence refusing this encoder for observations `space` (for an algorithm's
    /// `runProblem`, before anything runs), or nil.
    public func problem(observation space: Space) -> String? {
        do { _ = try image(for: space); return nil } catch { return "\(error)" }
    }

    /// The image geometry `(C, H, W)` of `space` for `conv`, or the sentence refusing it.
    public static func imageShape(_ space: Space) throws -> (channels: Int, height: Int, width: Int) {
        guard case .box(let box) = space, box.shape.count == 3 else {
            throw TrainingError("encoder conv needs image observations [channels, height, width], but this task observes \(space); use encoder mlp")
        }
        return (box.shape[0], box.shape[1], box.shape[2])
    }
}
