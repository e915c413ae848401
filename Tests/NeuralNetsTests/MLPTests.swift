import Foundation
import Testing
@testable import NeuralNets

@Suite struct MLPTests {
    static func randomInputs(_ count: Int, seed: UInt64) -> [Float] {
        var g = Xoshiro256StarStar(seed: seed)
        return (0..<count).map { _ in Float(g.nextStandardNormal()) }
    }

    @Test(arguments: [Activation.tanh, .relu, .softplus, .identity], [4, 2])
    func gradientsMatchFiniteDifferences(activation: Activation, rows: Int) throws {
        // Output activation also exercised: softplus on the last layer for tanh hidden etc.
        let outputActivation: Activation = activation == .tanh ? .softplus : .tanh
        var g = Xoshiro256StarStar(seed: 11)
        let mlp = try MLP(
            sizes: [3, 5, 6, 2], activations: [activation, activation, outputActivation],
            initializations: [.xavierUniform(gain: 1.5), .pytorchDefault, .xavierUniform(gain: 1)], using: &g)
        // 4 rows take the sgemm forward, 2 rows the plain loops; backward is the same.
        let input = Self.randomInputs(rows * 3, seed: 3)
        let weights = Self.randomInputs(rows * 2, seed: 4)   // L = Σ weights · output
        var workspace = mlp.makeWorkspace(batchCapacity: 2)  // grows on demand
        var gradient = mlp.makeGradient()
        try mlp.forward(input, batchSize: rows, workspace: &workspace)

        #expect(workspace.activations(ofLayer: 0).map(Array.init) == input)
        #expect(workspace.activations(ofLayer: 3).map(Array.init) == Array(workspace.output))
        #expect(workspace.activations(ofLayer: 4) == nil)
        let p64 = mlp.parameters.values.map(Double.init)
        let x64 = input.map(Double.init)
        let reference = DoubleReference.forward(mlp, parameters: p64, input: x64)
        for (a, b) in zip(workspace.output, reference) { #expect(abs(Double(a) - b) < 1e-5) }

        try mlp.backward(outputGradient: weights, workspace: &workspace, gradient: &gradient, computeInputGradient: true)
        let loss: ([Double], [Double]) -> Double = { p, x in
            zip(DoubleReference.forward(mlp, parameters: p, input: x), weights).reduce(0) { $0 + $1.0 * Double($1.1) }
        }
        let numeric = DoubleReference.gradient({ loss($0, x64) }, at: p64)
        #expect(DoubleReference.maxRelativeError(gradient.values, numeric) < 1e-3)
        let numericInput = DoubleReference.gradient({ loss(p64, $0) }, at: x64)
        #expect(DoubleReference.maxRelativeError(Array(workspace.inputGradient), numericInput) < 1e-3)

        // Accumulates: a second backward doubles the gradient.
        try mlp.forward(input, batchSize: rows, workspace: &workspace)
        try mlp.backward(outputGradient: weights, workspace: &workspace, gradient: &gradient)
        #expect(DoubleReference.maxRelativeError(gradient.values, numeric.map { 2 * $0 }) < 1e-3)
    }

    @Test func singleRowLoopPathMatchesBatchedPath() throws {
        let mlp = try MLP(inputCount: 7, hiddenSizes: [64, 33], outputCount: 3, activation: .tanh, seed: 5)
        let rows = 9
        let input = Self.randomInputs(rows * 7, seed: 6)
        let batched = try mlp(input)
        let firstThree = try mlp(Array(input[0..<21]))    // 3 rows: the loop path
        for k in 0..<9 { #expect(abs(firstThree[k] - batched[k]) < 1e-5) }
        for r in 0..<rows {
            let single = try mlp(Array(input[(r * 7)..<(r * 7 + 7)]))
            for o in 0..<3 { #expect(abs(single[o] - batched[r * 3 + o]) < 1e-5) }
        }
    }

    @Test func initialisationIsDeterministicFromTheSeed() throws {
        let a = try MLP(inputCount: 4, hiddenSizes: [16], outputCount: 2, activation: .relu, seed: 42)
        let b = try MLP(inputCount: 4, hiddenSizes: [16], outputCount: 2, activation: .relu, seed: 42)
        let c = try MLP(inputCount: 4, hiddenSizes: [16], outputCount: 2, activation: .relu, seed: 43)
        #expect(a.parameters == b.parameters)
        #expect(a.parameters != c.parameters)
        #expect(a.parameters.layout.slices.map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"])
        #expect(a.parameters.layout.slices[2].shape == [2, 16])
    }

    @Test func shapeMismatchesThrow() throws {
        let mlp = try MLP(inputCount: 3, hiddenSizes: [4], outputCount: 2, activation: .tanh, seed: 1)
        var workspace = mlp.makeWorkspace(batchCapacity: 4)
        #expect(throws: NeuralNetError.self) { try mlp.forward([1, 2, 3, 4], batchSize: 1, workspace: &workspace) }
        var wrong = MLPWorkspace(sizes: [3, 5, 2], batchCapacity: 1)
        #expect(throws: NeuralNetError.self) { try mlp.forward([1, 2, 3], batchSize: 1, workspace: &wrong) }
        var gradient = mlp.makeGradient()
        #expect(throws: NeuralNetError.self) {   // backward before any forward
            try mlp.backward(outputGradient: [1, 1], workspace: &workspace, gradient: &gradient)
        }
        try mlp.forward([1, 2, 3], batchSize: 1, workspace: &workspace)
        #expect(throws: NeuralNetError.self) {
            try mlp.backward(outputGradient: [1, 1, 1], workspace: &workspace, gradient: &gradient)
        }
        var otherGradient = try MLP(inputCount: 3, hiddenSizes: [5], outputCount: 2, activation: .tanh, seed: 1).makeGradient()
        #expect(throws: NeuralNetError.self) {
            try mlp.backward(outputGradient: [1, 1], workspace: &workspace, gradient: &otherGradient)
        }
        var generator = Xoshiro256StarStar(seed: 0)
        #expect(throws: NeuralNetError.self) {
            _ = try MLP(sizes: [3, 0, 1], activations: [.tanh, .tanh],
                        initializations: [.pytorchDefault, .pytorchDefault], using: &generator)
        }
        #expect(throws: NeuralNetError.self) {
            _ = try MLP(sizes: [3, 2, 1], activations: [.tanh],
                        initializations: [.pytorchDefault, .pytorchDefault], using: &generator)
        }
    }
}

