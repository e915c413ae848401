import ArgumentParser
import Foundation
import NeuralNets

/// `shoal bench nn`: forward+backward throughput of an MLP against the machine's own
/// sgemm on the same shapes, single-observation forward latency, and the same for one
/// encoder-sized `Conv2D` layer.
struct BenchNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nn",
        abstract: "Measure MLP forward+backward throughput against sgemm, and single-observation latency.",
        discussion: """
            The model is inputs → layers… → outputs with the chosen activation on the hidden \
            layers and a linear output. gflops counts the matrix products of one forward and \
            one backward pass (2 flops per multiply-add; no input gradient for the first layer); \
            sgemm_gflops runs exactly those products as bare OpenBLAS sgemm calls in the same run. \
            The conv line does the same for one Conv2D layer (batch-first [batch, channels, height, \
            width], im2col + sgemm): forward, then backward with weight, bias and input gradients; \
            its flops are the three products per sample, and its sgemm figure runs exactly those. \
            Build with -c release for meaningful figures.
            """)

    @Option(help: "Hidden layer widths, comma-separated (e.g. 64,64).")
    var layers: String = "64,64"

    @Option(help: "Hidden activation: tanh, relu, softplus or identity.")
    var activation: String = "tanh"

    @Option(parsing: .unconditional, help: "Rows per batch for the forward+backward measurement.")
    var batch: Int = 256

    @Option(parsing: .unconditional, help: "Width of the network input (observation size).")
    var inputs: Int = 8

    @Option(parsing: .unconditional, help: "Width of the network output.")
    var outputs: Int = 1

    @Option(parsing: .unconditional, help: "OpenBLAS threads (1 is fastest for small shapes on a shared machine).")
    var blasThreads: Int = 1

    @Option(parsing: .unconditional, help: "Timing trials; the best of each kind is kept.")
    var trials: Int = 7

    @Option(parsing: .unconditional, help: "Conv line: samples per batch.")
    var convBatch: Int = 64

    @Option(parsing: .unconditional, help: "Conv line: input channels.")
    var convInputChannels: Int = 3

    @Option(parsing: .unconditional, help: "Conv line: output channels.")
    var convOutputChannels: Int = 16

    @Option(parsing: .unconditional, help: "Conv line: input height and width (square image).")
    var convSize: Int = 32

    @Option(parsing: .unconditional, help: "Conv line: kernel side.")
    var convKernel: Int = 3

    @Option(parsing: .unconditional, help: "Conv line: stride.")
    var convStride: Int = 1

    @Option(parsing: .unconditional, help: "Conv line: zero padding on every side.")
    var convPadding: Int = 1

    @Option(help: "Conv line: activation (tanh, relu, softplus or identity).")
    var convActivation: String = "relu"

    @Flag(help: "Print one JSON object: layers, batch, gflops, sgemm_gflops, single_forward_us, conv_gflops, conv_sgemm_gflops.")
    var json = false

    var hiddenSizes: [Int] = []
    var parsedActivation: Activation = .tanh
    var convLayer: Conv2D? = nil

    enum CodingKeys: String, CodingKey {
        case layers, activation, batch, inputs, outputs, blasThreads, trials, json
        case convActivation, convBatch, convInputChannels, convOutputChannels, convSize, convKernel, convStride, convPadding
    }

    /// Largest number of floats a model or a batch's activations may take (400 MB).
    static let maximumValues = 100_000_000

    mutating func validate() throws {
        guard !layers.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--layers needs at least one hidden width, e.g. --layers 64,64.")
        }
        let parts = layers.split(separator: ",", omittingEmptySubsequences: false)
        var sizes: [Int] = []
        for part in parts {
            guard let width = Int(part.trimmingCharacters(in: .whitespaces)), width > 0 else {
                throw ValidationError(
                    "--layers must be positive integers separated by commas (e.g. 64,64), but '\(layers)' contains '\(part)'.")
            }
            sizes.append(width)
        }
        hiddenSizes = sizes
        do { parsedActivation = try Activation(parsing: activation) } catch let error as NeuralNetError {
            throw ValidationError(error.description)
        }
        guard batch > 0 else { throw ValidationError("--batch must be a positive integer, got \(batch).") }
        guard inputs > 0 else { throw ValidationError("--inputs must be a positive integer, got \(inputs).") }
        guard outputs > 0 else { throw ValidationError("--outputs must be a positive integer, got \(outputs).") }
        guard blasThreads > 0 else { throw ValidationError("--blas-threads must be positive, got \(blasThreads).") }
        guard trials > 0 else { throw ValidationError("--trials must be positive, got \(trials).") }
        let widths = [inputs] + hiddenSizes + [outputs]
        let parameterCount = zip(widths, widths.dropFirst()).reduce(0.0) { $0 + Double($1.0 + 1) * Double($1.1) }
        guard parameterCount <= Double(Self.maximumValues),
            Double(batch) * Double(widths.max()!) * Double(widths.count) <= Double(Self.maximumValues)
        else {
            throw ValidationError(
                "The model or batch is too large to benchmark: keep parameters and batch × widths × layers "
                    + "below \(Self.maximumValues) values.")
        }
        guard convBatch > 0 else { throw ValidationError("--conv-batch must be a positive integer, got \(convBatch).") }
        do {
            let layer = try Conv2D(
                inputChannels: convInputChannels, outputChannels: convOutputChannels, inputHeight: convSize,
                inputWidth: convSize, kernelSize: convKernel, stride: convStride, padding: convPadding,
                activation: try Activation(parsing: convActivation))
            let values = Double(convBatch) * Double(layer.inputCount + layer.outputCount) * 2
                + 2 * Double(layer.patchCount) * Double(layer.positionCount)
            guard values <= Double(Self.maximumValues) else {
                throw ValidationError(
                    "The conv layer or batch is too large to benchmark: keep its buffers below \(Self.maximumValues) values.")
            }
            convLayer = layer
        } catch let error as NeuralNetError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        BLAS.setThreadCount(blasThreads)
        var benchmark = try MLPBenchmark(
            sizes: [inputs] + hiddenSizes + [outputs], activation: parsedActivation, batch: batch)
        benchmark.trials = trials
        let result = try benchmark.run()
        guard let convLayer else { throw ValidationError("The conv layer was not validated.") }
        var convBenchmark = try ConvBenchmark(layer: convLayer, batch: convBatch)
        convBenchmark.trials = trials
        let conv = try convBenchmark.run()
        if json {
            let layerList = hiddenSizes.map(String.init).joined(separator: ",")
            print(
                "{\"layers\":[\(layerList)],\"batch\":\(batch),"
                    + "\"gflops\":\(Self.format(result.gflops)),\"sgemm_gflops\":\(Self.format(result.sgemmGflops)),"
                    + "\"single_forward_us\":\(Self.format(result.singleForwardMicroseconds)),"
                    + "\"conv_gflops\":\(Self.format(conv.gflops)),\"conv_sgemm_gflops\":\(Self.format(conv.sgemmGflops))}")
        } else {
            let shape = result.sizes.map(String.init).joined(separator: "→")
            print("MLP \(shape), \(parsedActivation.rawValue) hidden, batch \(batch), OpenBLAS threads \(result.blasThreads)")
            print("  forward+backward   \(Self.format(result.gflops)) GFLOP/s  (\(Self.format(result.passSeconds * 1e6)) µs per pass, \(result.flopsPerPass) flops)")
            print("  sgemm, same shapes \(Self.format(result.sgemmGflops)) GFLOP/s  (\(Self.format(result.sgemmSeconds * 1e6)) µs)")
            print("  ratio              \(Self.format(100 * result.gflops / result.sgemmGflops)) % of sgemm")
            print("  single forward     \(Self.format(result.singleForwardMicroseconds)) µs through MLP.forward "
                + "(bare kernels: loops \(Self.format(result.singleForwardLoopMicroseconds)) µs, "
                + "sgemm \(Self.format(result.singleForwardSgemmMicroseconds)) µs)")
            print("  batch forward      loops \(Self.format(result.forwardLoopMicroseconds)) µs, "
                + "sgemm \(Self.format(result.forwardSgemmMicroseconds)) µs")
            let l = conv.layer
            print("Conv2D \(l.inputChannels)→\(l.outputChannels) channels, \(l.inputHeight)×\(l.inputWidth), "
                + "\(l.kernelSize)×\(l.kernelSize) kernel, stride \(l.stride), padding \(l.padding), "
                + "\(l.activation.rawValue), batch \(conv.batch) [batch, channels, height, width]")
            print("  forward+backward   \(Self.format(conv.gflops)) GFLOP/s  (\(Self.format(conv.passSeconds * 1e6)) µs per pass, \(conv.flopsPerPass) flops)")
            print("  sgemm, same shapes \(Self.format(conv.sgemmGflops)) GFLOP/s  (\(Self.format(conv.sgemmSeconds * 1e6)) µs)")
            print("  ratio              \(Self.format(100 * conv.gflops / conv.sgemmGflops)) % of sgemm")
        }
    }

    static func format(_ x: Double) -> String { String(format: "%.3f", x) }
}
