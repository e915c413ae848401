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

    /// Steps `native` and `serial` side by side with the same random actions and requires equal
    /// batches on every step; returns how many episodes ended (terminated, truncated).
    static func compare<N: VectorEnvironment, S: VectorEnvironment>(
        _ native: inout N, _ serial: inout S, steps: Int, action: (inout RandomGenerator) -> Float
    ) throws -> (terminated: Int, truncated: Int) {
        var a = native.reset(seed: 11), b = serial.reset(seed: 11)
        try #require(a.observations == b.observations)
        var g = RandomGenerator(seed: 1)
        var counts = (terminated: 0, truncated: 0)
        for t in 0..<steps {
            let actions = (0..<native.count).map { _ in action(&g) }
            try native.step(actions, into: &a)
            try serial.step(actions, into: &b)
            try #require(a.observations == b.observations, "step \(t)")
            try #require(a.rewards == b.rewards && a.terminated == b.terminated && a.truncated == b.truncated, "step \(t)")
            try #require(a.episodeStart == b.episodeStart, "step \(t)")
            for r in 0..<native.count where a.ended(r) {
                if a.terminated[r] { counts.terminated += 1 } else { counts.truncated += 1 }
                try #require(a.finalObservation(r) == b.finalObservation(r), "step \(t) row \(r)")
                try #require(a.episodes.returns[r] == b.episodes.returns[r] && a.episodes.lengths[r] == b.episodes.lengths[r])
                try #require(a.episodes.diverged[r] == b.episodes.diverged[r])
            }
        }
        return counts
    }

    static var pendulumParameters: [Pendulum.Parameters] {
        (0..<7).map { k in
            var p = Pendulum.Parameters()
            p.mass = 0.5 + 0.2 * Double(k)
            p.length = 0.6 + 0.15 * Double(k % 3)
            p.gravity = 9 + Double(k)
            p.maxEpisodeSteps = 30 + 7 * k
            return p
        }
    }

    @Test func pendulumBatchEqualsSerialPendulum() throws {
        let parameters = Self.pendulumParameters
        var native = try PendulumBatch(parameters: parameters, firstIndex: 5)
        var serial = try SerialVector<Pendulum>(parameters: parameters, firstIndex: 5)
        // Torques beyond the bound are clipped; large ones spin the pendulum past ±3π.
        let counts = try Self.compare(&native, &serial, steps: 400) { g in Float(g.uniform(-6, 6)) }
        #expect(counts.truncated > 40)
        var a = native.makeBatch(), b = serial.makeBatch()
        native.reset(seed: 2, into: &a); serial.reset(seed: 2, into: &b)
        try native.setState([40.0, -3], row: 4, into: &a)
        try serial.setState([40.0, -3], row: 4, into: &b)
        #expect(a.observations == b.observations)
        try native.step([Float](repeating: 1, count: 7), into: &a)
        try serial.step([Float](repeating: 1, count: 7), into: &b)
        #expect(a.observations == b.observations && a.rewards == b.rewards)
    }

    static var acrobotParameters: [Acrobot.Parameters] {
        (0..<6).map { k in
            var p = Acrobot.Parameters()
            // Light links with small inertia swing up quickly, so episodes also terminate.
            p.linkMass1 = 0.3 + 0.1 * Double(k)
            p.linkMass2 = 0.3 + 0.05 * Double(k)
            p.linkMoi1 = 0.1 + 0.05 * Double(k)
            p.linkMoi2 = 0.1
            p.linkLength1 = 0.8 + 0.1 * Double(k % 3)
            p.bookDynamics = k % 2 == 0
            p.torqueNoiseMax = k % 3 == 1 ? 0.2 : 0
            p.maxEpisodeSteps = 40 + 9 * k
            return p
        }
    }

    @Test func acrobotBatchEqualsSerialAcrobot() throws {
        let parameters = Self.acrobotParameters
        var native = try AcrobotBatch(parameters: parameters, firstIndex: 2)
        var serial = try SerialVector<Acrobot>(parameters: parameters, firstIndex: 2)
        let counts = try Self.compare(&native, &serial, steps: 2000) { g in Float(g.below(3)) }
        #expect(counts.truncated > 20)
        #expect(counts.terminated > 5)
        var a = native.makeBatch(), b = serial.makeBatch()
        native.reset(seed: 3, into: &a); serial.reset(seed: 3, into: &b)
        try native.setState([2.0, -1, 3, -4], row: 1, into: &a)
        try serial.setState([2.0, -1, 3, -4], row: 1, into: &b)
        #expect(a.observations == b.observations)
        try native.step([Float](repeating: 2, count: 6), into: &a)
        try serial.step([Float](repeating: 2, count: 6), into: &b)
        #expect(a.observations == b.observations && a.rewards == b.rewards)
    }

    @Test func chunksSteppingInPlaceEqualOneSerialVector() throws {
        // Three chunks write straight into their rows of the combined batch.
        let parameters = Self.acrobotParameters + Self.acrobotParameters.reversed()
        var chunks: [AcrobotBatch] = []
        for range in chunkRanges(count: parameters.count, threads: 3) {
            chunks.append(try AcrobotBatch(parameters: Array(parameters[range]), firstIndex: range.lowerBound))
        }
        var parallel = try ParallelVector(chunks: chunks)
        var serial = try SerialVector<Acrobot>(parameters: parameters, firstIndex: 0)
        let counts = try Self.compare(&parallel, &serial, steps: 300) { g in Float(g.below(3)) }
        #expect(counts.truncated > 20)
        var a = parallel.makeBatch(), b = serial.makeBatch()
        parallel.reset(seed: 4, into: &a); serial.reset(seed: 4, into: &b)
        try parallel.setState([1.0, 0.5, 0, 0], row: 9, into: &a)
        try serial.setState([1.0, 0.5, 0, 0], row: 9, into: &b)
        #expect(a.observations == b.observations)
    }
}
