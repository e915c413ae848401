#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Element-wise kernels for the activations. They run on 4-lane SIMD vectors so that the
// activation pass stays cheap next to sgemm: glibc's scalar `tanhf` alone would cost
// more than the matrix products of a 64-wide MLP.

/// Coefficients of tanh(x) ≈ x + x³·P(x²) on |x| ≤ 0.625, fitted by weighted least
/// squares on the relative error (maximum relative error 8.1e-8 in Float).
private let tanhSmall: (Float, Float, Float, Float, Float) =
    (-0.333_333_1, 0.133_321_18, -0.053_791_38, 0.020_795_109, -0.005_867_747_6)

@inline(__always)
private func bits(_ x: SIMD4<Float>) -> SIMD4<UInt32> { unsafeBitCast(x, to: SIMD4<UInt32>.self) }
@inline(__always)
private func floats(_ x: SIMD4<UInt32>) -> SIMD4<Float> { unsafeBitCast(x, to: SIMD4<Float>.self) }

/// eᶻ for z in [0, 18], four lanes: z = n·ln 2 + r with |r| ≤ ln 2 / 2 (Cody–Waite split
/// of ln 2), eʳ by its degree-6 Taylor polynomial, 2ⁿ built in the exponent bits.
@inline(__always)
private func expSmallRange(_ z: SIMD4<Float>) -> SIMD4<Float> {
    let magic = SIMD4<Float>(repeating: 12_582_912)      // 1.5·2²³: adding it rounds to an integer
    let shifted = z * 1.442_695_04 + magic
    let n = shifted - magic
    let r = (z - n * 0.693_145_751_953_125) - n * 1.428_606_765_330_187e-6
    var p = SIMD4<Float>(repeating: 1.0 / 720)
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let exponent = (bits(shifted) &- bits(magic)) &+ 127
    return p * floats(exponent &<< 23)
}

/// tanh on four lanes: the odd polynomial for |x| ≤ 0.625, otherwise
/// 1 − 2 / (e^(2|x|) + 1) with |x| clamped at 9 (where tanh rounds to 1 in Float).
/// Relative error below 2·10⁻⁷ over the whole line.
@inline(__always)
func fastTanh(_ x: SIMD4<Float>) -> SIMD4<Float> {
    let xb = bits(x)
    let sign = xb & 0x8000_0000
    let a = floats(xb & 0x7FFF_FFFF)
    let t = a * a
    var p = SIMD4<Float>(repeating: tanhSmall.4)
    p = p * t + tanhSmall.3
    p = p * t + tanhSmall.2
    p = p * t + tanhSmall.1
    p = p * t + tanhSmall.0
    let small = a + a * t * p
    let e = expSmallRange(2 * a.replacing(with: 9, where: a .> 9))
    let large = 1 - 2 / (e + 1)
    let magnitude = large.replacing(with: small, where: a .<= 0.625)
    return floats(bits(magnitude) | sign)
}

/// Scalar tanh with the same arithmetic as the 4-lane kernel.
@inline(__always)
func fastTanh(_ x: Float) -> Float {
    fastTanh(SIMD4<Float>(repeating: x))[0]
}

/// log(1 + eˣ), computed as max(x, 0) + log1p(e^(−|x|)) so it neither overflows nor
/// loses the small tail.
@inline(__always)
public func softplus(_ x: Float) -> Float {
    max(x, 0) + log1pf(expf(-abs(x)))
}

/// The logistic function 1 / (1 + e^(−x)), the derivative of `softplus`.
@inline(__always)
public func sigmoid(_ x: Float) -> Float {
    x >= 0 ? 1 / (1 + expf(-x)) : expf(x) / (1 + expf(x))
}

