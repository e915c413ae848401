/// One 2-D convolution layer: y = f(W ⋆ x + b), batch-first.
///
/// Layout (PyTorch's `nn.Conv2d` convention, so checkpoints load into PyTorch unchanged):
/// - input `[batch, inputChannels, inputHeight, inputWidth]`, row-major;
/// - output `[batch, outputChannels, outputHeight, outputWidth]`, row-major;
/// - weight `[outputChannels, inputChannels, kernelSize, kernelSize]` and bias
///   `[outputChannels]`, both inside a model's `ParameterVector` at `weightOffset` and
///   `biasOffset`.
///
/// The kernel is square, the stride and the zero padding are the same along both axes:
/// `outputHeight = (inputHeight + 2·padding − kernelSize) / stride + 1` (floor), and
/// likewise for the width. There is no dilation and no grouping.
///
/// Forward and backward are im2col + sgemm, one sample at a time: the sample's patches
/// become a `[inputChannels·kernelSize², outputHeight·outputWidth]` matrix, and the
/// convolution is W (viewed as `[outputChannels × inputChannels·kernelSize²]`) times it.
/// Use it through `forward`/`backward` with a `Conv2DWorkspace`, or inside a
/// `ConvEncoder`.
public struct Conv2D: Hashable, Sendable, Codable {
    /// Channels of the input image.
    public let inputChannels: Int
    /// Channels (feature maps) of the output.
    public let outputChannels: Int
    /// Height of the input image.
    public let inputHeight: Int
    /// Width of the input image.
    public let inputWidth: Int
    /// Side of the square kernel.
    public let kernelSize: Int
    /// Step between neighbouring kernel positions, both axes (≥ 1).
    public let stride: Int
    /// Zeros added on every side of the input, both axes (≥ 0).
    public let padding: Int
    /// The nonlinearity applied after the convolution and bias.
    public let activation: Activation
    /// Offset of W in the model's parameter vector.
    public let weightOffset: Int
    /// Offset of b in the model's parameter vector.
    public let biasOffset: Int

    /// A layer with the given geometry whose weight starts at `weightOffset` and whose
    /// bias follows it directly (the order `tensors(prefix:)` lays out).
    /// - Throws: `NeuralNetError.invalidArgument` for a non-positive channel count, size
    ///   or kernel, a stride below 1, a negative padding or offset, or a kernel larger
    ///   than the padded input.
    public init(
        inputChannels: Int, outputChannels: Int, inputHeight: Int, inputWidth: Int, kernelSize: Int,
        stride: Int = 1, padding: Int = 0, activation: Activation, weightOffset: Int = 0
    ) throws {
        guard inputChannels > 0, outputChannels > 0 else {
            throw NeuralNetError.invalidArgument(
                "A Conv2D layer needs at least one input and one output channel, got \(inputChannels) and \(outputChannels).")
        }
        guard inputHeight > 0, inputWidth > 0 else {
            throw NeuralNetError.invalidArgument(
                "A Conv2D input must be at least 1×1, got \(inputHeight)×\(inputWidth).")
        }
        guard kernelSize > 0 else {
            throw NeuralNetError.invalidArgument("A Conv2D kernel size must be positive, got \(kernelSize).")
        }
        guard stride >= 1 else {
            throw NeuralNetError.invalidArgument("A Conv2D stride must be at least 1, got \(stride).")
        }
        guard padding >= 0 else {
            throw NeuralNetError.invalidArgument("A Conv2D padding must not be negative, got \(padding).")
        }
        guard weightOffset >= 0 else {
            throw NeuralNetError.invalidArgument("A Conv2D weight offset must not be negative, got \(weightOffset).")
        }
        guard kernelSize <= inputHeight + 2 * padding, kernelSize <= inputWidth + 2 * padding else {
            throw NeuralNetError.invalidArgument(
                "A \(kernelSize)×\(kernelSize) Conv2D kernel does not fit the \(inputHeight)×\(inputWidth) input "
                    + "padded by \(padding) (\(inputHeight + 2 * padding)×\(inputWidth + 2 * padding)).")
        }
        let patch = inputChannels * kernelSize * kernelSize
        guard Double(patch) * Double(outputChannels) < Double(Int32.max),
            Double(inputChannels) * Double(inputHeight) * Double(inputWidth) < Double(Int32.max)
        else {
            throw NeuralNetError.invalidArgument(
                "The Conv2D layer is too large: its weight and its input must each stay below 2³¹ values.")
        }
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.activation = activation
        self.weightOffset = weightOffset
        self.biasOffset = weightOffset + patch * outputChannels
    }

