import Envs
import Synchronization

/// One multi-agent batch behind a handle: the environment, the batch it steps into and the
/// action buffer the caller's actions are copied into, all allocated once at creation. Calls are
/// serialised as in ``BatchHandle``.
final class MultiAgentHandle: @unchecked Sendable {
    let task: String
    let parameters: JSONValue
    private var env: any MultiAgentVectorEnvironment
    private var batch: MultiAgentStepBatch
    private var actions: [Float]
    private let busy = Atomic<Bool>(false)

    let count: Int
    let agentNames: [String]
    let observationSpaces: [Space]
    let actionSpaces: [Space]
    let stateSpace: Space
    let stateNames: [String]
    let observationFloats: Int

    init(task: String, env: any MultiAgentVectorEnvironment, parameters: JSONValue, seed: UInt64) {
        self.task = task
        self.env = env
        self.parameters = parameters
        count = env.count
        agentNames = env.agentNames
        observationSpaces = env.observationSpaces
        actionSpaces = env.actionSpaces
        stateSpace = env.stateSpace
        stateNames = env.stateNames
        batch = env.makeBatch()
        observationFloats = batch.observations.count
        actions = [Float](repeating: 0, count: env.actionCount)
        self.env.reset(seed: seed, into: &batch)
    }

    var agents: Int { agentNames.count }

    private func exclusively<R>(_ body: () throws(CAPIFailure) -> R) throws(CAPIFailure) -> R {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            throw CAPIFailure(.busy, "the batch is serving a call on another thread; use one batch from one thread at a time")
        }
        defer { busy.store(false, ordering: .releasing) }
        return try body()
    }

    private func buffers(_ raw: UnsafeRawPointer?) throws(CAPIFailure) -> MultiAgentCallerBuffers {
        try MultiAgentCallerBuffers(raw, count: count, agents: agents, observationFloats: observationFloats, stateSize: stateSpace.size)
    }

    func reset(seed: UInt64, into raw: UnsafeRawPointer?) throws(CAPIFailure) {
        try exclusively { () throws(CAPIFailure) in
            let out = try buffers(raw)
            env.reset(seed: seed, into: &batch)
            out.write(batch)
        }
    }

    func step(_ source: UnsafePointer<Float>?, count actionCount: Int, into raw: UnsafeRawPointer?) throws(CAPIFailure) {
        try exclusively { () throws(CAPIFailure) in
            let out = try buffers(raw)
            guard actionCount == actions.count else {
                let sizes = actionSpaces.map { String($0.size) }.joined(separator: " + ")
                throw CAPIFailure(.invalidAction, "expected \(actions.count) action values (\(count) cop\(count == 1 ? "y" : "ies") × (\(sizes)) for \(agents) agents, agent-major), got \(actionCount)")
            }
            guard let source else { throw CAPIFailure(.invalidArgument, "the actions pointer is NULL") }
            actions.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: source, count: actionCount) }
            // Validated against the spaces cached here, then stepped window-wise: the protocol's
            // whole-batch `step(_:into:)` re-reads the spaces (which some batches compute) and
            // checks the batch's shape, allocating on every step. The batch was made by `env`.
            do throws(EnvironmentError) { try validateMultiAgentActions(actions, spaces: actionSpaces, count: count) } catch {
                throw CAPIFailure(.invalidAction, error.description)
            }
            actions.withUnsafeBufferPointer { act in
                batch.withRows { rows in env.step(validated: act, into: rows) }
            }
            out.write(batch)
        }
    }

    func setState(row: Int, values: UnsafePointer<Double>?, count valueCount: Int, into raw: UnsafeRawPointer?) throws(CAPIFailure) {
        try exclusively { () throws(CAPIFailure) in
            let out = try buffers(raw)
            guard row >= 0 && row < count else {
                throw CAPIFailure(.invalidState, "row \(row) is outside the batch: rows are 0…\(count - 1)")
            }
            guard !stateNames.isEmpty else { throw CAPIFailure(.unsupported, "task \(task) has no settable physical state") }
            guard valueCount == stateNames.count else {
                throw CAPIFailure(.invalidState, "task \(task) takes \(stateNames.count) state values (\(stateNames.joined(separator: ", "))), got \(valueCount)")
            }
            guard let values else { throw CAPIFailure(.invalidArgument, "the state values pointer is NULL") }
            let state = Array(UnsafeBufferPointer(start: values, count: valueCount))
            do { try env.setState(state, row: row, into: &batch) } catch { throw CAPIFailure(.invalidState, (error as? EnvironmentError)?.description ?? "\(error)") }
            out.writeRow(batch, row: row)
        }
    }

    /// The batch as the JSON object that `shoal_multi_agent_info` returns (documented in the header).
    var descriptionJSON: JSONValue {
        .object([
            ("task", .string(task)),
            ("count", .integer(count)),
            ("agents", .integer(agents)),
            ("agent_names", .array(agentNames.map { .string($0) })),
            ("observation_sizes", .array(observationSpaces.map { .integer($0.size) })),
            ("action_sizes", .array(actionSpaces.map { .integer($0.size) })),
            ("observation_spaces", .array(observationSpaces.map(BatchHandle.json))),
            ("action_spaces", .array(actionSpaces.map(BatchHandle.json))),
            ("state_space", BatchHandle.json(stateSpace)),
            ("state_size", .integer(stateSpace.size)),
            ("state_names", .array(stateNames.map { .string($0) })),
            ("parameters", parameters),
        ])
    }
}
