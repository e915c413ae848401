import Foundation
import Testing
@testable import NeuralNets

/// Double-precision direct convolution (no im2col), the reference the Float kernels are
/// checked against: batch-first `[N, C, H, W]`, weight `[C′, C, k, k]` at the layer's offsets.
enum ConvReference {
    static func forward(_ layer: Conv2D, parameters: [Double], input: [Double]) -> [Double] {
        let batch = input.count / layer.inputCount
        let (c, h, w, k) = (layer.inputChannels, layer.inputHeight, layer.inputWidth, layer.kernelSize)
        let (oc, oh, ow) = (layer.outputChannels, layer.outputHeight, layer.outputWidth)
        var y = [Double](repeating: 0, count: batch * layer.outputCount)
        for n in 0..<batch {
            for o in 0..<oc {
                for p in 0..<oh {
                    for q in 0..<ow {
                        var s = parameters[layer.biasOffset + o]
                        for ci in 0..<c {
                            for i in 0..<k {
                                for j in 0..<k {
                                    let r = p * layer.stride - layer.padding + i
                                    let t = q * layer.stride - layer.padding + j
                                    guard r >= 0, r < h, t >= 0, t < w else { continue }
                                    let weight = parameters[layer.weightOffset + ((o * c + ci) * k + i) * k + j]
                                    s += weight * input[n * layer.inputCount + (ci * h + r) * w + t]
                                }
                            }
                        }
                        y[n * layer.outputCount + (o * oh + p) * ow + q] = DoubleReference.activate(layer.activation, s)
                    }
                }
            }
        }
        return y
    }
}

@Suite struct Conv2DTests {
    /// x = 1…9 as one 3×3 image, kernel [[1, 2], [3, 4]], bias ½, stride 1, no padding:
    /// y[p, q] = x[p,q] + 2x[p,q+1] + 3x[p+1,q] + 4x[p+1,q+1] + ½, worked by hand.
    @Test func goldenForwardWithoutPadding() throws {
        let layer = try Conv2D(
            inputChannels: 1, outputChannels: 1, inputHeight: 3, inputWidth: 3, kernelSize: 2, activation: .identity)
        let layout = try ParameterLayout(layer.tensors(prefix: "conv"))
        let parameters = try ParameterVector(layout: layout, values: [1, 2, 3, 4, 0.5])
        var workspace = layer.makeWorkspace(batchCapacity: 1)
        try layer.forward([1, 2, 3, 4, 5, 6, 7, 8, 9], batchSize: 1, parameters: parameters, workspace: &workspace)
        #expect(layer.outputHeight == 2 && layer.outputWidth == 2)
        #expect(Array(workspace.output) == [37.5, 47.5, 67.5, 77.5])
    }

    /// The same image, padding 1, stride 2, two output channels with ReLU. Channel 0 sums
    /// the (clipped) 3×3 neighbourhoods of the centres (0,0), (0,2), (2,0), (2,2):
    /// 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9. Channel 1 picks the centre and subtracts 3:
    /// relu(1−3, 3−3, 7−3, 9−3). Two samples, the second the first negated.
    @Test func goldenForwardWithPaddingStrideAndTwoChannels() throws {
        let layer = try Conv2D(
            inputChannels: 1, outputChannels: 2, inputHeight: 3, inputWidth: 3, kernelSize: 3, stride: 2, padding: 1,
            activation: .relu)
        let layout = try ParameterLayout(layer.tensors(prefix: "conv"))
        let ones = [Float](repeating: 1, count: 9)
        let centre: [Float] = [0, 0, 0, 0, 1, 0, 0, 0, 0]
        let parameters = try ParameterVector(layout: layout, values: ones + centre + [0, -3])
        var workspace = layer.makeWorkspace(batchCapacity: 1)   // grows to 2
        let image: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        try layer.forward(image + image.map { -$0 }, batchSize: 2, parameters: parameters, workspace: &workspace)
        #expect(layer.outputHeight == 2 && layer.outputWidth == 2)
        #expect(Array(workspace.output) == [12, 16, 24, 28, 0, 0, 4, 6, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    struct Geometry: Sendable, CustomTestStringConvertible {
        var c: Int, oc: Int, h: Int, w: Int, k: Int, stride: Int, padding: Int, activation: Activation
        var testDescription: String { "\(c)→\(oc) \(h)×\(w) k\(k) s\(stride) p\(padding) \(activation.rawValue)" }
    }

