/// One fully connected layer of an `MLP`: y = f(x Wᵀ + b), with W stored row-major as
/// `[outputCount × inputCount]` (PyTorch's `nn.Linear` convention, so checkpoints load
/// into PyTorch unchanged) and b as `[outputCount]`, both inside the model's
/// `ParameterVector`.
public struct DenseLayer: Hashable, Sendable, Codable {
    /// Width of the layer's input.
    public let inputCount: Int
    /// Width of the layer's output.
    public let outputCount: Int
    /// The nonlinearity applied after the affine map.
    public let activation: Activation
    /// Offset of W in the model's parameter vector.
    public let weightOffset: Int
    /// Offset of b in the model's parameter vector.
    public let biasOffset: Int

    /// Multiply–adds per input row (inputCount × outputCount).
    public var multiplyAdds: Int { inputCount * outputCount }
}

// MARK: - Kernels

/// Batched forward of one layer: y = f(x Wᵀ + b) for `rows` rows; one sgemm, then bias
/// and activation in one pass.
func denseForwardBatched(
    _ layer: DenseLayer, parameters: UnsafePointer<Float>, input x: UnsafePointer<Float>,
    output y: UnsafeMutablePointer<Float>, rows: Int
) {
    BLAS.gemm(
        transposeA: false, transposeB: true, m: rows, n: layer.outputCount, k: layer.inputCount,
        alpha: 1, a: x, lda: layer.inputCount, b: parameters + layer.weightOffset, ldb: layer.inputCount,
        beta: 0, c: y, ldc: layer.outputCount)
    addBiasAndActivate(
        layer.activation, y, rows: rows, columns: layer.outputCount, bias: parameters + layer.biasOffset)
}

