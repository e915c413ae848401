#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RandomNumberGenerator {
    /// A uniform draw in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal draw (Box–Muller on two uniforms; one of the pair is discarded
    /// so that the generator carries no hidden state).
    @inlinable
    public mutating func nextStandardNormal() -> Double {
        let u1 = 1.0 - nextUnitDouble()   // (0, 1]: log is finite
        let u2 = nextUnitDouble()
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }
}
