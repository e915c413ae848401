/// A small, fast, seeded pseudo-random generator (Steele, Lea and Flood's SplitMix64).
///
/// Every random choice in `Communication` — random graphs, dropped links, link noise,
/// evolution-strategy perturbations, probabilistic sending — draws from a `SplitMix64`
/// seeded from the user's seed and the *coordinates* of the draw (round, sender,
/// receiver, …) through ``SplitMix64/init(seed:stream:)``. Nothing touches a global
/// generator, so a draw does not depend on the order in which other draws happen, and
/// the same seed gives the same numbers whatever the thread count.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's whole state.
    public private(set) var state: UInt64

    /// A generator seeded with `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one independent stream: the seed and a list of coordinates
    /// (for example `[round, source, destination]`) are hashed into the starting state.
    public init(seed: UInt64, stream coordinates: UInt64...) {
        var s = SplitMix64.finalize(seed &+ 0x9E37_79B9_7F4A_7C15)
        for c in coordinates {
            s = SplitMix64.finalize(s ^ (c &* 0xD1B5_4A32_D192_ED03) &+ 0x632B_E59B_D9B4_E019)
        }
        state = s
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.finalize(state)
    }

    /// SplitMix64's output mixing function (a bijection on `UInt64`).
    @inlinable
    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