@Suite struct ActivationTests {
    @Test func fastTanhIsAccurateEverywhere() {
        var worst = 0.0
        var x = -12.0
        while x <= 12 {
            let exact = Foundation.tanh(Double(Float(x)))
            let approx = Double(Activation.tanh(Float(x)))
            worst = max(worst, abs(approx - exact) / max(abs(exact), 1e-30))
            #expect(abs(approx) <= 1)
            x += 0.000_37
        }
        #expect(worst < 5e-7)
        #expect(Activation.tanh(1e-20) == 1e-20)
        #expect(Activation.tanh(.nan).isNaN)
        #expect(Activation.tanh(.infinity) == 1)
        #expect(Activation.tanh(-.infinity) == -1)
    }

    @Test(arguments: Activation.allCases)
    func derivativeFromOutputMatchesFiniteDifferences(activation: Activation) {
        for x in stride(from: -3.0, through: 3.0, by: 0.37) {
            let y = activation(Float(x))
            let numeric = (DoubleReference.activate(activation, x + 1e-6) - DoubleReference.activate(activation, x - 1e-6)) / 2e-6
            #expect(abs(Double(activation.derivative(fromOutput: y)) - numeric) < 1e-5)
            #expect(abs(Double(y) - DoubleReference.activate(activation, x)) < 1e-6)
        }
    }

    @Test func parsingRejectsUnknownNames() throws {
        #expect(try Activation(parsing: "ReLU") == .relu)
        #expect(throws: NeuralNetError.invalidArgument(
            "Unknown activation 'gelu'; valid activations are identity, tanh, relu and softplus.")) {
            try Activation(parsing: "gelu")
        }
    }
}

extension MLPTests {
    @Test func replacingParametersWithAnotherLayoutThrowsInsteadOfReadingOutOfBounds() throws {
        var mlp = try MLP(inputCount: 3, hiddenSizes: [4], outputCount: 2, activation: .tanh, seed: 1)
        var workspace = mlp.makeWorkspace(batchCapacity: 1)
        mlp.parameters = ParameterVector(zeroing: try ParameterLayout([(name: "x", shape: [2])]))
        #expect(throws: NeuralNetError.self) { try mlp.forward([1, 2, 3], batchSize: 1, workspace: &workspace) }
    }

    @Test func hugeShapesAreRejectedNotOverflowed() {
        #expect(throws: NeuralNetError.self) { try ParameterLayout([(name: "w", shape: [1 << 40, 1 << 40])]) }
        #expect(throws: NeuralNetError.self) { try SafetensorsTensor(name: "w", shape: [1 << 40, 1 << 40], values: []) }
        let header = Array(#"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"#.utf8)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
        #expect(throws: NeuralNetError.self) { try SafetensorsFile(bytes: bytes + header) }
    }
}
