/// Measures a `Conv2D` layer's forward+backward throughput against the machine's own
/// sgemm on the same matrix products, in the same run (the conv line of
/// `shoal bench nn`). Figures are only meaningful in release builds.
///
/// One pass is forward, then backward with ∂L/∂W, ∂L/∂b and ∂L/∂x. Its flops are the
/// three products per sample — Y = W·col, ∂W += G·colᵀ, ∂col = Wᵀ·G — each
/// 2·C′·C·k²·H′·W′; the bare-sgemm figure runs exactly those products, so the ratio
/// shows what im2col, col2im, bias and activation cost on top.
public struct ConvBenchmark: Sendable {
    /// What one run measured.
    public struct Result: Sendable, Codable {
        /// The layer measured.
        public var layer: Conv2D
        /// Samples per batch.
        public var batch: Int
        /// Floating-point operations of the matrix products in one forward+backward pass.
        public var flopsPerPass: Int
        /// The layer's forward+backward throughput, counting `flopsPerPass` per pass.
        public var gflops: Double
        /// The same products as bare sgemm calls, same shapes and transposes.
        public var sgemmGflops: Double
        /// Seconds per forward+backward pass (best trial).
        public var passSeconds: Double
        /// Seconds for the bare sgemm calls of one pass (best trial).
        public var sgemmSeconds: Double
        /// OpenBLAS threads used.
        public var blasThreads: Int
    }

    /// The layer measured.
    public let layer: Conv2D
    /// Samples per batch.
    public let batch: Int
    /// Independent timing trials; the best is kept (the machine may be shared).
    public var trials = 7
    /// Minimum duration of one trial, seconds.
    public var trialSeconds = 0.05

    /// A benchmark of `layer` on batches of `batch` samples.
    /// - Throws: `NeuralNetError.invalidArgument` for a non-positive batch.
    public init(layer: Conv2D, batch: Int) throws {
        guard batch > 0 else {
            throw NeuralNetError.invalidArgument("The batch size must be positive, got \(batch).")
        }
        self.layer = layer
        self.batch = batch
    }

    /// Runs the measurement.
    public func run() throws -> Result {
        var generator = Xoshiro256StarStar(seed: 1)
        let parameters = try layer.makeParameters(
            initialization: .kaimingUniform(gain: Float(2).squareRoot()), using: &generator)
        let input = (0..<(batch * layer.inputCount)).map { _ in Float(generator.nextStandardNormal()) }
        let outputGradient = (0..<(batch * layer.outputCount)).map { _ in Float(generator.nextStandardNormal()) }
        var workspace = layer.makeWorkspace(batchCapacity: batch)
        var gradient = ParameterVector(zeroing: parameters.layout)
        let flops = 3 * 2 * batch * layer.multiplyAdds

        let (m, k, n) = (layer.outputChannels, layer.patchCount, layer.positionCount)
        var col = (0..<(k * n)).map { _ in Float(generator.nextStandardNormal()) }
        var dcol = [Float](repeating: 0, count: k * n)
        var w = (0..<(m * k)).map { _ in Float(generator.nextStandardNormal()) }
        var dw = [Float](repeating: 0, count: m * k)
        var y = [Float](repeating: 0, count: batch * m * n)
        var g = (0..<(batch * m * n)).map { _ in Float(generator.nextStandardNormal()) }
        let batch = self.batch
        func sgemmPass() {
            col.withUnsafeMutableBufferPointer { col in
                dcol.withUnsafeMutableBufferPointer { dcol in
                    w.withUnsafeMutableBufferPointer { w in
                        dw.withUnsafeMutableBufferPointer { dw in
                            y.withUnsafeMutableBufferPointer { y in
                                g.withUnsafeMutableBufferPointer { g in
                                    let col = col.baseAddress!, dcol = dcol.baseAddress!, w = w.baseAddress!
                                    let dw = dw.baseAddress!, y = y.baseAddress!, g = g.baseAddress!
                                    for s in 0..<batch {
                                        BLAS.gemm(transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1,
                                                  a: w, lda: k, b: col, ldb: n, beta: 0, c: y + s * m * n, ldc: n)
                                    }
                                    for s in 0..<batch {
                                        BLAS.gemm(transposeA: false, transposeB: true, m: m, n: k, k: n, alpha: 1,
                                                  a: g + s * m * n, lda: n, b: col, ldb: n, beta: 1, c: dw, ldc: k)
                                        BLAS.gemm(transposeA: true, transposeB: false, m: k, n: n, k: m, alpha: 1,
                                                  a: w, lda: k, b: g + s * m * n, ldb: n, beta: 0, c: dcol, ldc: n)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let layer = self.layer
        func convPass() throws {
            try layer.forward(input, batchSize: batch, parameters: parameters, workspace: &workspace)
            try layer.backward(
                outputGradient: outputGradient, parameters: parameters, workspace: &workspace, gradient: &gradient,
                computeInputGradient: true)
        }

        // Interleave trials so both see the same machine load; keep each one's best.
        var best = (pass: Double.infinity, sgemm: Double.infinity)
        try convPass(); sgemmPass()
        for _ in 0..<trials {
            best.pass = min(best.pass, try MLPBenchmark.secondsPerCall(atLeast: trialSeconds) { try convPass() })
            best.sgemm = min(best.sgemm, MLPBenchmark.secondsPerCall(atLeast: trialSeconds) { sgemmPass() })
        }
        return Result(
            layer: layer, batch: batch, flopsPerPass: flops,
            gflops: Double(flops) / best.pass / 1e9, sgemmGflops: Double(flops) / best.sgemm / 1e9,
            passSeconds: best.pass, sgemmSeconds: best.sgemm, blasThreads: BLAS.threadCount)
    }
}
