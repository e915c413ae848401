import Envs

/// A caller's `shoal_buffers` struct, read field by field: two `int64_t` (16 bytes), then ten
/// pointers (see `shoal_envs.h`).
struct CallerBuffers {
    var count: Int64
    var observationSize: Int64
    var observations: UnsafeMutablePointer<Float>
    var rewards: UnsafeMutablePointer<Float>?
    var terminated: UnsafeMutablePointer<Bool>?
    var truncated: UnsafeMutablePointer<Bool>?
    var finalObservations: UnsafeMutablePointer<Float>?
    var episodeStart: UnsafeMutablePointer<Bool>?
    var episodeReturns: UnsafeMutablePointer<Float>?
    var episodeLengths: UnsafeMutablePointer<Int32>?
    var episodeMetrics: UnsafeMutablePointer<Float>?
    var episodeDiverged: UnsafeMutablePointer<Bool>?

    /// Reads and checks the struct against a batch of `count` rows of `observationSize` floats.
    init(_ raw: UnsafeRawPointer?, count: Int, observationSize: Int) throws(CAPIFailure) {
        guard let raw else { throw CAPIFailure(.invalidArgument, "the output buffers are NULL: pass a shoal_buffers struct") }
        func pointer<T>(_ field: Int, _ type: T.Type) -> UnsafeMutablePointer<T>? {
            let offset = 16 + (field - 2) * MemoryLayout<UnsafeMutableRawPointer?>.stride
            return raw.load(fromByteOffset: offset, as: UnsafeMutableRawPointer?.self)?.assumingMemoryBound(to: T.self)
        }
        self.count = raw.load(fromByteOffset: 0, as: Int64.self)
        self.observationSize = raw.load(fromByteOffset: 8, as: Int64.self)
        guard self.count == Int64(count), self.observationSize == Int64(observationSize) else {
            throw CAPIFailure(
                .invalidArgument,
                "the output buffers are declared for \(self.count) rows of \(self.observationSize) floats, "
                    + "but the batch has \(count) rows of \(observationSize)")
        }
        guard let observations = pointer(2, Float.self) else {
            throw CAPIFailure(.invalidArgument, "the output buffers have no observations pointer (it is required)")
        }
        self.observations = observations
        rewards = pointer(3, Float.self)
        terminated = pointer(4, Bool.self)
        truncated = pointer(5, Bool.self)
        finalObservations = pointer(6, Float.self)
        episodeStart = pointer(7, Bool.self)
        episodeReturns = pointer(8, Float.self)
        episodeLengths = pointer(9, Int32.self)
        episodeMetrics = pointer(10, Float.self)
        episodeDiverged = pointer(11, Bool.self)
    }

    /// Copies every output of `batch` into the caller's memory; final observations and episode
    /// statistics only on rows whose episode ended. (`inout` only to pass the batch without
    /// copying it: nothing in it changes.)
    func write(_ batch: inout StepBatch) {
        let n = batch.count, o = batch.observationSize
        batch.observations.withUnsafeBufferPointer { observations.update(from: $0.baseAddress!, count: n * o) }
        if let rewards { batch.rewards.withUnsafeBufferPointer { rewards.update(from: $0.baseAddress!, count: n) } }
        if let terminated { batch.terminated.withUnsafeBufferPointer { terminated.update(from: $0.baseAddress!, count: n) } }
        if let truncated { batch.truncated.withUnsafeBufferPointer { truncated.update(from: $0.baseAddress!, count: n) } }
        if let episodeStart { batch.episodeStart.withUnsafeBufferPointer { episodeStart.update(from: $0.baseAddress!, count: n) } }
        let anyEnded = finalObservations != nil || episodeReturns != nil || episodeLengths != nil
            || episodeMetrics != nil || episodeDiverged != nil
        guard anyEnded else { return }
        batch.terminated.withUnsafeBufferPointer { term in
            batch.truncated.withUnsafeBufferPointer { trunc in
                for r in 0..<n where term[r] || trunc[r] {
                    if let finalObservations {
                        batch.finalObservations.withUnsafeBufferPointer {
                            (finalObservations + r * o).update(from: $0.baseAddress! + r * o, count: o)
                        }
                    }
                    episodeReturns?[r] = batch.episodes.returns[r]
                    episodeLengths?[r] = batch.episodes.lengths[r]
                    episodeMetrics?[r] = batch.episodes.metrics[r]
                    episodeDiverged?[r] = batch.episodes.diverged[r]
                }
            }
        }
    }

    /// Copies the observation of `row` only (`inout` as in ``write(_:)``).
    func writeObservation(_ batch: inout StepBatch, row: Int) {
        let o = batch.observationSize
        batch.observations.withUnsafeBufferPointer { (observations + row * o).update(from: $0.baseAddress! + row * o, count: o) }
    }
}
