#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The Box–Muller transform (Box and Muller 1958): two independent standard normal values from
/// `u1 ∈ (0, 1]` and `u2 ∈ [0, 1)`, `√(−2 ln u1)·(cos 2πu2, sin 2πu2)`. Every normal draw in
/// Shoal goes through this one function.
@inlinable @inline(__always)
public func boxMuller(_ u1: Double, _ u2: Double) -> (Double, Double) {
    let r = (-2 * log(u1)).squareRoot()
    let a = 2 * Double.pi * u2
    return (r * cos(a), r * sin(a))
}

/// The cosine half of ``boxMuller(_:_:)`` alone (what single draws use, without paying for sin).
@inlinable @inline(__always)
public func boxMullerCosine(_ u1: Double, _ u2: Double) -> Double {
    (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
}

extension RandomNumberGenerator {
    /// A uniform draw in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Same as ``nextUnitDouble()``.
    @inlinable
    public mutating func nextUniform() -> Double { nextUnitDouble() }

    /// A standard normal draw: Box–Muller on `1 − u` (in (0, 1], so the logarithm is finite) and a
    /// second uniform; the sine half is discarded so that a draw depends only on the
    /// generator's state, never on a cached value.
    @inlinable
    public mutating func nextStandardNormal() -> Double {
        let u1 = 1.0 - nextUnitDouble()
        let u2 = nextUnitDouble()
        return boxMullerCosine(u1, u2)
    }

    /// Same as ``nextStandardNormal()``.
    @inlinable
    public mutating func nextGaussian() -> Double { nextStandardNormal() }

    /// Fills `buffer` with independent standard normal draws, two per Box–Muller pair.
    public mutating func fillGaussian(_ buffer: UnsafeMutableBufferPointer<Float>) {
        var i = 0
        let n = buffer.count
        while i < n {
            let (a, b) = boxMuller(1.0 - nextUnitDouble(), nextUnitDouble())
            buffer[i] = Float(a)
            if i + 1 < n { buffer[i + 1] = Float(b) }
            i += 2
        }
    }
}
