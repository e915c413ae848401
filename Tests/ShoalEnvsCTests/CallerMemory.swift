import Foundation

/// Buffers a C caller would own, and the `shoal_buffers` struct that points at them (laid out as
/// in `shoal_envs.h`: two `int64_t`, then ten pointers).
final class CallerMemory {
    let count: Int
    let observationSize: Int
    let observations: UnsafeMutablePointer<Float>
    let rewards: UnsafeMutablePointer<Float>
    let terminated: UnsafeMutablePointer<Bool>
    let truncated: UnsafeMutablePointer<Bool>
    let finalObservations: UnsafeMutablePointer<Float>
    let episodeStart: UnsafeMutablePointer<Bool>
    let returns: UnsafeMutablePointer<Float>
    let lengths: UnsafeMutablePointer<Int32>
    let metrics: UnsafeMutablePointer<Float>
    let diverged: UnsafeMutablePointer<Bool>
    let raw: UnsafeMutableRawPointer

    init(count: Int, observationSize: Int, declaredCount: Int? = nil) {
        self.count = count
        self.observationSize = observationSize
        func floats(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            p.initialize(repeating: -7, count: n)
            return p
        }
        func flags() -> UnsafeMutablePointer<Bool> {
            let p = UnsafeMutablePointer<Bool>.allocate(capacity: count)
            p.initialize(repeating: false, count: count)
            return p
        }
        observations = floats(count * observationSize)
        finalObservations = floats(count * observationSize)
        rewards = floats(count)
        returns = floats(count)
        metrics = floats(count)
        terminated = flags()
        truncated = flags()
        episodeStart = flags()
        diverged = flags()
        lengths = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        lengths.initialize(repeating: -1, count: count)
        raw = UnsafeMutableRawPointer.allocate(byteCount: 12 * 8, alignment: 8)
        raw.storeBytes(of: Int64(declaredCount ?? count), toByteOffset: 0, as: Int64.self)
        raw.storeBytes(of: Int64(observationSize), toByteOffset: 8, as: Int64.self)
        let pointers: [UnsafeMutableRawPointer] = [
            UnsafeMutableRawPointer(observations), UnsafeMutableRawPointer(rewards), UnsafeMutableRawPointer(terminated),
            UnsafeMutableRawPointer(truncated), UnsafeMutableRawPointer(finalObservations), UnsafeMutableRawPointer(episodeStart),
            UnsafeMutableRawPointer(returns), UnsafeMutableRawPointer(lengths), UnsafeMutableRawPointer(metrics),
            UnsafeMutableRawPointer(diverged),
        ]
        for (i, p) in pointers.enumerated() { raw.storeBytes(of: p, toByteOffset: 16 + 8 * i, as: UnsafeMutableRawPointer.self) }
    }

    /// Sets pointer field `field` (0 = observations … 9 = diverged) to NULL.
    func clear(field: Int) {
        raw.storeBytes(of: nil, toByteOffset: 16 + 8 * field, as: UnsafeMutableRawPointer?.self)
    }

    var observationArray: [Float] { Array(UnsafeBufferPointer(start: observations, count: count * observationSize)) }
    var rewardArray: [Float] { Array(UnsafeBufferPointer(start: rewards, count: count)) }
    var terminatedArray: [Bool] { Array(UnsafeBufferPointer(start: terminated, count: count)) }
    var truncatedArray: [Bool] { Array(UnsafeBufferPointer(start: truncated, count: count)) }
    var episodeStartArray: [Bool] { Array(UnsafeBufferPointer(start: episodeStart, count: count)) }

    deinit {
        for p in [observations, finalObservations, rewards, returns, metrics] { p.deallocate() }
        for p in [terminated, truncated, episodeStart, diverged] { p.deallocate() }
        lengths.deallocate()
        raw.deallocate()
    }
}
