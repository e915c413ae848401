/// How links misbehave: independent drops and additive Gaussian noise.
///
/// Paper 000 Fig. 7: "the probability, denoted by p, parameterises independent
/// Bernoulli distributions, one per connection", drawn at every update step. Here each
/// directed link (source → destination) drops its message with probability
/// ``dropProbability`` independently in every hop of every round. The draw is a pure
/// function of `(seed, round, hop, source, destination)`, so it does not depend on the
/// order in which messages are sent or on threads.
public struct LinkConditions: Sendable, Equatable {
    /// Probability p ∈ [0, 1] that a message on a directed link is dropped.
    public var dropProbability: Double
    /// Standard deviation of zero-mean Gaussian noise added to every received float
    /// (0: noiseless links).
    public var noiseStandardDeviation: Double
    /// Seed of the drop and noise draws.
    public var seed: UInt64

    /// Perfect links.
    public static let perfect = LinkConditions(uncheckedDrop: 0, noise: 0, seed: 0)

    /// - Throws: ``CommunicationError/probabilityOutOfRange(name:value:)`` when `p` is
    ///   outside [0, 1], ``CommunicationError/invalidValue(name:value:valid:)`` for a
    ///   negative or non-finite noise level.
    public init(dropProbability p: Double = 0, noiseStandardDeviation sigma: Double = 0, seed: UInt64 = 0) throws {
        guard p >= 0, p <= 1 else { throw CommunicationError.probabilityOutOfRange(name: "link drop probability", value: p) }
        guard sigma.isFinite, sigma >= 0 else {
            throw CommunicationError.invalidValue(name: "link noise standard deviation", value: sigma, valid: "finite and non-negative")
        }
        self.init(uncheckedDrop: p, noise: sigma, seed: seed)
    }

    init(uncheckedDrop p: Double, noise: Double, seed: UInt64) {
        dropProbability = p
        noiseStandardDeviation = noise
        self.seed = seed
    }

    /// Whether the message on `source → destination` in (`round`, `hop`) is dropped.
    public func drops(round: Int, hop: Int, source: Int, destination: Int) -> Bool {
        if dropProbability <= 0 { return false }
        if dropProbability >= 1 { return true }
        var g = SplitMix64(seed: seed, stream: 0x6472_6F70, UInt64(round), UInt64(hop), UInt64(source), UInt64(destination))
        return g.nextUniform() < dropProbability
    }

    /// What arrives of `payload` sent on `source → destination` in (`round`, `hop`) when the
    /// link does not drop it: the same payload, with the link's noise added to every float.
    /// Every transport delivers through this, so noise is the same in one process or many.
    public func received(_ payload: Payload, round: Int, hop: Int, source: Int, destination: Int) -> Payload {
        guard noiseStandardDeviation > 0, case let .floats(values) = payload else { return payload }
        var g = noiseGenerator(round: round, hop: hop, source: source, destination: destination)
        let sigma = Float(noiseStandardDeviation)
        var noisy = values
        noisy.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] += sigma * Float(g.nextGaussian()) }
        }
        return .floats(noisy)
    }

    /// The noise generator of one message.
    func noiseGenerator(round: Int, hop: Int, source: Int, destination: Int) -> SplitMix64 {
        SplitMix64(seed: seed, stream: 0x6E6F_6973, UInt64(round), UInt64(hop), UInt64(source), UInt64(destination))
    }
}
