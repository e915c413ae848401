#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `sin` and `cos` inlined instead of called: for the small angles of the cart-pole family, and
// with an argument reduction (``sinCos(_:)``) for the pendulum.
//
// On |x| ≤ π/4 they evaluate the kernel polynomials of fdlibm (Sun Microsystems, 1993; the
// coefficients of its `__kernel_sin` and `__kernel_cos`, the latter in the rearrangement that
// musl uses), whose error is below one unit in the last place: the result is libm's or its
// neighbour (libm's own `sin`/`cos` differ from the exact value by under one unit as well).
// Beyond π/4, and for non-finite input, they call libm.
//
// Why: the cart-pole's angle stays within its termination threshold (12° by default), so every
// step takes the polynomial branch, which costs about a third of two libm calls and keeps the
// row loop free of calls. The single-copy environments and the native batch use the same
// functions, so they stay bit-identical to each other; the Gymnasium trajectories are reproduced
// within their tolerances (checked by the reference conformance tests).

@usableFromInline let kernelS1 = -1.66666666666666324348e-01
@usableFromInline let kernelS2 = 8.33333333332248946124e-03
@usableFromInline let kernelS3 = -1.98412698298579493134e-04
@usableFromInline let kernelS4 = 2.75573137070700676789e-06
@usableFromInline let kernelS5 = -2.50507602534068634195e-08
@usableFromInline let kernelS6 = 1.58969099521155010221e-10
@usableFromInline let kernelC1 = 4.16666666666666019037e-02
@usableFromInline let kernelC2 = -1.38888888888741095749e-03
@usableFromInline let kernelC3 = 2.48015872894767294178e-05
@usableFromInline let kernelC4 = -2.75573143513906633035e-07
@usableFromInline let kernelC5 = 2.08757232129817482790e-09
@usableFromInline let kernelC6 = -1.13596475577881948265e-11

/// The largest |x| evaluated by the polynomials (just under π/4).
@usableFromInline let smallAngleLimit = 0.785398163397448

/// `sin x`: a polynomial on |x| ≤ π/4 (error below one ulp), libm's `sin` elsewhere.
@inlinable @inline(__always)
public func smallAngleSin(_ x: Double) -> Double {
    abs(x) <= smallAngleLimit ? sinPolynomial(x) : sin(x)
}

/// `cos x`: a polynomial on |x| ≤ π/4 (error below one ulp), libm's `cos` elsewhere.
@inlinable @inline(__always)
public func smallAngleCos(_ x: Double) -> Double {
    abs(x) <= smallAngleLimit ? cosPolynomial(x) : cos(x)
}

/// Whether ``smallAngleSin(_:)`` and ``smallAngleCos(_:)`` evaluate their polynomials at `x`.
@inlinable @inline(__always)
public func isSmallAngle(_ x: Double) -> Bool { abs(x) <= smallAngleLimit }

/// The sine polynomial alone (meaningful on |x| ≤ π/4): a batch evaluates it on every row
/// without branches, then calls libm for the rows outside the range.
@inlinable @inline(__always)
public func sinPolynomial(_ x: Double) -> Double {
    let z = x * x, v = z * x
    let r = kernelS2 + z * (kernelS3 + z * (kernelS4 + z * (kernelS5 + z * kernelS6)))
    let y = x + v * (kernelS1 + z * r)
    // −0 + (+0) is +0; libm keeps the sign of a zero argument.
    return x == 0 ? x : y
}

/// The cosine polynomial alone (meaningful on |x| ≤ π/4).
@inlinable @inline(__always)
public func cosPolynomial(_ x: Double) -> Double {
    let w = x * x, w2 = w * w
    let r = w * (kernelC1 + w * (kernelC2 + w * kernelC3)) + w2 * w2 * (kernelC4 + w * (kernelC5 + w * kernelC6))
    let hz = 0.5 * w
    let one = 1.0 - hz
    return one + (((1.0 - one) - hz) + w * r)
}