    /// Height of the output feature maps.
    public var outputHeight: Int { (inputHeight + 2 * padding - kernelSize) / stride + 1 }
    /// Width of the output feature maps.
    public var outputWidth: Int { (inputWidth + 2 * padding - kernelSize) / stride + 1 }
    /// Values of one input sample (C·H·W).
    public var inputCount: Int { inputChannels * inputHeight * inputWidth }
    /// Values of one output sample (C′·H′·W′).
    public var outputCount: Int { outputChannels * outputHeight * outputWidth }
    /// Rows of the im2col matrix: one per weight of an output channel (C·k²).
    public var patchCount: Int { inputChannels * kernelSize * kernelSize }
    /// Output positions per channel (H′·W′), the im2col matrix's columns.
    public var positionCount: Int { outputHeight * outputWidth }
    /// Elements of W.
    public var weightCount: Int { outputChannels * patchCount }
    /// Multiply–adds of one forward pass per sample (C′·C·k²·H′·W′).
    public var multiplyAdds: Int { weightCount * positionCount }

    /// The layer's tensors as a `ParameterLayout` expects them: `prefix.weight`
    /// (`[C′, C, k, k]`) then `prefix.bias` (`[C′]`).
    public func tensors(prefix: String) -> [(name: String, shape: [Int])] {
        [
            (name: "\(prefix).weight", shape: [outputChannels, inputChannels, kernelSize, kernelSize]),
            (name: "\(prefix).bias", shape: [outputChannels]),
        ]
    }

    /// A parameter vector holding only this layer (`prefix.weight`, `prefix.bias`), drawn
    /// with fan-in C·k² and fan-out C′ (PyTorch's convention for convolutions). The layer
    /// must have `weightOffset` 0.
    /// - Throws: `NeuralNetError.invalidArgument` if `weightOffset` is not 0.
    public func makeParameters(
        prefix: String = "conv", initialization: Initialization, using generator: inout some RandomNumberGenerator
    ) throws -> ParameterVector {
        guard weightOffset == 0 else {
            throw NeuralNetError.invalidArgument(
                "A stand-alone Conv2D parameter vector needs a layer at offset 0, but its weight starts at \(weightOffset).")
        }
        let layout = try ParameterLayout(tensors(prefix: prefix))
        let drawn = try initialization.draw(fanIn: patchCount, fanOut: outputChannels, using: &generator)
        return try ParameterVector(layout: layout, values: drawn.weight + drawn.bias)
    }

    /// Buffers for batches of up to `batchCapacity` samples (they grow if a larger batch comes).
    public func makeWorkspace(batchCapacity: Int) -> Conv2DWorkspace {
        Conv2DWorkspace(layer: self, batchCapacity: batchCapacity)
    }
}

// MARK: - Kernels

/// The output columns q for which input column q·s − pad + j lies inside the image
/// (`0 ≤ q·s − pad + j < W`), as a half-open range `[first, end)` within `[0, W′)`.
@inline(__always)
func convValidColumns(_ layer: Conv2D, kernelColumn j: Int) -> (first: Int, end: Int) {
    let s = layer.stride, ow = layer.outputWidth
    let low = layer.padding - j                       // q·s ≥ low
    let high = layer.inputWidth - 1 + layer.padding - j   // q·s ≤ high
    let first = low <= 0 ? 0 : (low + s - 1) / s
    let end = high < 0 ? 0 : high / s + 1
    let clampedFirst = min(first, ow)
    return (clampedFirst, max(clampedFirst, min(end, ow)))
}

/// Writes the im2col matrix of one sample `x` (`[C, H, W]`) into `col`
/// (`[C·k², H′·W′]`): row (c, i, j), column (p, q) holds x[c, p·s − pad + i, q·s − pad + j],
/// or 0 where that falls in the padding.
func convIm2col(_ layer: Conv2D, input x: UnsafePointer<Float>, col: UnsafeMutablePointer<Float>) {
    let h = layer.inputHeight, w = layer.inputWidth, k = layer.kernelSize
    let s = layer.stride, pad = layer.padding
    let oh = layer.outputHeight, ow = layer.outputWidth
    var row = col
    for c in 0..<layer.inputChannels {
        let plane = x + c * h * w
        for i in 0..<k {
            for j in 0..<k {
                let (qFirst, qEnd) = convValidColumns(layer, kernelColumn: j)
                for p in 0..<oh {
                    let out = row + p * ow
                    let r = p * s - pad + i
                    guard r >= 0, r < h else {
                        out.update(repeating: 0, count: ow)
                        continue
                    }
                    let source = plane + r * w - pad + j
                    if qFirst > 0 { out.update(repeating: 0, count: qFirst) }
                    if s == 1 {
                        (out + qFirst).update(from: source + qFirst, count: qEnd - qFirst)
                    } else {
                        var q = qFirst
                        while q < qEnd { out[q] = source[q * s]; q += 1 }
                    }
                    if qEnd < ow { (out + qEnd).update(repeating: 0, count: ow - qEnd) }
                }
                row += oh * ow
            }
        }
    }
}

