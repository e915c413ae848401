import Foundation
import Testing
@testable import NeuralNets

@Suite struct SafetensorsTests {
    static var fixturePath: String {
        Bundle.module.path(forResource: "mlp_2_3_1", ofType: "safetensors", inDirectory: "Fixtures")!
    }

    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "neuralnets-\(ProcessInfo.processInfo.processIdentifier)-\(name).safetensors"
    }

    @Test func roundTripThroughAFile() throws {
        let mlp = try MLP(inputCount: 5, hiddenSizes: [7, 3], outputCount: 2, activation: .tanh, seed: 9)
        let path = Self.temporaryPath("round-trip")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try mlp.saveCheckpoint(to: path, metadata: ["step": "12", "quote\"key": "line\nbreak"])

        var other = try MLP(inputCount: 5, hiddenSizes: [7, 3], outputCount: 2, activation: .tanh, seed: 10)
        #expect(other.parameters != mlp.parameters)
        try other.loadCheckpoint(from: path)
        #expect(other.parameters == mlp.parameters)

        let file = try SafetensorsFile(contentsOf: path)
        #expect(file.metadata == ["step": "12", "quote\"key": "line\nbreak"])
        #expect(file.tensors.map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.1.weight",
                                             "layers.1.bias", "layers.2.weight", "layers.2.bias"])
        #expect(file.tensor(named: "layers.1.weight")?.shape == [3, 7])
        let bytes = file.serialized()
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        #expect(bytes.count == 8 + headerLength + 4 * mlp.parameters.count)
        #expect(try SafetensorsFile(bytes: bytes) == file)
    }

    @Test func readsAFileWrittenByPythonSafetensors() throws {
        let file = try SafetensorsFile(contentsOf: Self.fixturePath)
        #expect(file.metadata == ["written_by": "make_fixture.py", "format": "np"])
        #expect(file.tensor(named: "layers.0.bias")?.dtype == "F64")
        #expect(file.tensor(named: "layers.0.weight")?.values == [-1, -0.5, 0, 0.5, 1, 1.5])

        var generator = Xoshiro256StarStar(seed: 0)
        var mlp = try MLP(sizes: [2, 3, 1], activations: [.relu, .identity],
                          initializations: [.pytorchDefault, .pytorchDefault], using: &generator)
        try mlp.loadCheckpoint(from: Self.fixturePath)
        #expect(Array(mlp.parameters.values(of: "layers.0.bias")!) == [0.1, -0.2, 0.3])
        // x = (1, 2): W x = (−2, 1, 4), + b = (−1.9, 0.8, 4.3), ReLU (0, 0.8, 4.3),
        // output 1·0 − 2·0.8 + 0.5·4.3 + 0.25 = 0.8.
        let output = try mlp([1, 2])
        #expect(abs(output[0] - 0.8) < 1e-6)
    }

    @Test func mismatchedCheckpointListsEveryProblem() throws {
        var mlp = try MLP(inputCount: 2, hiddenSizes: [4], outputCount: 1, activation: .tanh, seed: 1)
        let before = mlp.parameters
        var error: NeuralNetError?
        do { try mlp.loadCheckpoint(from: Self.fixturePath) } catch let e as NeuralNetError { error = e }
        #expect(error == .checkpointMismatch([
            "tensor 'layers.0.weight' has shape [3, 2] but the model expects [4, 2]",
            "tensor 'layers.0.bias' has shape [3] but the model expects [4]",
            "tensor 'layers.1.weight' has shape [1, 3] but the model expects [1, 4]",
        ]))
        #expect(mlp.parameters == before)

        var deeper = try MLP(inputCount: 2, hiddenSizes: [3, 3], outputCount: 1, activation: .tanh, seed: 1)
        do { try deeper.loadCheckpoint(from: Self.fixturePath); Issue.record("expected an error") } catch let e as NeuralNetError {
            #expect(e.description == "The checkpoint does not match the model (4 mismatches): "
                + "tensor 'layers.1.weight' has shape [1, 3] but the model expects [3, 3]; "
                + "tensor 'layers.1.bias' has shape [1] but the model expects [3]; "
                + "missing tensor 'layers.2.weight' of shape [1, 3]; missing tensor 'layers.2.bias' of shape [1].")
        }

        let extra = try SafetensorsFile(
            tensors: mlp.parameters.safetensors().tensors + [SafetensorsTensor(name: "critic.scale", shape: [], values: [1])])
        var vector = mlp.parameters
        #expect(throws: NeuralNetError.checkpointMismatch(["unexpected tensor 'critic.scale' of shape []"])) {
            try vector.load(from: extra)
        }
    }

    @Test func malformedFilesAreRejected() throws {
        let good = try MLP(inputCount: 2, hiddenSizes: [], outputCount: 1, activation: .tanh, seed: 1)
            .parameters.safetensors().serialized()
        #expect(throws: NeuralNetError.self) { try SafetensorsFile(bytes: [1, 2, 3]) }
        var tooLong = good
        tooLong[0] = 0xFF; tooLong[1] = 0xFF
        #expect(throws: NeuralNetError.self) { try SafetensorsFile(bytes: tooLong) }
        #expect(throws: NeuralNetError.self) { try SafetensorsFile(bytes: Array(good.dropLast(4))) }
        var notJSON = good
        notJSON[8] = UInt8(ascii: "[")
        #expect(throws: NeuralNetError.self) { try SafetensorsFile(bytes: notJSON) }
        let intHeader = Array(#"{"x":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#.utf8)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(intHeader.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes += intHeader + [UInt8](repeating: 0, count: 8)
        #expect(throws: NeuralNetError.malformedCheckpoint(
            "The tensor 'x' has dtype I64; only F32, F64, F16 and BF16 can be read.")) {
            try SafetensorsFile(bytes: bytes)
        }
        #expect(throws: NeuralNetError.self) { try SafetensorsFile(contentsOf: "/nonexistent/none.safetensors") }
    }

    @Test func halfPrecisionDecoding() {
        #expect(halfToFloat(0x3C00) == 1)
        #expect(halfToFloat(0xC000) == -2)
        #expect(halfToFloat(0x0001) == 0x1p-24)
        #expect(halfToFloat(0x7C00) == .infinity)
        #expect(halfToFloat(0x7E00).isNaN)
        #expect(halfToFloat(0x3555) == Float(Float16(bitPattern: 0x3555)))
    }
}

extension SafetensorsTests {
    /// Optional interoperability check: with `SAFETENSORS_PYTHON` set to a Python that has
    /// `safetensors` and `numpy`, the reference package must read what we write.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SAFETENSORS_PYTHON"] != nil))
    func pythonReadsWhatWeWrite() throws {
        let mlp = try MLP(inputCount: 3, hiddenSizes: [4], outputCount: 2, activation: .relu, seed: 3)
        let path = Self.temporaryPath("python")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try mlp.saveCheckpoint(to: path, metadata: ["k": "v"])
        let script = """
            import sys
            from safetensors import safe_open
            with safe_open(sys.argv[1], framework="np") as f:
                print(f.metadata()["k"], sum(float(f.get_tensor(k).astype("float64").sum()) for k in f.keys()), sorted(f.keys())[0])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.environment["SAFETENSORS_PYTHON"]!)
        process.arguments = ["-c", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: " ")
        #expect(process.terminationStatus == 0)
        #expect(output.first == "v")
        let expectedSum = mlp.parameters.values.reduce(0.0) { $0 + Double($1) }
        #expect(abs((Double(output.count > 1 ? output[1] : "") ?? .nan) - expectedSum) < 1e-4)
    }
}
