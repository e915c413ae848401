#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Measures an `MLP`'s forward+backward throughput and single-observation latency
/// against the machine's own sgemm on the same shapes, in the same run (behind
/// `shoal bench nn`). Figures are only meaningful in release builds.
public struct MLPBenchmark: Sendable {
    /// What one run measured.
    public struct Result: Sendable, Codable {
        /// Layer widths, input first.
        public var sizes: [Int]
        /// Rows per batch.
        public var batch: Int
        /// Floating-point operations of the matrix products in one forward+backward pass
        /// (2 per multiply–add; the input layer's ∂L/∂x is not computed).
        public var flopsPerPass: Int
        /// The MLP's forward+backward throughput, counting `flopsPerPass` per pass.
        public var gflops: Double
        /// The same products as bare sgemm calls, same shapes and transposes.
        public var sgemmGflops: Double
        /// Seconds per forward+backward pass (best trial).
        public var passSeconds: Double
        /// Seconds for the bare sgemm calls of one pass (best trial).
        public var sgemmSeconds: Double
        /// Single-observation forward through the public `MLP.forward`, µs (the kernel it
        /// picks, plus argument checks and the input copy).
        public var singleForwardMicroseconds: Double
        /// Single-observation forward, bare plain-loop kernel, µs.
        public var singleForwardLoopMicroseconds: Double
        /// Single-observation forward, bare sgemm kernel, µs.
        public var singleForwardSgemmMicroseconds: Double
        /// Forward of the whole batch row by row with the plain-loop kernel, µs.
        public var forwardLoopMicroseconds: Double
        /// Forward of the whole batch with the sgemm kernel, µs.
        public var forwardSgemmMicroseconds: Double
        /// OpenBLAS threads used.
        public var blasThreads: Int
    }

    /// The model measured.
    public let mlp: MLP
    /// Rows per batch.
    public let batch: Int
    /// Independent timing trials; the best is kept (the machine may be shared).
    public var trials = 7
    /// Minimum duration of one trial, seconds.
    public var trialSeconds = 0.05

    /// A benchmark of a seeded MLP with the given widths.
    /// - Throws: `NeuralNetError.invalidArgument` for non-positive widths or batch.
    public init(sizes: [Int], activation: Activation, batch: Int, seed: UInt64 = 0) throws {
        guard batch > 0 else {
            throw NeuralNetError.invalidArgument("The batch size must be positive, got \(batch).")
        }
        var generator = Xoshiro256StarStar(seed: seed)
        let layerCount = sizes.count - 1
        mlp = try MLP(
            sizes: sizes, activations: Array(repeating: activation, count: max(layerCount - 1, 0)) + [.identity],
            initializations: Array(repeating: .orthogonal(gain: Float(2).squareRoot()), count: max(layerCount, 0)),
            using: &generator)
        self.batch = batch
    }