    static let geometries = [
        Geometry(c: 2, oc: 3, h: 5, w: 4, k: 3, stride: 1, padding: 1, activation: .tanh),
        Geometry(c: 1, oc: 2, h: 6, w: 5, k: 2, stride: 2, padding: 0, activation: .softplus),
        Geometry(c: 3, oc: 2, h: 4, w: 5, k: 3, stride: 2, padding: 1, activation: .identity),
        Geometry(c: 2, oc: 2, h: 3, w: 2, k: 3, stride: 3, padding: 2, activation: .relu),
    ]

    @Test(arguments: geometries)
    func gradientsMatchFiniteDifferences(_ geometry: Geometry) throws {
        let layer = try Conv2D(
            inputChannels: geometry.c, outputChannels: geometry.oc, inputHeight: geometry.h, inputWidth: geometry.w,
            kernelSize: geometry.k, stride: geometry.stride, padding: geometry.padding, activation: geometry.activation)
        var generator = Xoshiro256StarStar(seed: 21)
        var parameters = try layer.makeParameters(initialization: .pytorchDefault, using: &generator)
        // Non-zero biases, so the bias path is exercised with every activation.
        for o in 0..<geometry.oc { parameters[layer.biasOffset + o] = Float(o) * 0.3 - 0.2 }
        let rows = 2
        let input = MLPTests.randomInputs(rows * layer.inputCount, seed: 5)
        let weights = MLPTests.randomInputs(rows * layer.outputCount, seed: 6)   // L = Σ weights · output
        var workspace = layer.makeWorkspace(batchCapacity: 1)
        var gradient = ParameterVector(zeroing: parameters.layout)
        try layer.forward(input, batchSize: rows, parameters: parameters, workspace: &workspace)

        let p64 = parameters.values.map(Double.init), x64 = input.map(Double.init)
        let reference = ConvReference.forward(layer, parameters: p64, input: x64)
        #expect(workspace.output.count == reference.count)
        for (a, b) in zip(workspace.output, reference) { #expect(abs(Double(a) - b) < 1e-5) }

        try layer.backward(
            outputGradient: weights, parameters: parameters, workspace: &workspace, gradient: &gradient,
            computeInputGradient: true)
        let loss: ([Double], [Double]) -> Double = { p, x in
            zip(ConvReference.forward(layer, parameters: p, input: x), weights).reduce(0) { $0 + $1.0 * Double($1.1) }
        }
        let numeric = DoubleReference.gradient({ loss($0, x64) }, at: p64)
        let weightRange = 0..<layer.weightCount, biasRange = layer.biasOffset..<(layer.biasOffset + geometry.oc)
        #expect(DoubleReference.maxRelativeError(Array(gradient.values[weightRange]), Array(numeric[weightRange])) < 1e-3)
        #expect(DoubleReference.maxRelativeError(Array(gradient.values[biasRange]), Array(numeric[biasRange])) < 1e-3)
        let numericInput = DoubleReference.gradient({ loss(p64, $0) }, at: x64)
        #expect(workspace.inputGradient.count == input.count)
        #expect(DoubleReference.maxRelativeError(Array(workspace.inputGradient), numericInput) < 1e-3)

        // Accumulates: a second backward doubles the parameter gradient.
        try layer.forward(input, batchSize: rows, parameters: parameters, workspace: &workspace)
        try layer.backward(outputGradient: weights, parameters: parameters, workspace: &workspace, gradient: &gradient)
        #expect(DoubleReference.maxRelativeError(gradient.values, numeric.map { 2 * $0 }) < 1e-3)
        #expect(workspace.inputGradient.isEmpty)
    }

    static func message(_ body: () throws -> Void) -> String? {
        do { try body() } catch let error as NeuralNetError { return error.description } catch { return nil }
        return nil
    }

    @Test func badShapesAreRejectedWithOneSentence() throws {
        let kernelTooLarge = Self.message {
            _ = try Conv2D(inputChannels: 1, outputChannels: 1, inputHeight: 3, inputWidth: 8, kernelSize: 6,
                           padding: 1, activation: .relu)
        }
        #expect(kernelTooLarge == "A 6×6 Conv2D kernel does not fit the 3×8 input padded by 1 (5×10).")
        let zeroChannels = Self.message {
            _ = try Conv2D(inputChannels: 0, outputChannels: 4, inputHeight: 8, inputWidth: 8, kernelSize: 3,
                           activation: .relu)
        }
        #expect(zeroChannels == "A Conv2D layer needs at least one input and one output channel, got 0 and 4.")
        let zeroOutputChannels = Self.message {
            _ = try Conv2D(inputChannels: 3, outputChannels: 0, inputHeight: 8, inputWidth: 8, kernelSize: 3,
                           activation: .relu)
        }
        #expect(zeroOutputChannels == "A Conv2D layer needs at least one input and one output channel, got 3 and 0.")
        let stride = Self.message {
            _ = try Conv2D(inputChannels: 1, outputChannels: 1, inputHeight: 8, inputWidth: 8, kernelSize: 3,
                           stride: 0, activation: .relu)
        }
        #expect(stride == "A Conv2D stride must be at least 1, got 0.")
        let padding = Self.message {
            _ = try Conv2D(inputChannels: 1, outputChannels: 1, inputHeight: 8, inputWidth: 8, kernelSize: 3,
                           padding: -1, activation: .relu)
        }
        #expect(padding == "A Conv2D padding must not be negative, got -1.")
        // A kernel exactly as large as the padded input is fine: one output position.
        let fits = try Conv2D(inputChannels: 1, outputChannels: 1, inputHeight: 3, inputWidth: 8, kernelSize: 5,
                              padding: 1, activation: .relu)
        #expect(fits.outputHeight == 1 && fits.outputWidth == 6)

        // Passes reject wrong counts, foreign workspaces, short vectors and backward before forward.
        var generator = Xoshiro256StarStar(seed: 0)
        let layer = try Conv2D(inputChannels: 2, outputChannels: 3, inputHeight: 4, inputWidth: 4, kernelSize: 3,
                               padding: 1, activation: .tanh)
        let parameters = try layer.makeParameters(initialization: .pytorchDefault, using: &generator)
        var workspace = layer.makeWorkspace(batchCapacity: 1)
        var gradient = ParameterVector(zeroing: parameters.layout)
        #expect(Self.message {
            try layer.backward(outputGradient: [Float](repeating: 0, count: 48), parameters: parameters,
                               workspace: &workspace, gradient: &gradient)
        } == "Conv2D.backward needs a forward pass on the same workspace first.")
        #expect(Self.message {
            try layer.forward([Float](repeating: 0, count: 31), batchSize: 1, parameters: parameters, workspace: &workspace)
        } == "A Conv2D batch of 1 needs 32 input values (2×4×4 each), but 31 were given.")
        var foreign = fits.makeWorkspace(batchCapacity: 1)
        #expect(Self.message {
            try layer.forward([Float](repeating: 0, count: 32), batchSize: 1, parameters: parameters, workspace: &foreign)
        } == "The Conv2D workspace was made for another layer geometry.")
        let short = try ParameterVector(layout: ParameterLayout([(name: "w", shape: [10])]), values: .init(repeating: 0, count: 10))
        #expect(Self.message {
            try layer.forward([Float](repeating: 0, count: 32), batchSize: 1, parameters: short, workspace: &workspace)
        } == "The Conv2D layer reads parameters up to index 57, but the vector holds only 10 values.")
        try layer.forward([Float](repeating: 1, count: 32), batchSize: 1, parameters: parameters, workspace: &workspace)
        #expect(Self.message {
            try layer.backward(outputGradient: [Float](repeating: 0, count: 47), parameters: parameters,
                               workspace: &workspace, gradient: &gradient)
        } == "The Conv2D output gradient for a batch of 1 needs 48 values, but 47 were given.")
    }
}

@Suite struct Conv2DCodingTests {
    @Test func decodingValidatesTheGeometry() throws {
        let layer = try Conv2D(inputChannels: 3, outputChannels: 4, inputHeight: 8, inputWidth: 6, kernelSize: 3,
                               stride: 2, padding: 1, activation: .tanh, weightOffset: 5)
        let data = try JSONEncoder().encode(layer)
        #expect(try JSONDecoder().decode(Conv2D.self, from: data) == layer)
        let text = try #require(String(data: data, encoding: .utf8))
        let zeroStride = text.replacingOccurrences(of: "\"stride\":2", with: "\"stride\":0")
        #expect(zeroStride != text)
        #expect(throws: DecodingError.self) { _ = try JSONDecoder().decode(Conv2D.self, from: Data(zeroStride.utf8)) }
    }
}
