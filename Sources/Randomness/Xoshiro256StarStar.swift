/// xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number generators",
/// 2018): the seeded generator `NeuralNets` uses for initialisation and sampling.
///
/// Nothing in `NeuralNets` touches a global generator: every function that needs
/// randomness takes an `inout some RandomNumberGenerator`, and this type makes the
/// draws reproducible from a seed, whatever the platform.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose 256-bit state is expanded from `seed` by SplitMix64.
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        s0 = mixer.next(); s1 = mixer.next(); s2 = mixer.next(); s3 = mixer.next()
    }

    /// A generator for stream `stream` of `seed`, e.g. agent *i* of a run seeded with *s*.
    /// Different streams of one seed give unrelated sequences.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        self.init(seed: mixer.next())
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }
}
