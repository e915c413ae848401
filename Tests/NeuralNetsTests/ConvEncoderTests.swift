import Foundation
import Testing
@testable import NeuralNets

@Suite struct ConvEncoderTests {
    /// Double forward of the whole encoder: `ConvReference` per conv, then dense layers.
    static func reference(_ encoder: ConvEncoder, parameters: [Double], input: [Double]) -> [Double] {
        var x = input
        for layer in encoder.convolutions { x = ConvReference.forward(layer, parameters: parameters, input: x) }
        let rows = input.count / encoder.inputCount
        for layer in encoder.dense {
            var y = [Double](repeating: 0, count: rows * layer.outputCount)
            for r in 0..<rows {
                for o in 0..<layer.outputCount {
                    var s = parameters[layer.biasOffset + o]
                    for i in 0..<layer.inputCount {
                        s += parameters[layer.weightOffset + o * layer.inputCount + i] * x[r * layer.inputCount + i]
                    }
                    y[r * layer.outputCount + o] = DoubleReference.activate(layer.activation, s)
                }
            }
            x = y
        }
        return x
    }

    @Test func gradientsMatchFiniteDifferencesEndToEnd() throws {
        let encoder = try ConvEncoder(
            inputChannels: 2, inputHeight: 6, inputWidth: 5,
            convolutions: [
                .init(channels: 3, kernelSize: 3, stride: 1, padding: 1),
                .init(channels: 2, kernelSize: 3, stride: 2, padding: 0),
            ],
            hiddenSizes: [4], outputCount: 2, activation: .tanh, convInitialization: .pytorchDefault,
            initialization: .xavierUniform(gain: 1.2), outputInitialization: .xavierUniform(gain: 1), seed: 9)
        #expect(encoder.sizes == [60, 90, 8, 4, 2])
        #expect(encoder.parameterLayout.slices.map(\.name) == [
            "convs.0.weight", "convs.0.bias", "convs.1.weight", "convs.1.bias",
            "head.layers.0.weight", "head.layers.0.bias", "head.layers.1.weight", "head.layers.1.bias",
        ])
        #expect(encoder.parameterLayout.slices[2].shape == [2, 3, 3, 3])
        let rows = 3
        let input = MLPTests.randomInputs(rows * encoder.inputCount, seed: 1)
        let weights = MLPTests.randomInputs(rows * encoder.outputCount, seed: 2)
        var workspace = encoder.makeWorkspace(batchCapacity: 1)
        var gradient = encoder.makeGradient()
        try encoder.forward(input, batchSize: rows, workspace: &workspace)
        let p64 = encoder.parameters.values.map(Double.init), x64 = input.map(Double.init)
        let expected = Self.reference(encoder, parameters: p64, input: x64)
        #expect(workspace.output.count == expected.count)
        for (a, b) in zip(workspace.output, expected) { #expect(abs(Double(a) - b) < 1e-5) }

        try encoder.backward(outputGradient: weights, workspace: &workspace, gradient: &gradient, computeInputGradient: true)
        let loss: ([Double], [Double]) -> Double = { p, x in
            zip(Self.reference(encoder, parameters: p, input: x), weights).reduce(0) { $0 + $1.0 * Double($1.1) }
        }
        let numeric = DoubleReference.gradient({ loss($0, x64) }, at: p64)
        #expect(DoubleReference.maxRelativeError(gradient.values, numeric) < 1e-3)
        let numericInput = DoubleReference.gradient({ loss(p64, $0) }, at: x64)
        #expect(DoubleReference.maxRelativeError(Array(workspace.inputGradient), numericInput) < 1e-3)
    }

    @Test func sameSeedSameWeightsAndBadStacksRejected() throws {
        let make = { (seed: UInt64) in
            try ConvEncoder(
                inputChannels: 3, inputHeight: 16, inputWidth: 16,
                convolutions: [.init(channels: 8, kernelSize: 3, stride: 2, padding: 1),
                               .init(channels: 8, kernelSize: 3, stride: 2, padding: 1)],
                hiddenSizes: [32], outputCount: 4, activation: .relu, seed: seed)
        }
        #expect(try make(3).parameters == make(3).parameters)
        #expect(try make(3).parameters != make(4).parameters)
        #expect(throws: NeuralNetError.invalidArgument("A ConvEncoder needs at least one convolution.")) {
            _ = try ConvEncoder(inputChannels: 1, inputHeight: 4, inputWidth: 4, convolutions: [], hiddenSizes: [],
                                outputCount: 1, activation: .relu, seed: 0)
        }
        // The second convolution's 3×3 kernel does not fit the 2×2 maps the first leaves.
        #expect(throws: NeuralNetError.invalidArgument(
            "Convolution 1 of the encoder: A 3×3 Conv2D kernel does not fit the 2×2 input padded by 0 (2×2).")) {
            _ = try ConvEncoder(inputChannels: 1, inputHeight: 4, inputWidth: 4,
                                convolutions: [.init(channels: 2, kernelSize: 3), .init(channels: 2, kernelSize: 3)],
                                hiddenSizes: [], outputCount: 1, activation: .relu, seed: 0)
        }
        let encoder = try make(1)
        var workspace = encoder.makeWorkspace(batchCapacity: 2)
        #expect(throws: NeuralNetError.self) { try encoder.forward([1, 2, 3], batchSize: 1, workspace: &workspace) }
    }
}
