import Envs
import Synchronization

/// One batch behind a `shoal_batch` handle: the environment, the batch it steps into and the
/// action buffer that the caller's actions are copied into, all allocated once at creation.
///
/// Calls on one batch are serialised by ``busy``: a second thread that tries to use it while a
/// call is running is told so (`SHOAL_ERROR_BUSY`) instead of racing.
final class BatchHandle: @unchecked Sendable {
    /// What a call changes: the environment, the batch it steps into, the action buffer and the
    /// bound caller memory. It lives behind a pointer allocated once, so that a step reaches it
    /// without the per-access exclusivity bookkeeping of class properties (``busy`` already
    /// guarantees that one call at a time touches it) and passes the batch on without copying it.
    private struct Core {
        var env: any VectorEnvironment
        var batch: StepBatch
        var actions: [Float]
        /// The caller memory of ``bind(_:count:into:)``, if any.
        var bound: (actions: UnsafePointer<Float>, out: CallerBuffers)?

        /// Copies `source` (already checked: `actions.count` floats) in, steps, writes the outputs.
        mutating func step(_ source: UnsafePointer<Float>, into out: CallerBuffers) throws(CAPIFailure) {
            actions.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: source, count: $0.count) }
            do { try env.step(actions, into: &batch) } catch { throw CAPIFailure.from(error) }
            out.write(&batch)
        }
    }

    let task: String
    /// The resolved parameters of each run of rows: `(rows, parameters)`.
    let parameterRuns: [(rows: Range<Int>, parameters: JSONValue)]
    private let core: UnsafeMutablePointer<Core>
    private let busy = Atomic<Bool>(false)

    let count: Int
    let observationSpace: Space
    let actionSpace: Space
    let stateNames: [String]
    let episodeMetricName: String?
    /// Floats of actions a step takes (`count × actionSpace.size`).
    let actionCount: Int

    init(task: String, env: any VectorEnvironment, parameterRuns: [(rows: Range<Int>, parameters: JSONValue)], seed: UInt64) {
        self.task = task
        self.parameterRuns = parameterRuns
        count = env.count
        observationSpace = env.observationSpace
        actionSpace = env.actionSpace
        stateNames = env.stateNames
        episodeMetricName = env.episodeMetricName
        actionCount = env.count * env.actionSpace.size
        core = .allocate(capacity: 1)
        core.initialize(to: Core(env: env, batch: env.makeBatch(), actions: [Float](repeating: 0, count: actionCount), bound: nil))
        core.pointee.env.reset(seed: seed, into: &core.pointee.batch)
    }

    deinit {
        core.deinitialize(count: 1)
        core.deallocate()
    }

    /// Runs `body` while holding the batch, or fails if another thread holds it.
    func exclusively<R>(_ body: () throws(CAPIFailure) -> R) throws(CAPIFailure) -> R {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            throw CAPIFailure(.busy, "the batch is serving a call on another thread; use one batch from one thread at a time")
        }
        defer { busy.store(false, ordering: .releasing) }
        return try body()
    }

    func reset(seed: UInt64, into raw: UnsafeRawPointer?) throws(CAPIFailure) {
        try exclusively { () throws(CAPIFailure) in
            let out = try CallerBuffers(raw, count: count, observationSize: observationSpace.size)
            core.pointee.env.reset(seed: seed, into: &core.pointee.batch)
            out.write(&core.pointee.batch)
        }
    }

    func step(_ source: UnsafePointer<Float>?, count actionCount: Int, into raw: UnsafeRawPointer?) throws(CAPIFailure) {
        try exclusively { () throws(CAPIFailure) in
            let out = try CallerBuffers(raw, count: count, observationSize: observationSpace.size)
            try step(checking: source, count: actionCount, into: out)
        }
    }

    /// Remembers where ``stepBound()`` reads actions and writes its outputs.
    func bind(_ source: UnsafePointer<Float>?, count actionCount: Int, into raw: UnsafeRawPointer?) throws(CAPIFailure) {
        try exclusively { () throws(CAPIFailure) in
            let out = try CallerBuffers(raw, count: count, observationSize: observationSpace.size)
            guard actionCount == self.actionCount else {
                throw CAPIFailure.from(EnvironmentError.wrongActionCount(expected: self.actionCount, got: actionCount))
            }
            guard let source else { throw CAPIFailure(.invalidArgument, "the actions pointer is NULL") }
            core.pointee.bound = (source, out)
        }
    }

    /// Steps with the memory given to ``bind(_:count:into:)``.
    func stepBound() throws(CAPIFailure) {
        try exclusively { () throws(CAPIFailure) in
            guard let bound = core.pointee.bound else {
                throw CAPIFailure(.invalidArgument, "the batch has no bound buffers: call shoal_batch_bind first")
            }
            try step(checking: bound.actions, count: actionCount, into: bound.out)
        }
    }

    /// Copies the actions in, steps, writes the outputs (called while holding the batch).
    private func step(checking source: UnsafePointer<Float>?, count actionCount: Int, into out: CallerBuffers) throws(CAPIFailure) {
        guard actionCount == self.actionCount else {
            throw CAPIFailure.from(EnvironmentError.wrongActionCount(expected: self.actionCount, got: actionCount))
        }
        guard let source else { throw CAPIFailure(.invalidArgument, "the actions pointer is NULL") }
        try core.pointee.step(source, into: out)
    }

    func setState(row: Int, values: UnsafePointer<Double>?, count valueCount: Int, into raw: UnsafeRawPointer?) throws(CAPIFailure) {
        try exclusively { () throws(CAPIFailure) in
            let out = try CallerBuffers(raw, count: count, observationSize: observationSpace.size)
            guard row >= 0 && row < count else {
                throw CAPIFailure(.invalidState, "row \(row) is outside the batch: rows are 0…\(count - 1)")
            }
            let names = stateNames
            guard !names.isEmpty else {
                throw CAPIFailure(.unsupported, "task \(task) has no settable physical state")
            }
            guard valueCount == names.count else {
                throw CAPIFailure(.invalidState, "task \(task) takes \(names.count) state values (\(names.joined(separator: ", "))), got \(valueCount)")
            }
            guard let values else { throw CAPIFailure(.invalidArgument, "the state values pointer is NULL") }
            let state = Array(UnsafeBufferPointer(start: values, count: valueCount))
            do { try core.pointee.env.setState(state, row: row, into: &core.pointee.batch) } catch { throw CAPIFailure.from(error) }
            out.writeObservation(&core.pointee.batch, row: row)
        }
    }

    /// The current observation of `row` (for drawing).
    func observation(row: Int) throws(CAPIFailure) -> [Float] {
        try exclusively { () throws(CAPIFailure) in
            guard row >= 0 && row < count else {
                throw CAPIFailure(.invalidArgument, "row \(row) is outside the batch: rows are 0…\(count - 1)")
            }
            return Array(core.pointee.batch.observation(row))
        }
    }

}