/// Adds `bias` to every row of the row-major `[rows × columns]` matrix `y` and applies
/// `activation` in place, in one pass.
func addBiasAndActivate(
    _ activation: Activation, _ y: UnsafeMutablePointer<Float>, rows: Int, columns: Int,
    bias: UnsafePointer<Float>
) {
    let vectorColumns = columns & ~3
    for r in 0..<rows {
        let row = y + r * columns
        var c = 0
        switch activation {
        case .tanh:
            while c < vectorColumns {
                let v = UnsafeRawPointer(row + c).loadUnaligned(as: SIMD4<Float>.self)
                    + UnsafeRawPointer(bias + c).loadUnaligned(as: SIMD4<Float>.self)
                UnsafeMutableRawPointer(row + c).storeBytes(of: fastTanh(v), as: SIMD4<Float>.self)
                c += 4
            }
            while c < columns { row[c] = fastTanh(row[c] + bias[c]); c += 1 }
        case .relu:
            let zero = SIMD4<Float>(repeating: 0)
            while c < vectorColumns {
                let v = UnsafeRawPointer(row + c).loadUnaligned(as: SIMD4<Float>.self)
                    + UnsafeRawPointer(bias + c).loadUnaligned(as: SIMD4<Float>.self)
                UnsafeMutableRawPointer(row + c).storeBytes(
                    of: v.replacing(with: zero, where: v .< zero), as: SIMD4<Float>.self)
                c += 4
            }
            while c < columns { row[c] = max(row[c] + bias[c], 0); c += 1 }
        case .identity:
            while c < columns { row[c] += bias[c]; c += 1 }
        case .softplus:
            while c < columns { row[c] = softplus(row[c] + bias[c]); c += 1 }
        }
    }
}

/// Backward through the activation and the bias: turns the gradient with respect to the
/// layer's output, `gradient`, into the gradient with respect to the pre-activation
/// (in place, using the outputs `y`), and adds its column sums into `biasGradient`.
func activationBackward(
    _ activation: Activation, outputs y: UnsafePointer<Float>, gradient g: UnsafeMutablePointer<Float>,
    rows: Int, columns: Int, biasGradient: UnsafeMutablePointer<Float>
) {
    let vectorColumns = columns & ~3
    for r in 0..<rows {
        let yRow = y + r * columns
        let gRow = g + r * columns
        var c = 0
        switch activation {
        case .tanh:
            while c < vectorColumns {
                let yv = UnsafeRawPointer(yRow + c).loadUnaligned(as: SIMD4<Float>.self)
                let gv = UnsafeRawPointer(gRow + c).loadUnaligned(as: SIMD4<Float>.self) * (1 - yv * yv)
                UnsafeMutableRawPointer(gRow + c).storeBytes(of: gv, as: SIMD4<Float>.self)
                let bv = UnsafeRawPointer(biasGradient + c).loadUnaligned(as: SIMD4<Float>.self) + gv
                UnsafeMutableRawPointer(biasGradient + c).storeBytes(of: bv, as: SIMD4<Float>.self)
                c += 4
            }
        case .relu:
            let zero = SIMD4<Float>(repeating: 0)
            while c < vectorColumns {
                let yv = UnsafeRawPointer(yRow + c).loadUnaligned(as: SIMD4<Float>.self)
                var gv = UnsafeRawPointer(gRow + c).loadUnaligned(as: SIMD4<Float>.self)
                gv.replace(with: zero, where: yv .<= zero)
                UnsafeMutableRawPointer(gRow + c).storeBytes(of: gv, as: SIMD4<Float>.self)
                let bv = UnsafeRawPointer(biasGradient + c).loadUnaligned(as: SIMD4<Float>.self) + gv
                UnsafeMutableRawPointer(biasGradient + c).storeBytes(of: bv, as: SIMD4<Float>.self)
                c += 4
            }
        case .identity:
            while c < vectorColumns {
                let gv = UnsafeRawPointer(gRow + c).loadUnaligned(as: SIMD4<Float>.self)
                let bv = UnsafeRawPointer(biasGradient + c).loadUnaligned(as: SIMD4<Float>.self) + gv
                UnsafeMutableRawPointer(biasGradient + c).storeBytes(of: bv, as: SIMD4<Float>.self)
                c += 4
            }
        case .softplus:
            break
        }
        while c < columns {
            gRow[c] *= activation.derivative(fromOutput: yRow[c])
            biasGradient[c] += gRow[c]
            c += 1
        }
    }
}