/// The adjoint of `convIm2col`: adds every entry of `col` (`[C·k², H′·W′]`) onto the input
/// position it was read from in `dx` (`[C, H, W]`); padding positions are dropped.
func convCol2imAdd(_ layer: Conv2D, col: UnsafePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>) {
    let h = layer.inputHeight, w = layer.inputWidth, k = layer.kernelSize
    let s = layer.stride, pad = layer.padding
    let oh = layer.outputHeight, ow = layer.outputWidth
    var row = col
    for c in 0..<layer.inputChannels {
        let plane = dx + c * h * w
        for i in 0..<k {
            for j in 0..<k {
                let (qFirst, qEnd) = convValidColumns(layer, kernelColumn: j)
                for p in 0..<oh {
                    let r = p * s - pad + i
                    guard r >= 0, r < h else { continue }
                    let target = plane + r * w - pad + j
                    let source = row + p * ow
                    var q = qFirst
                    if s == 1 {
                        while q + 4 <= qEnd {
                            let sum = UnsafeRawPointer(target + q).loadUnaligned(as: SIMD4<Float>.self)
                                + UnsafeRawPointer(source + q).loadUnaligned(as: SIMD4<Float>.self)
                            UnsafeMutableRawPointer(target + q).storeBytes(of: sum, as: SIMD4<Float>.self)
                            q += 4
                        }
                    }
                    while q < qEnd { target[q * s] += source[q]; q += 1 }
                }
                row += oh * ow
            }
        }
    }
}

/// Batched forward of one convolution: per sample, im2col then one sgemm
/// Y = W · col (`[C′ × C·k²] · [C·k² × H′·W′]`), then bias and activation.
/// `col` must hold `patchCount × positionCount` values.
func convForwardBatched(
    _ layer: Conv2D, parameters: UnsafePointer<Float>, input x: UnsafePointer<Float>,
    output y: UnsafeMutablePointer<Float>, col: UnsafeMutablePointer<Float>, batch: Int
) {
    let kk = layer.patchCount, positions = layer.positionCount, channels = layer.outputChannels
    let w = parameters + layer.weightOffset, b = parameters + layer.biasOffset
    for n in 0..<batch {
        let yn = y + n * layer.outputCount
        convIm2col(layer, input: x + n * layer.inputCount, col: col)
        BLAS.gemm(
            transposeA: false, transposeB: false, m: channels, n: positions, k: kk,
            alpha: 1, a: w, lda: kk, b: col, ldb: positions, beta: 0, c: yn, ldc: positions)
        for c in 0..<channels {
            let bias = b[c], plane = yn + c * positions
            for p in 0..<positions { plane[p] += bias }
        }
        applyActivation(layer.activation, yn, count: layer.outputCount)
    }
}

