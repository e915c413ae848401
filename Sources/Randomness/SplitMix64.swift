/// SplitMix64 (Steele, Lea & Flood 2014): a tiny generator used to expand one seed into the
/// states of other generators (``RandomGenerator``, ``Xoshiro256StarStar``), and, in
/// `Communication`, to draw from the *coordinates* of a draw (round, sender, receiver) through
/// ``init(seed:stream:)``, so that a draw never depends on the order of other draws. It is also
/// the mixing function behind ``deriveSeed(_:_:)``.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    @inlinable public init(seed: UInt64) { state = seed }

    /// A generator for one independent stream: the seed and a list of coordinates (for example
    /// `[round, source, destination]`) are hashed into the starting state.
    public init(seed: UInt64, stream coordinates: UInt64...) {
        var s = splitMixFinalize(seed &+ 0x9E37_79B9_7F4A_7C15)
        for c in coordinates {
            s = splitMixFinalize(s ^ (c &* 0xD1B5_4A32_D192_ED03) &+ 0x632B_E59B_D9B4_E019)
        }
        state = s
    }

    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return splitMixFinalize(state)
    }
}

/// The SplitMix64 output function: a bijective avalanche of 64 bits.
@inlinable public func splitMixFinalize(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// The seed of stream `index` under the root seed `seed`.
///
/// Copy *i* of a batch seeded with *s* draws from a generator seeded with `deriveSeed(s, i)`;
/// distinct `(seed, index)` pairs give unrelated streams, and nothing depends on thread count.
@inlinable public func deriveSeed(_ seed: UInt64, _ index: UInt64) -> UInt64 {
    splitMixFinalize(splitMixFinalize(seed ^ 0x5EED_5EED_5EED_5EED) &+ splitMixFinalize(index &+ 0x632B_E59B_D9B4_E019))
}
