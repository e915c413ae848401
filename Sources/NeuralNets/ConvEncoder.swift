/// A small image encoder: a stack of `Conv2D` layers whose last feature maps, flattened,
/// feed an `MLP`-shaped dense head — e.g. 3 conv + 2 dense for a camera policy. All
/// parameters live in one `ParameterVector`, so networked learners mix it with one
/// `axpy` like any MLP.
///
/// Input is batch-first `[batch, channels, height, width]`, row-major; the flattening
/// is channel-major (`[C′, H′, W′]` per sample), as PyTorch's `nn.Flatten` after
/// `nn.Conv2d`. Tensors: `convs.k.weight` (`[C′, C, k, k]`) and `convs.k.bias` for each
/// convolution, then `head.layers.k.weight`/`head.layers.k.bias` for the dense head (the
/// names of the `MLP` it is built from, prefixed). Gradients are *accumulated* into a
/// caller-owned vector of the same layout (`makeGradient()`); zero it between steps.
public struct ConvEncoder: Sendable {
    /// One convolution of the stack; its input geometry follows from the layer before.
    public struct Convolution: Hashable, Sendable, Codable {
        /// Output channels.
        public var channels: Int
        /// Side of the square kernel.
        public var kernelSize: Int
        /// Stride, both axes.
        public var stride: Int
        /// Zero padding on every side.
        public var padding: Int

        public init(channels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0) {
            self.channels = channels
            self.kernelSize = kernelSize
            self.stride = stride
            self.padding = padding
        }
    }

    /// The convolutions, input side first.
    public let convolutions: [Conv2D]
    /// The dense head, with offsets into `parameters` (after the convolutions' tensors).
    public let dense: [DenseLayer]
    /// All weights and biases; a vector of another layout assigned here makes the passes throw.
    public var parameters: ParameterVector
    /// The layout `parameters` must keep.
    public let parameterLayout: ParameterLayout
    /// Widths of every stage, input first: `[C·H·W, conv outputs…, hidden…, outputCount]`.
    public let sizes: [Int]

    /// Values of one input sample.
    public var inputCount: Int { sizes[0] }
    /// Width of the output.
    public var outputCount: Int { sizes[sizes.count - 1] }

    /// An encoder for `inputChannels × inputHeight × inputWidth` images.
    ///
    /// - Parameters:
    ///   - convolutions: the conv stack, at least one layer.
    ///   - hiddenSizes: hidden widths of the dense head (may be empty).
    ///   - outputCount: width of the output.
    ///   - activation: nonlinearity of every conv and hidden dense layer.
    ///   - outputActivation: the last layer's nonlinearity (identity by default).
    ///   - convInitialization: for the convolutions (fan-in C·k², fan-out C′); Kaiming
    ///     uniform with gain √2 by default.
    ///   - initialization, outputInitialization: for the dense head, as in `MLP`.
    ///   - seed: seeds a `Xoshiro256StarStar`; the same seed gives the same weights.
    /// - Throws: `NeuralNetError.invalidArgument` for an empty stack, a layer that does not
    ///   fit its input, or bad widths.
    public init(
        inputChannels: Int, inputHeight: Int, inputWidth: Int, convolutions: [Convolution], hiddenSizes: [Int],
        outputCount: Int, activation: Activation, outputActivation: Activation = .identity,
        convInitialization: Initialization = .kaimingUniform(gain: Float(2).squareRoot()),
        initialization: Initialization = .orthogonal(gain: Float(2).squareRoot()),
        outputInitialization: Initialization = .orthogonal(gain: 1), seed: UInt64
    ) throws {
        guard !convolutions.isEmpty else {
            throw NeuralNetError.invalidArgument("A ConvEncoder needs at least one convolution.")
        }
        var generator = Xoshiro256StarStar(seed: seed)
        var layers: [Conv2D] = []
        var tensors: [(name: String, shape: [Int])] = []
        var values: [Float] = []
        var (channels, height, width, offset) = (inputChannels, inputHeight, inputWidth, 0)
        for (k, spec) in convolutions.enumerated() {
            let layer: Conv2D
            do {
                layer = try Conv2D(
                    inputChannels: channels, outputChannels: spec.channels, inputHeight: height, inputWidth: width,
                    kernelSize: spec.kernelSize, stride: spec.stride, padding: spec.padding, activation: activation,
                    weightOffset: offset)
            } catch NeuralNetError.invalidArgument(let message) {
                throw NeuralNetError.invalidArgument("Convolution \(k) of the encoder: \(message)")
            }
            layers.append(layer)
            tensors += layer.tensors(prefix: "convs.\(k)")
            let drawn = try convInitialization.draw(fanIn: layer.patchCount, fanOut: layer.outputChannels, using: &generator)
            values += drawn.weight + drawn.bias
            offset = layer.biasOffset + layer.outputChannels
            (channels, height, width) = (layer.outputChannels, layer.outputHeight, layer.outputWidth)
        }
        let flattened = layers[layers.count - 1].outputCount
        let layerCount = hiddenSizes.count + 1
        let head = try MLP(
            sizes: [flattened] + hiddenSizes + [outputCount],
            activations: Array(repeating: activation, count: layerCount - 1) + [outputActivation],
            initializations: Array(repeating: initialization, count: layerCount - 1) + [outputInitialization],
            using: &generator)
        tensors += head.parameterLayout.slices.map { (name: "head.\($0.name)", shape: $0.shape) }
        values += head.parameters.values
        dense = head.layers.map {
            DenseLayer(
                inputCount: $0.inputCount, outputCount: $0.outputCount, activation: $0.activation,
                weightOffset: $0.weightOffset + offset, biasOffset: $0.biasOffset + offset)
        }
        self.convolutions = layers
        self.sizes = [layers[0].inputCount] + layers.map(\.outputCount) + head.sizes.dropFirst()
        self.parameterLayout = try ParameterLayout(tensors)
        self.parameters = try ParameterVector(layout: parameterLayout, values: values)
    }

    /// A zero vector with the parameters' layout, for accumulating gradients.
    public func makeGradient() -> ParameterVector { ParameterVector(zeroing: parameterLayout) }

    /// Buffers for batches of up to `batchCapacity` samples (they grow if a larger batch comes).
    public func makeWorkspace(batchCapacity: Int) -> ConvEncoderWorkspace {
        ConvEncoderWorkspace(
            sizes: sizes, columnCount: convolutions.map { $0.patchCount * $0.positionCount }.max() ?? 0,
            batchCapacity: batchCapacity)
    }

    /// Multiply–adds of one forward pass per sample.
    public var multiplyAdds: Int {
        convolutions.reduce(0) { $0 + $1.multiplyAdds } + dense.reduce(0) { $0 + $1.multiplyAdds }
    }
}