// Argument reduction for `sinCos(_:)`: π/2 split into pieces of 33 bits (fdlibm's
// `__ieee754_rem_pio2`, medium case), so that `x − n·π/2` is exact to about 2⁻¹¹⁰ relative.
@usableFromInline let reductionInversePiOver2 = 6.36619772367581382433e-01
@usableFromInline let piOver2Part1 = 1.57079632673412561417e+00
@usableFromInline let piOver2Part1Tail = 6.07710050650619224932e-11
@usableFromInline let piOver2Part2 = 6.07710050630396597660e-11
@usableFromInline let piOver2Part2Tail = 2.02226624879595063154e-21
@usableFromInline let piOver2Part3 = 2.02226624871116645580e-21
@usableFromInline let piOver2Part3Tail = 8.47842766036889956997e-32

/// The sine polynomial of a reduced argument `x + y` (|x + y| ≤ π/4, `y` the tail of `x`).
@inlinable @inline(__always)
func sinPolynomial(_ x: Double, tail y: Double) -> Double {
    let z = x * x, w = z * z, v = z * x
    let r = kernelS2 + z * (kernelS3 + z * kernelS4) + z * w * (kernelS5 + z * kernelS6)
    return x - ((z * (0.5 * y - v * r) - y) - v * kernelS1)
}

/// The cosine polynomial of a reduced argument `x + y`.
@inlinable @inline(__always)
func cosPolynomial(_ x: Double, tail y: Double) -> Double {
    let w = x * x, w2 = w * w
    let r = w * (kernelC1 + w * (kernelC2 + w * kernelC3)) + w2 * w2 * (kernelC4 + w * (kernelC5 + w * kernelC6))
    let hz = 0.5 * w
    let one = 1.0 - hz
    return one + (((1.0 - one) - hz) + (w * r - x * y))
}

/// The biased exponent of `x`.
@inlinable @inline(__always)
func biasedExponent(_ x: Double) -> Int { Int((x.bitPattern >> 52) & 0x7ff) }

/// `(sin x, cos x)` from one argument reduction, each within one ulp of libm: the polynomials of
/// ``smallAngleSin(_:)``/``smallAngleCos(_:)`` on |x| ≤ π/4; for |x| < 2¹⁹·π/2, `x − n·π/2` in
/// double-double and the quadrant's polynomial; libm beyond (and for non-finite `x`).
///
/// Used by the pendulum (its observation needs both of the new angle, and the next step's
/// dynamics reuses the sine), in the single-copy environment and the native batch alike, so that
/// they stay bit-identical to each other. Not by the acrobot: its 500-step reference replays are
/// chaotic enough that last-bit differences from libm grow past the 1e-5 tolerance.
@inlinable @inline(__always)
public func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
    if isSmallAngle(x) { return (sinPolynomial(x), cosPolynomial(x)) }
    guard abs(x) < 823_550 else { return (sin(x), cos(x)) }
    // n = x·2/π rounded to the nearest integer (by adding and removing 1.5·2⁵²).
    let shifted = x * reductionInversePiOver2 + 0x1.8p52
    let fn = shifted - 0x1.8p52
    // The low bits of `shifted` hold 2⁵¹ + n, so they give n mod 4 without a conversion.
    let quadrant = Int(truncatingIfNeeded: shifted.bitPattern) & 3
    var r = x - fn * piOver2Part1
    var w = fn * piOver2Part1Tail
    var y0 = r - w
    let ex = biasedExponent(x)
    if ex - biasedExponent(y0) > 16 {
        // Cancellation: take 33 more bits of π/2.
        var t = r
        w = fn * piOver2Part2
        r = t - w
        w = fn * piOver2Part2Tail - ((t - r) - w)
        y0 = r - w
        if ex - biasedExponent(y0) > 49 {
            t = r
            w = fn * piOver2Part3
            r = t - w
            w = fn * piOver2Part3Tail - ((t - r) - w)
            y0 = r - w
        }
    }
    let y1 = (r - y0) - w
    let s = sinPolynomial(y0, tail: y1), c = cosPolynomial(y0, tail: y1)
    switch quadrant {
    case 0: return (s, c)
    case 1: return (c, -s)
    case 2: return (-s, -c)
    default: return (-c, s)
    }
}
