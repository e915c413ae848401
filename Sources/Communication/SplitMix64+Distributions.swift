import Foundation

extension SplitMix64 {
    /// A uniform draw in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard normal draw (Box–Muller; the second value of each pair is discarded so
    /// that a draw depends only on the generator's state, never on a cached value).
    public mutating func nextGaussian() -> Double {
        // 1 - u is in (0, 1], so the logarithm is finite.
        let u1 = 1.0 - nextUniform()
        let u2 = nextUniform()
        return (-2.0 * Foundation.log(u1)).squareRoot() * Foundation.cos(2.0 * Double.pi * u2)
    }

    /// Fills `buffer` with independent standard normal draws, two per Box–Muller pair.
    public mutating func fillGaussian(_ buffer: UnsafeMutableBufferPointer<Float>) {
        var i = 0
        let n = buffer.count
        while i < n {
            let u1 = 1.0 - nextUniform()
            let u2 = nextUniform()
            let r = (-2.0 * Foundation.log(u1)).squareRoot()
            let a = 2.0 * Double.pi * u2
            buffer[i] = Float(r * Foundation.cos(a))
            if i + 1 < n { buffer[i + 1] = Float(r * Foundation.sin(a)) }
            i += 2
        }
    }
}
