import Envs

// The multi-agent functions of `shoal_envs.h` (`shoal_multi_agent_…`), with the rules of the
// single-agent ones: integer handles, a status and a last-error sentence for every failure,
// caller buffers, nothing allocated by a steady-state step.

enum MultiAgentFactory {
    /// A multi-agent batch of `count` copies of `id`; `parametersJSON` is one object of
    /// parameter overrides for every copy, or nil for the defaults.
    static func make(id: String, parametersJSON: String?, count: Int64, threads: Int64, seed: UInt64) throws(CAPIFailure) -> MultiAgentHandle {
        try BatchFactory.checkSizes(count: count, threads: threads)
        let registry = try CAPIRegistry.registry()
        let task: any MultiAgentRegisteredTask
        do { _ = try registry.task(id) } catch { throw CAPIFailure(.unknownTask, error.message) }
        do { task = try registry.multiAgentTask(id) } catch {
            throw CAPIFailure(.invalidArgument, "task \(id) is a single-agent task: create its batches with shoal_batch_create")
        }
        var assignment = JSONValue.object([])
        if let text = parametersJSON, !text.allSatisfy(\.isWhitespace) {
            let json: JSONValue
            do { json = try JSONValue.parse(text) } catch {
                throw CAPIFailure(.invalidArgument, "the parameters are not valid JSON: \(error)")
            }
            guard case .object = json else {
                throw CAPIFailure(.badParameters, "the parameters of a multi-agent batch must be a JSON object (every copy), not \(json.typeName)")
            }
            assignment = json
        }
        let resolved: JSONValue
        do { resolved = try task.resolve(assignment, context: "task \(task.id)") } catch {
            throw CAPIFailure(.badParameters, error.message)
        }
        do {
            // One copy first, to learn the sizes before allocating the whole batch.
            let probe = try task.makeMultiAgentVector([resolved], threads: 1)
            let floats = 2 * probe.observationSpaces.reduce(0) { $0 + $1.size } + 2 * probe.stateSpace.size
                + probe.actionSpaces.reduce(0) { $0 + $1.size } + 2 * probe.agents
            let rowBytes = 4 * floats + 16
            guard count <= Int64(BatchFactory.maximumBufferBytes / rowBytes) else {
                throw CAPIFailure(.invalidArgument, "\(count) copies of \(task.id) would need more than 2 GiB of buffers: at most \(BatchFactory.maximumBufferBytes / rowBytes) copies")
            }
            let env = try task.makeMultiAgentVector([JSONValue](repeating: resolved, count: Int(count)), threads: Int(threads))
            return MultiAgentHandle(task: task.id.description, env: env, parameters: resolved, seed: seed)
        } catch {
            throw CAPIFailure.from(error)
        }
    }
}

@_cdecl("shoal_multi_agent_create")
public func shoal_multi_agent_create(_ taskID: UnsafePointer<CChar>?, _ parametersJSON: UnsafePointer<CChar>?, _ count: Int64,
                                     _ threads: Int64, _ seed: UInt64, _ out: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded { () throws(CAPIFailure) in
        guard let out else { throw CAPIFailure(.invalidArgument, "the handle pointer is NULL") }
        let id = try string(taskID, "the task id")
        let parameters = parametersJSON.map { String(cString: $0) }
        out.pointee = HandleTable.insert(try MultiAgentFactory.make(id: id, parametersJSON: parameters, count: count, threads: threads, seed: seed))
    }
}

@_cdecl("shoal_multi_agent_info")
public func shoal_multi_agent_info(_ handle: Int64, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt,
                                   _ length: UnsafeMutablePointer<UInt>?) -> Int32 {
    guarded { () throws(CAPIFailure) in
        try writeText(try HandleTable.lookupMultiAgent(handle).descriptionJSON.description, to: buffer, capacity: capacity, length: length)
    }
}

@_cdecl("shoal_multi_agent_reset")
public func shoal_multi_agent_reset(_ handle: Int64, _ seed: UInt64, _ out: UnsafeRawPointer?) -> Int32 {
    guarded { () throws(CAPIFailure) in try HandleTable.lookupMultiAgent(handle).reset(seed: seed, into: out) }
}

@_cdecl("shoal_multi_agent_step")
public func shoal_multi_agent_step(_ handle: Int64, _ actions: UnsafePointer<Float>?, _ actionCount: UInt, _ out: UnsafeRawPointer?) -> Int32 {
    guarded { () throws(CAPIFailure) in
        guard actionCount <= UInt(Int.max) else { throw CAPIFailure(.invalidAction, "the action count \(actionCount) is out of range") }
        try HandleTable.lookupMultiAgent(handle).step(actions, count: Int(actionCount), into: out)
    }
}

@_cdecl("shoal_multi_agent_set_state")
public func shoal_multi_agent_set_state(_ handle: Int64, _ row: Int64, _ values: UnsafePointer<Double>?, _ valueCount: UInt,
                                        _ out: UnsafeRawPointer?) -> Int32 {
    guarded { () throws(CAPIFailure) in
        guard valueCount <= 1 << 20 else { throw CAPIFailure(.invalidState, "\(valueCount) state values is far too many") }
        guard row >= Int64(Int32.min) && row <= Int64(Int32.max) else {
            throw CAPIFailure(.invalidState, "row \(row) is outside the batch")
        }
        try HandleTable.lookupMultiAgent(handle).setState(row: Int(row), values: values, count: Int(valueCount), into: out)
    }
}

@_cdecl("shoal_multi_agent_destroy")
public func shoal_multi_agent_destroy(_ handle: Int64) -> Int32 {
    guarded { () throws(CAPIFailure) in try HandleTable.removeMultiAgent(handle) }
}
