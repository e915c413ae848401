import Envs
import Testing

/// Every native vector implementation equals `SerialVector` of its single-copy environment,
/// row by row, across autoresets (Gymnasium's `test_cartpole_vector_equiv`).
@Suite("Native vectors equal serial vectors")
struct NativeVectorTests {
    @Test func cartPoleBatchEqualsSerialCartPole() throws {
        // Per-copy parameters differ, and the short time limit forces truncations besides falls.
        var parameters: [CartPole.Parameters] = []
        for k in 0..<9 {
            var p = CartPole.Parameters()
            p.poleMass = 0.05 + 0.1 * Double(k)
            p.poleHalfLength = 0.2 + 0.1 * Double(k % 4)
            p.maxEpisodeSteps = 25 + k
            parameters.append(p)
        }
        var native = try CartPoleBatch(parameters: parameters, firstIndex: 3)
        var serial = try SerialVector<CartPole>(parameters: parameters, firstIndex: 3)
        var a = native.reset(seed: 11), b = serial.reset(seed: 11)
        #expect(a.observations == b.observations)
        var g = RandomGenerator(seed: 1)
        var ended = 0
        for t in 0..<300 {
            let actions = (0..<9).map { _ in Float(g.below(2)) }
            try native.step(actions, into: &a)
            try serial.step(actions, into: &b)
            try #require(a.observations == b.observations, "step \(t)")
            #expect(a.rewards == b.rewards && a.terminated == b.terminated && a.truncated == b.truncated && a.episodeStart == b.episodeStart)
            for r in 0..<9 where a.ended(r) {
                ended += 1
                #expect(a.finalObservation(r) == b.finalObservation(r))
                #expect(a.episodes.returns[r] == b.episodes.returns[r] && a.episodes.lengths[r] == b.episodes.lengths[r])
            }
        }
        #expect(ended > 50)
        try native.setState([0.1, 0, 0.01, 0], row: 2, into: &a)
        try serial.setState([0.1, 0, 0.01, 0], row: 2, into: &b)
        #expect(a.observations == b.observations)
    }
}