/// Forward of one layer for one row with plain loops: four output units at a time, each
/// a 4-lane dot product over the input. For a single observation this beats sgemm,
/// whose call overhead is larger than the whole product (measured by `shoal bench nn`).
func denseForwardSingle(
    _ layer: DenseLayer, parameters: UnsafePointer<Float>, input x: UnsafePointer<Float>,
    output y: UnsafeMutablePointer<Float>
) {
    let n = layer.inputCount, m = layer.outputCount
    let w = parameters + layer.weightOffset
    let b = parameters + layer.biasOffset
    let vectorN = n & ~3
    @inline(__always) func load(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
    }
    @inline(__always) func sums(
        _ a0: SIMD4<Float>, _ a1: SIMD4<Float>, _ a2: SIMD4<Float>, _ a3: SIMD4<Float>
    ) -> SIMD4<Float> {
        // Four horizontal sums at once: transpose-and-add.
        let lo01 = SIMD4(a0[0], a1[0], a0[1], a1[1]) + SIMD4(a0[2], a1[2], a0[3], a1[3])
        let lo23 = SIMD4(a2[0], a3[0], a2[1], a3[1]) + SIMD4(a2[2], a3[2], a2[3], a3[3])
        return SIMD4(lo01[0], lo01[1], lo23[0], lo23[1]) + SIMD4(lo01[2], lo01[3], lo23[2], lo23[3])
    }
    var o = 0
    if vectorN == n {
        // Eight output units at a time: eight independent accumulators hide the add
        // latency, and each load of x serves eight rows.
        while o + 8 <= m {
            let w0 = w + o * n
            var a0 = SIMD4<Float>(), a1 = SIMD4<Float>(), a2 = SIMD4<Float>(), a3 = SIMD4<Float>()
            var a4 = SIMD4<Float>(), a5 = SIMD4<Float>(), a6 = SIMD4<Float>(), a7 = SIMD4<Float>()
            var i = 0
            while i < n {
                let xv = load(x + i)
                a0 += load(w0 + i) * xv
                a1 += load(w0 + n + i) * xv
                a2 += load(w0 + 2 * n + i) * xv
                a3 += load(w0 + 3 * n + i) * xv
                a4 += load(w0 + 4 * n + i) * xv
                a5 += load(w0 + 5 * n + i) * xv
                a6 += load(w0 + 6 * n + i) * xv
                a7 += load(w0 + 7 * n + i) * xv
                i += 4
            }
            let low = sums(a0, a1, a2, a3) + load(b + o)
            let high = sums(a4, a5, a6, a7) + load(b + o + 4)
            UnsafeMutableRawPointer(y + o).storeBytes(of: low, as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(y + o + 4).storeBytes(of: high, as: SIMD4<Float>.self)
            o += 8
        }
    }
    while o + 4 <= m {
        let w0 = w + o * n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n
        var a0 = SIMD4<Float>(), a1 = SIMD4<Float>(), a2 = SIMD4<Float>(), a3 = SIMD4<Float>()
        var i = 0
        while i < vectorN {
            let xv = load(x + i)
            a0 += load(w0 + i) * xv
            a1 += load(w1 + i) * xv
            a2 += load(w2 + i) * xv
            a3 += load(w3 + i) * xv
            i += 4
        }
        var s0 = a0.sum(), s1 = a1.sum(), s2 = a2.sum(), s3 = a3.sum()
        while i < n {
            s0 += w0[i] * x[i]; s1 += w1[i] * x[i]; s2 += w2[i] * x[i]; s3 += w3[i] * x[i]
            i += 1
        }
        y[o] = s0 + b[o]; y[o + 1] = s1 + b[o + 1]; y[o + 2] = s2 + b[o + 2]; y[o + 3] = s3 + b[o + 3]
        o += 4
    }
    while o < m {
        let wo = w + o * n
        var a = SIMD4<Float>()
        var i = 0
        while i < vectorN { a += load(wo + i) * load(x + i); i += 4 }
        var s = a.sum()
        while i < n { s += wo[i] * x[i]; i += 1 }
        y[o] = s + b[o]
        o += 1
    }
    applyActivation(layer.activation, y, count: m)
}

/// Applies `activation` in place to `count` contiguous values.
func applyActivation(_ activation: Activation, _ y: UnsafeMutablePointer<Float>, count: Int) {
    var c = 0
    switch activation {
    case .identity:
        return
    case .tanh:
        while c + 4 <= count {
            let v = UnsafeRawPointer(y + c).loadUnaligned(as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(y + c).storeBytes(of: fastTanh(v), as: SIMD4<Float>.self)
            c += 4
        }
        while c < count { y[c] = fastTanh(y[c]); c += 1 }
    case .relu:
        while c < count { y[c] = max(y[c], 0); c += 1 }
    case .softplus:
        while c < count { y[c] = softplus(y[c]); c += 1 }
    }
}

/// Batched backward of one layer. On entry `outputGradient` holds ∂L/∂y (`rows × out`);
/// it is overwritten with ∂L/∂(pre-activation). Accumulates ∂L/∂W and ∂L/∂b into
/// `gradient` (same layout as the parameters) and, if `inputGradient` is given, writes
/// ∂L/∂x (`rows × in`) there.
func denseBackwardBatched(
    _ layer: DenseLayer, parameters: UnsafePointer<Float>, input x: UnsafePointer<Float>,
    output y: UnsafePointer<Float>, outputGradient g: UnsafeMutablePointer<Float>,
    gradient: UnsafeMutablePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?, rows: Int
) {
    let n = layer.inputCount, m = layer.outputCount
    activationBackward(
        layer.activation, outputs: y, gradient: g, rows: rows, columns: m,
        biasGradient: gradient + layer.biasOffset)
    // ∂L/∂W += gᵀ x : [m × rows] · [rows × n]
    BLAS.gemm(
        transposeA: true, transposeB: false, m: m, n: n, k: rows,
        alpha: 1, a: g, lda: m, b: x, ldb: n, beta: 1, c: gradient + layer.weightOffset, ldc: n)
    if let dx = inputGradient {
        // ∂L/∂x = g W : [rows × m] · [m × n]
        BLAS.gemm(
            transposeA: false, transposeB: false, m: rows, n: n, k: m,
            alpha: 1, a: g, lda: m, b: parameters + layer.weightOffset, ldb: n, beta: 0, c: dx, ldc: n)
    }
}
