import Envs

/// A caller's `shoal_multi_agent_buffers` struct, read field by field: four `int64_t`
/// (32 bytes), then ten pointers (see `shoal_envs.h`).
struct MultiAgentCallerBuffers {
    var observations: UnsafeMutablePointer<Float>
    var rewards: UnsafeMutablePointer<Float>?
    var terminated: UnsafeMutablePointer<Bool>?
    var truncated: UnsafeMutablePointer<Bool>?
    var finalObservations: UnsafeMutablePointer<Float>?
    var states: UnsafeMutablePointer<Float>?
    var finalStates: UnsafeMutablePointer<Float>?
    var episodeStart: UnsafeMutablePointer<Bool>?
    var episodeReturns: UnsafeMutablePointer<Float>?
    var episodeLengths: UnsafeMutablePointer<Int32>?

    /// Reads and checks the struct against a batch of `count` copies of `agents` agents whose
    /// observations take `observationFloats` floats in all and whose state has `stateSize` floats.
    init(_ raw: UnsafeRawPointer?, count: Int, agents: Int, observationFloats: Int, stateSize: Int) throws(CAPIFailure) {
        guard let raw else {
            throw CAPIFailure(.invalidArgument, "the output buffers are NULL: pass a shoal_multi_agent_buffers struct")
        }
        func pointer<T>(_ field: Int, _ type: T.Type) -> UnsafeMutablePointer<T>? {
            let offset = 32 + field * MemoryLayout<UnsafeMutableRawPointer?>.stride
            return raw.load(fromByteOffset: offset, as: UnsafeMutableRawPointer?.self)?.assumingMemoryBound(to: T.self)
        }
        // Four loads rather than an array: this runs on every step, which allocates nothing.
        let declared = (raw.load(fromByteOffset: 0, as: Int64.self), raw.load(fromByteOffset: 8, as: Int64.self),
                        raw.load(fromByteOffset: 16, as: Int64.self), raw.load(fromByteOffset: 24, as: Int64.self))
        guard declared == (Int64(count), Int64(agents), Int64(observationFloats), Int64(stateSize)) else {
            throw CAPIFailure(
                .invalidArgument,
                "the output buffers are declared for \(declared.0) copies of \(declared.1) agents with \(declared.2) observation floats "
                    + "and \(declared.3) state floats, but the batch has \(count) copies of \(agents) agents with \(observationFloats) "
                    + "observation floats and \(stateSize) state floats")
        }
        guard let observations = pointer(0, Float.self) else {
            throw CAPIFailure(.invalidArgument, "the output buffers have no observations pointer (it is required)")
        }
        self.observations = observations
        rewards = pointer(1, Float.self)
        terminated = pointer(2, Bool.self)
        truncated = pointer(3, Bool.self)
        finalObservations = pointer(4, Float.self)
        states = pointer(5, Float.self)
        finalStates = pointer(6, Float.self)
        episodeStart = pointer(7, Bool.self)
        episodeReturns = pointer(8, Float.self)
        episodeLengths = pointer(9, Int32.self)
    }

    /// Copies every output of `batch` into the caller's memory; final observations, final
    /// states and episode statistics only on copies whose episode ended.
    func write(_ batch: MultiAgentStepBatch) {
        let n = batch.count, s = batch.stateSize
        batch.observations.withUnsafeBufferPointer { observations.update(from: $0.baseAddress!, count: $0.count) }
        if let rewards { batch.rewards.withUnsafeBufferPointer { rewards.update(from: $0.baseAddress!, count: $0.count) } }
        if let terminated { batch.terminated.withUnsafeBufferPointer { terminated.update(from: $0.baseAddress!, count: n) } }
        if let truncated { batch.truncated.withUnsafeBufferPointer { truncated.update(from: $0.baseAddress!, count: n) } }
        if let states, s > 0 { batch.states.withUnsafeBufferPointer { states.update(from: $0.baseAddress!, count: n * s) } }
        if let episodeStart { batch.episodeStart.withUnsafeBufferPointer { episodeStart.update(from: $0.baseAddress!, count: n) } }
        guard finalObservations != nil || finalStates != nil || episodeReturns != nil || episodeLengths != nil else { return }
        for r in 0..<n where batch.terminated[r] || batch.truncated[r] {
            for m in 0..<batch.agents {
                let o = batch.observationSizes[m], start = batch.observationOffsets[m] + r * o
                if let finalObservations {
                    batch.finalObservations.withUnsafeBufferPointer {
                        (finalObservations + start).update(from: $0.baseAddress! + start, count: o)
                    }
                }
                episodeReturns?[m * n + r] = batch.episodes.returns[m * n + r]
            }
            if let finalStates, s > 0 {
                batch.finalStates.withUnsafeBufferPointer { (finalStates + r * s).update(from: $0.baseAddress! + r * s, count: s) }
            }
            episodeLengths?[r] = batch.episodes.lengths[r]
        }
    }

    /// Copies the observations of every agent and the state of copy `row` only.
    func writeRow(_ batch: MultiAgentStepBatch, row: Int) {
        for m in 0..<batch.agents {
            let o = batch.observationSizes[m], start = batch.observationOffsets[m] + row * o
            batch.observations.withUnsafeBufferPointer { (observations + start).update(from: $0.baseAddress! + start, count: o) }
        }
        let s = batch.stateSize
        if let states, s > 0 {
            batch.states.withUnsafeBufferPointer { (states + row * s).update(from: $0.baseAddress! + row * s, count: s) }
        }
    }
}
