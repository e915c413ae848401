import Foundation

/// Buffers a C caller would own for a multi-agent batch, and the `shoal_multi_agent_buffers`
/// struct that points at them (as in `shoal_envs.h`: four `int64_t`, then ten pointers).
final class MultiAgentCallerMemory {
    let count: Int, agents: Int, observationFloats: Int, stateSize: Int
    let observations: UnsafeMutablePointer<Float>
    let rewards: UnsafeMutablePointer<Float>
    let terminated: UnsafeMutablePointer<Bool>
    let truncated: UnsafeMutablePointer<Bool>
    let finalObservations: UnsafeMutablePointer<Float>
    let states: UnsafeMutablePointer<Float>
    let finalStates: UnsafeMutablePointer<Float>
    let episodeStart: UnsafeMutablePointer<Bool>
    let returns: UnsafeMutablePointer<Float>
    let lengths: UnsafeMutablePointer<Int32>
    let raw: UnsafeMutableRawPointer

    init(count: Int, agents: Int, observationFloats: Int, stateSize: Int, declaredAgents: Int? = nil) {
        self.count = count
        self.agents = agents
        self.observationFloats = observationFloats
        self.stateSize = stateSize
        func floats(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
            p.initialize(repeating: -7, count: max(n, 1))
            return p
        }
        func flags() -> UnsafeMutablePointer<Bool> {
            let p = UnsafeMutablePointer<Bool>.allocate(capacity: count)
            p.initialize(repeating: false, count: count)
            return p
        }
        observations = floats(observationFloats)
        finalObservations = floats(observationFloats)
        rewards = floats(agents * count)
        returns = floats(agents * count)
        states = floats(count * stateSize)
        finalStates = floats(count * stateSize)
        terminated = flags()
        truncated = flags()
        episodeStart = flags()
        lengths = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        lengths.initialize(repeating: -1, count: count)
        raw = UnsafeMutableRawPointer.allocate(byteCount: 14 * 8, alignment: 8)
        for (i, v) in [count, declaredAgents ?? agents, observationFloats, stateSize].enumerated() {
            raw.storeBytes(of: Int64(v), toByteOffset: 8 * i, as: Int64.self)
        }
        let pointers: [UnsafeMutableRawPointer] = [
            UnsafeMutableRawPointer(observations), UnsafeMutableRawPointer(rewards), UnsafeMutableRawPointer(terminated),
            UnsafeMutableRawPointer(truncated), UnsafeMutableRawPointer(finalObservations), UnsafeMutableRawPointer(states),
            UnsafeMutableRawPointer(finalStates), UnsafeMutableRawPointer(episodeStart), UnsafeMutableRawPointer(returns),
            UnsafeMutableRawPointer(lengths),
        ]
        for (i, p) in pointers.enumerated() { raw.storeBytes(of: p, toByteOffset: 32 + 8 * i, as: UnsafeMutableRawPointer.self) }
    }

    var observationArray: [Float] { Array(UnsafeBufferPointer(start: observations, count: observationFloats)) }
    var rewardArray: [Float] { Array(UnsafeBufferPointer(start: rewards, count: agents * count)) }
    var stateArray: [Float] { Array(UnsafeBufferPointer(start: states, count: count * stateSize)) }
    var terminatedArray: [Bool] { Array(UnsafeBufferPointer(start: terminated, count: count)) }
    var truncatedArray: [Bool] { Array(UnsafeBufferPointer(start: truncated, count: count)) }
    var episodeStartArray: [Bool] { Array(UnsafeBufferPointer(start: episodeStart, count: count)) }

    deinit {
        for p in [observations, finalObservations, rewards, returns, states, finalStates] { p.deallocate() }
        for p in [terminated, truncated, episodeStart] { p.deallocate() }
        lengths.deallocate()
        raw.deallocate()
    }
}