/// Batched backward of one convolution. On entry `outputGradient` holds ∂L/∂y
/// (`batch × outputCount`); it is overwritten with ∂L/∂(pre-activation). Accumulates
/// ∂L/∂W and ∂L/∂b into `gradient` (same layout as the parameters) and, if
/// `inputGradient` is given, writes ∂L/∂x (`batch × inputCount`) there. Per sample:
/// ∂L/∂W += G · colᵀ and ∂col = Wᵀ · G, folded back onto ∂x by col2im. `col` and
/// `colGradient` must each hold `patchCount × positionCount` values.
func convBackwardBatched(
    _ layer: Conv2D, parameters: UnsafePointer<Float>, input x: UnsafePointer<Float>,
    output y: UnsafePointer<Float>, outputGradient g: UnsafeMutablePointer<Float>,
    gradient: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
    col: UnsafeMutablePointer<Float>, colGradient dcol: UnsafeMutablePointer<Float>, batch: Int
) {
    let kk = layer.patchCount, positions = layer.positionCount, channels = layer.outputChannels
    let w = parameters + layer.weightOffset
    let dw = gradient + layer.weightOffset, db = gradient + layer.biasOffset
    let activation = layer.activation
    for n in 0..<batch {
        let gn = g + n * layer.outputCount, yn = y + n * layer.outputCount
        for c in 0..<channels {
            let gPlane = gn + c * positions, yPlane = yn + c * positions
            // Four-lane partial sums: a single running sum would serialise on the add latency.
            var lanes = SIMD4<Float>()
            var p = 0
            switch activation {
            case .identity:
                while p + 4 <= positions {
                    lanes += UnsafeRawPointer(gPlane + p).loadUnaligned(as: SIMD4<Float>.self)
                    p += 4
                }
            case .relu:
                let zero = SIMD4<Float>()
                while p + 4 <= positions {
                    var gv = UnsafeRawPointer(gPlane + p).loadUnaligned(as: SIMD4<Float>.self)
                    let yv = UnsafeRawPointer(yPlane + p).loadUnaligned(as: SIMD4<Float>.self)
                    gv.replace(with: zero, where: yv .<= zero)
                    UnsafeMutableRawPointer(gPlane + p).storeBytes(of: gv, as: SIMD4<Float>.self)
                    lanes += gv
                    p += 4
                }
            case .tanh, .softplus:
                break
            }
            var sum = lanes.sum()
            switch activation {
            case .identity:
                while p < positions { sum += gPlane[p]; p += 1 }
            case .relu:
                while p < positions {
                    if yPlane[p] <= 0 { gPlane[p] = 0 }
                    sum += gPlane[p]
                    p += 1
                }
            case .tanh, .softplus:
                while p < positions {
                    gPlane[p] *= activation.derivative(fromOutput: yPlane[p])
                    sum += gPlane[p]
                    p += 1
                }
            }
            db[c] += sum
        }
        convIm2col(layer, input: x + n * layer.inputCount, col: col)
        // ∂L/∂W += G colᵀ : [C′ × H′W′] · [H′W′ × C·k²]
        BLAS.gemm(
            transposeA: false, transposeB: true, m: channels, n: kk, k: positions,
            alpha: 1, a: gn, lda: positions, b: col, ldb: positions, beta: 1, c: dw, ldc: kk)
        if let dx {
            // ∂col = Wᵀ G : [C·k² × C′] · [C′ × H′W′]
            BLAS.gemm(
                transposeA: true, transposeB: false, m: kk, n: positions, k: channels,
                alpha: 1, a: w, lda: kk, b: gn, ldb: positions, beta: 0, c: dcol, ldc: positions)
            let dxn = dx + n * layer.inputCount
            dxn.update(repeating: 0, count: layer.inputCount)
            convCol2imAdd(layer, col: dcol, inputGradient: dxn)
        }
    }
}

extension Conv2D {
    enum CodingKeys: String, CodingKey {
        case inputChannels, outputChannels, inputHeight, inputWidth, kernelSize, stride, padding, activation
        case weightOffset, biasOffset
    }

    /// Decodes the geometry through the validating initialiser, so a decoded layer can
    /// never divide by a zero stride or read outside its input.
    /// - Throws: `DecodingError.dataCorrupted` with the initialiser's sentence, or when the
    ///   stored bias offset does not follow the weight.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            self = try Conv2D(
                inputChannels: c.decode(Int.self, forKey: .inputChannels),
                outputChannels: c.decode(Int.self, forKey: .outputChannels),
                inputHeight: c.decode(Int.self, forKey: .inputHeight), inputWidth: c.decode(Int.self, forKey: .inputWidth),
                kernelSize: c.decode(Int.self, forKey: .kernelSize), stride: c.decode(Int.self, forKey: .stride),
                padding: c.decode(Int.self, forKey: .padding), activation: c.decode(Activation.self, forKey: .activation),
                weightOffset: c.decode(Int.self, forKey: .weightOffset))
        } catch let error as NeuralNetError {
            throw DecodingError.dataCorruptedError(forKey: .kernelSize, in: c, debugDescription: error.description)
        }
        guard try c.decode(Int.self, forKey: .biasOffset) == biasOffset else {
            throw DecodingError.dataCorruptedError(
                forKey: .biasOffset, in: c, debugDescription: "The bias offset must follow the weight directly, at \(biasOffset).")
        }
    }
}
