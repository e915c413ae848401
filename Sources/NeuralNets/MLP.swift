/// A multilayer perceptron of any depth whose parameters live in one `ParameterVector`.
///
/// Layer *k*'s weight is the tensor `layers.k.weight` (`[out × in]`) and its bias
/// `layers.k.bias` (`[out]`), stored in layer order. Forward and backward are written
/// by hand: batched products call OpenBLAS `sgemm`, and a single row takes plain SIMD
/// loops, which are faster at that size (see `shoal bench nn`). Gradients are
/// *accumulated* into a caller-owned vector of the same layout (`makeGradient()`);
/// zero it between steps.
///
/// ```swift
/// var critic = try MLP(inputCount: 4, hiddenSizes: [64, 64], outputCount: 1,
///                      activation: .tanh, seed: 7)
/// var workspace = critic.makeWorkspace(batchCapacity: 256)
/// var gradient = critic.makeGradient()
/// try critic.forward(observations, batchSize: 256, workspace: &workspace)
/// // … compute ∂L/∂output from workspace.output …
/// try critic.backward(outputGradient: dLdOutput, workspace: &workspace, gradient: &gradient)
/// ```
public struct MLP: Sendable {
    /// The layers, input side first.
    public let layers: [DenseLayer]
    /// All weights and biases, `layers.k.weight` then `layers.k.bias` for each layer.
    /// Mutate freely (mix, load, step); a vector of another layout assigned here makes
    /// `forward` and `backward` throw rather than read out of bounds.
    public var parameters: ParameterVector
    /// The layout `parameters` must keep.
    public let parameterLayout: ParameterLayout

    /// Width of the input.
    public var inputCount: Int { layers[0].inputCount }
    /// Width of the output.
    public var outputCount: Int { layers[layers.count - 1].outputCount }
    /// Layer widths, input first: `[inputCount, hidden…, outputCount]`.
    public let sizes: [Int]

    /// Batches of at most this many rows take the plain-loop forward; larger ones sgemm.
    /// Chosen from `shoal bench nn --batch B` ("batch forward" line), 64×64 tanh and
    /// 400×400 ReLU: the loops are 2–5× faster for one row, still faster for 2–3 rows,
    /// level at 4, and slower from 8.
    public static let loopForwardMaximumBatch = 3

    /// An MLP with explicit widths and one activation per layer.
    ///
    /// - Parameters:
    ///   - sizes: `[inputCount, hidden…, outputCount]`, at least two entries, all positive.
    ///   - activations: one per layer (`sizes.count − 1`).
    ///   - initializations: one per layer.
    ///   - generator: the source of randomness for the initial weights.
    /// - Throws: `NeuralNetError.invalidArgument` for bad widths or counts.
    public init(
        sizes: [Int], activations: [Activation], initializations: [Initialization],
        using generator: inout some RandomNumberGenerator
    ) throws {
        guard sizes.count >= 2 else {
            throw NeuralNetError.invalidArgument("An MLP needs at least an input and an output width, got \(sizes).")
        }
        guard sizes.allSatisfy({ $0 > 0 }) else {
            throw NeuralNetError.invalidArgument("Every MLP layer width must be positive, got \(sizes).")
        }
        guard activations.count == sizes.count - 1, initializations.count == sizes.count - 1 else {
            throw NeuralNetError.invalidArgument(
                "An MLP with \(sizes.count - 1) layers needs \(sizes.count - 1) activations and initialisations, "
                    + "got \(activations.count) and \(initializations.count).")
        }
        var tensors: [(name: String, shape: [Int])] = []
        for k in 0..<(sizes.count - 1) {
            tensors.append((name: "layers.\(k).weight", shape: [sizes[k + 1], sizes[k]]))
            tensors.append((name: "layers.\(k).bias", shape: [sizes[k + 1]]))
        }
        let layout = try ParameterLayout(tensors)
        var values = [Float]()
        values.reserveCapacity(layout.count)
        var layers: [DenseLayer] = []
        for k in 0..<(sizes.count - 1) {
            let weight = layout.slices[2 * k], bias = layout.slices[2 * k + 1]
            layers.append(
                DenseLayer(
                    inputCount: sizes[k], outputCount: sizes[k + 1], activation: activations[k],
                    weightOffset: weight.offset, biasOffset: bias.offset))
            let drawn = try initializations[k].draw(fanIn: sizes[k], fanOut: sizes[k + 1], using: &generator)
            values += drawn.weight
            values += drawn.bias
        }
        self.layers = layers
        self.sizes = sizes
        self.parameterLayout = layout
        self.parameters = try ParameterVector(layout: layout, values: values)
    }

    /// An MLP with the same activation on every hidden layer, seeded.
    ///
    /// - Parameters:
    ///   - inputCount: width of the input.
    ///   - hiddenSizes: hidden widths (may be empty: a linear or single-layer model).
    ///   - outputCount: width of the output.
    ///   - activation: the hidden layers' nonlinearity.
    ///   - outputActivation: the last layer's nonlinearity (identity by default).
    ///   - initialization: for hidden layers; orthogonal with gain √2 by default.
    ///   - outputInitialization: for the last layer; orthogonal with gain 1 by default
    ///     (use 0.01 for a policy's logits or mean).
    ///   - seed: seeds a `Xoshiro256StarStar`; the same seed gives the same weights.
    public init(
        inputCount: Int, hiddenSizes: [Int], outputCount: Int, activation: Activation,
        outputActivation: Activation = .identity,
        initialization: Initialization = .orthogonal(gain: Float(2).squareRoot()),
        outputInitialization: Initialization = .orthogonal(gain: 1), seed: UInt64
    ) throws {
        var generator = Xoshiro256StarStar(seed: seed)
        let layerCount = hiddenSizes.count + 1
        try self.init(
            sizes: [inputCount] + hiddenSizes + [outputCount],
            activations: Array(repeating: activation, count: layerCount - 1) + [outputActivation],
            initializations: Array(repeating: initialization, count: layerCount - 1) + [outputInitialization],
            using: &generator)
    }

    /// A zero vector with the parameters' layout, for accumulating gradients.
    public func makeGradient() -> ParameterVector { ParameterVector(zeroing: parameterLayout) }

    /// Buffers for batches of up to `batchCapacity` rows (they grow if a larger batch comes).
    public func makeWorkspace(batchCapacity: Int) -> MLPWorkspace {
        MLPWorkspace(sizes: sizes, batchCapacity: batchCapacity)
    }

    /// Multiply–adds of one forward pass per row.
    public var multiplyAddsPerRow: Int { layers.reduce(0) { $0 + $1.multiplyAdds } }
}