    /// Runs the measurement.
    public func run() throws -> Result {
        var generator = Xoshiro256StarStar(seed: 1)
        let input = (0..<(batch * mlp.inputCount)).map { _ in Float(generator.nextStandardNormal()) }
        let outputGradient = (0..<(batch * mlp.outputCount)).map { _ in Float(generator.nextStandardNormal()) }
        var workspace = mlp.makeWorkspace(batchCapacity: batch)
        var gradient = mlp.makeGradient()

        var multiplyAdds = 0
        for (k, layer) in mlp.layers.enumerated() { multiplyAdds += layer.multiplyAdds * (k == 0 ? 2 : 3) }
        let flops = 2 * batch * multiplyAdds

        // Bare sgemm on the same shapes: forward x Wᵀ, ∂W += gᵀ x, ∂x = g W.
        let widest = mlp.sizes.max()!
        var a = (0..<(batch * widest)).map { _ in Float(generator.nextStandardNormal()) }
        var b = a
        var c = [Float](repeating: 0, count: batch * widest)
        var w = [Float](repeating: 0.01, count: widest * widest)
        let layers = mlp.layers
        let batch = self.batch
        func sgemmPass() {
            a.withUnsafeMutableBufferPointer { a in
                b.withUnsafeMutableBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        w.withUnsafeMutableBufferPointer { w in
                            let a = a.baseAddress!, b = b.baseAddress!, c = c.baseAddress!, w = w.baseAddress!
                            for l in layers {
                                BLAS.gemm(transposeA: false, transposeB: true, m: batch, n: l.outputCount,
                                          k: l.inputCount, alpha: 1, a: a, lda: l.inputCount, b: w,
                                          ldb: l.inputCount, beta: 0, c: c, ldc: l.outputCount)
                            }
                            for (k, l) in layers.enumerated().reversed() {
                                BLAS.gemm(transposeA: true, transposeB: false, m: l.outputCount, n: l.inputCount,
                                          k: batch, alpha: 1, a: b, lda: l.outputCount, b: a, ldb: l.inputCount,
                                          beta: 1, c: w, ldc: l.inputCount)
                                if k > 0 {
                                    BLAS.gemm(transposeA: false, transposeB: false, m: batch, n: l.inputCount,
                                              k: l.outputCount, alpha: 1, a: b, lda: l.outputCount, b: w,
                                              ldb: l.inputCount, beta: 0, c: c, ldc: l.inputCount)
                                }
                            }
                        }
                    }
                }
            }
        }
        func mlpPass() throws {
            try mlp.forward(input, batchSize: batch, workspace: &workspace)
            try mlp.backward(outputGradient: outputGradient, workspace: &workspace, gradient: &gradient)
        }

        // Interleave trials so both see the same machine load; keep each one's best.
        var best = (pass: Double.infinity, sgemm: Double.infinity)
        try mlpPass(); sgemmPass()
        for _ in 0..<trials {
            best.pass = min(best.pass, try Self.secondsPerCall(atLeast: trialSeconds) { try mlpPass() })
            best.sgemm = min(best.sgemm, Self.secondsPerCall(atLeast: trialSeconds) { sgemmPass() })
        }

        // Forward only, both kernels: one row (the single-observation latency) and the
        // benchmark's batch (which kernel `MLP.forward` should pick at this size).
        let single = try forwardSeconds(rows: 1, input: input)
        let batched = try forwardSeconds(rows: batch, input: input)
        return Result(
            sizes: mlp.sizes, batch: batch, flopsPerPass: flops,
            gflops: Double(flops) / best.pass / 1e9, sgemmGflops: Double(flops) / best.sgemm / 1e9,
            passSeconds: best.pass, sgemmSeconds: best.sgemm,
            singleForwardMicroseconds: single.api * 1e6, singleForwardLoopMicroseconds: single.loop * 1e6,
            singleForwardSgemmMicroseconds: single.sgemm * 1e6,
            forwardLoopMicroseconds: batched.loop * 1e6, forwardSgemmMicroseconds: batched.sgemm * 1e6,
            blasThreads: BLAS.threadCount)
    }

    /// Best seconds per forward pass of `rows` rows: through the public API, and through
    /// each bare kernel.
    func forwardSeconds(rows: Int, input: [Float]) throws -> (api: Double, loop: Double, sgemm: Double) {
        let rowsInput = Array(input[0..<(rows * mlp.inputCount)])
        var workspace = mlp.makeWorkspace(batchCapacity: rows)
        let widest = mlp.sizes.max()!
        var scratch = [Float](repeating: 0, count: 2 * widest * rows)
        let layers = mlp.layers
        func kernels(loop: Bool) {
            mlp.parameters.withUnsafeBufferPointer { p in
                scratch.withUnsafeMutableBufferPointer { s in
                    let s = s.baseAddress!
                    s.update(from: rowsInput, count: rowsInput.count)
                    var x = s, y = s + widest * rows
                    for l in layers {
                        if loop {
                            for r in 0..<rows {
                                denseForwardSingle(l, parameters: p.baseAddress!, input: x + r * l.inputCount,
                                                   output: y + r * l.outputCount)
                            }
                        } else {
                            denseForwardBatched(l, parameters: p.baseAddress!, input: x, output: y, rows: rows)
                        }
                        swap(&x, &y)
                    }
                }
            }
        }
        // Forward passes take microseconds: many short trials give the best chance of one
        // that no other process interrupted (the machine may be shared).
        var best = (api: Double.infinity, loop: Double.infinity, sgemm: Double.infinity)
        for _ in 0..<(4 * trials) {
            best.api = min(best.api, try Self.secondsPerCall(atLeast: trialSeconds / 20) {
                try mlp.forward(rowsInput, batchSize: rows, workspace: &workspace)
            })
            best.loop = min(best.loop, Self.secondsPerCall(atLeast: trialSeconds / 20) { kernels(loop: true) })
            best.sgemm = min(best.sgemm, Self.secondsPerCall(atLeast: trialSeconds / 20) { kernels(loop: false) })
        }
        return best
    }

    /// Calls `body` repeatedly for at least `seconds` and returns the mean seconds per call.
    static func secondsPerCall(atLeast seconds: Double, _ body: () throws -> Void) rethrows -> Double {
        var calls = 0
        let start = now()
        var elapsed = 0.0
        var batchOfCalls = 1
        while elapsed < seconds {
            for _ in 0..<batchOfCalls { try body() }
            calls += batchOfCalls
            batchOfCalls *= 2
            elapsed = now() - start
        }
        return elapsed / Double(calls)
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
