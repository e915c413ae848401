import Envs

// The functions of `shoal_envs.h`, exported with C names. Each one validates its arguments,
// catches every error and returns a status; the message goes to `shoal_last_error()`.

/// Runs `body`, turning a failure into its status and the thread's last-error message.
@inline(__always)
func guarded(_ body: () throws(CAPIFailure) -> Void) -> Int32 {
    do {
        try body()
        return ShoalStatus.ok.rawValue
    } catch {
        LastError.set(error.message)
        return error.status.rawValue
    }
}

/// Writes `text` and its NUL into `buffer` (at most `capacity` bytes) and its length into `length`.
func writeText(_ text: String, to buffer: UnsafeMutablePointer<CChar>?, capacity: UInt, length: UnsafeMutablePointer<UInt>?) throws(CAPIFailure) {
    guard let length else { throw CAPIFailure(.invalidArgument, "the length pointer is NULL") }
    var utf8 = Array(text.utf8)
    length.pointee = UInt(utf8.count)
    guard capacity > UInt(utf8.count) else {
        throw CAPIFailure(.bufferTooSmall, "the text needs \(utf8.count + 1) bytes, the buffer holds \(capacity)")
    }
    guard let buffer else { throw CAPIFailure(.invalidArgument, "the text buffer is NULL but its capacity is \(capacity)") }
    utf8.append(0)
    utf8.withUnsafeBufferPointer { src in
        UnsafeMutableRawPointer(buffer).copyMemory(from: src.baseAddress!, byteCount: src.count)
    }
}

func string(_ pointer: UnsafePointer<CChar>?, _ what: String) throws(CAPIFailure) -> String {
    guard let pointer else { throw CAPIFailure(.invalidArgument, "\(what) is NULL") }
    return String(cString: pointer)
}

@_cdecl("shoal_last_error")
public func shoal_last_error() -> UnsafePointer<CChar> {
    LastError.current
}

@_cdecl("shoal_api_version")
public func shoal_api_version() -> Int32 {
    1
}

@_cdecl("shoal_list_tasks")
public func shoal_list_tasks(_ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt, _ length: UnsafeMutablePointer<UInt>?) -> Int32 {
    guarded { () throws(CAPIFailure) in
        try writeText(TaskCatalogue.json(try CAPIRegistry.registry()).description, to: buffer, capacity: capacity, length: length)
    }
}

@_cdecl("shoal_batch_create")
public func shoal_batch_create(_ taskID: UnsafePointer<CChar>?, _ parametersJSON: UnsafePointer<CChar>?, _ count: Int64,
                               _ threads: Int64, _ seed: UInt64, _ out: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded { () throws(CAPIFailure) in
        guard let out else { throw CAPIFailure(.invalidArgument, "the handle pointer is NULL") }
        let id = try string(taskID, "the task id")
        let parameters = parametersJSON.map { String(cString: $0) }
        let batch = try BatchFactory.make(id: id, parametersJSON: parameters, count: count, threads: threads, seed: seed)
        out.pointee = HandleTable.insert(batch)
    }
}

@_cdecl("shoal_batch_create_task_set")
public func shoal_batch_create_task_set(_ name: UnsafePointer<CChar>?, _ copiesPerTask: Int64, _ threads: Int64, _ seed: UInt64,
                                        _ out: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded { () throws(CAPIFailure) in
        guard let out else { throw CAPIFailure(.invalidArgument, "the handle pointer is NULL") }
        let set = try string(name, "the task set name")
        let batch = try BatchFactory.make(taskSet: set, copiesPerTask: copiesPerTask, threads: threads, seed: seed)
        out.pointee = HandleTable.insert(batch)
    }
}

@_cdecl("shoal_batch_info")
public func shoal_batch_info(_ handle: Int64, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt,
                             _ length: UnsafeMutablePointer<UInt>?) -> Int32 {
    guarded { () throws(CAPIFailure) in
        try writeText(try HandleTable.lookup(handle).descriptionJSON.description, to: buffer, capacity: capacity, length: length)
    }
}

@_cdecl("shoal_batch_reset")
public func shoal_batch_reset(_ handle: Int64, _ seed: UInt64, _ out: UnsafeRawPointer?) -> Int32 {
    guarded { () throws(CAPIFailure) in try HandleTable.lookup(handle).reset(seed: seed, into: out) }
}

@_cdecl("shoal_batch_step")
public func shoal_batch_step(_ handle: Int64, _ actions: UnsafePointer<Float>?, _ actionCount: UInt, _ out: UnsafeRawPointer?) -> Int32 {
    guarded { () throws(CAPIFailure) in
        guard actionCount <= UInt(Int.max) else { throw CAPIFailure(.invalidAction, "the action count \(actionCount) is out of range") }
        try HandleTable.lookup(handle).step(actions, count: Int(actionCount), into: out)
    }
}

@_cdecl("shoal_batch_bind")
public func shoal_batch_bind(_ handle: Int64, _ actions: UnsafePointer<Float>?, _ actionCount: UInt, _ out: UnsafeRawPointer?) -> Int32 {
    guarded { () throws(CAPIFailure) in
        guard actionCount <= UInt(Int.max) else { throw CAPIFailure(.invalidAction, "the action count \(actionCount) is out of range") }
        try HandleTable.lookup(handle).bind(actions, count: Int(actionCount), into: out)
    }
}

@_cdecl("shoal_batch_step_bound")
public func shoal_batch_step_bound(_ handle: Int64) -> Int32 {
    guarded { () throws(CAPIFailure) in try HandleTable.lookup(handle).stepBound() }
}

@_cdecl("shoal_batch_set_state")
public func shoal_batch_set_state(_ handle: Int64, _ row: Int64, _ values: UnsafePointer<Double>?, _ valueCount: UInt,
                                  _ out: UnsafeRawPointer?) -> Int32 {
    guarded { () throws(CAPIFailure) in
        guard valueCount <= 1 << 20 else { throw CAPIFailure(.invalidState, "\(valueCount) state values is far too many") }
        guard row >= Int64(Int32.min) && row <= Int64(Int32.max) else {
            throw CAPIFailure(.invalidState, "row \(row) is outside the batch")
        }
        try HandleTable.lookup(handle).setState(row: Int(row), values: values, count: Int(valueCount), into: out)
    }
}

@_cdecl("shoal_batch_render_svg")
public func shoal_batch_render_svg(_ handle: Int64, _ row: Int64, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: UInt,
                                   _ length: UnsafeMutablePointer<UInt>?) -> Int32 {
    guarded { () throws(CAPIFailure) in
        let batch = try HandleTable.lookup(handle)
        guard row >= 0 && row < Int64(batch.count) else {
            throw CAPIFailure(.invalidArgument, "row \(row) is outside the batch: rows are 0…\(batch.count - 1)")
        }
        guard let svg = ClassicControlSketch.svg(task: batch.task, observation: try batch.observation(row: Int(row))) else {
            throw CAPIFailure(.unsupported, "task \(batch.task) has no picture through the C interface (only cart-pole, pendulum and acrobot tasks are drawn); the shoal envs render command draws grid worlds, navigation and locomotion")
        }
        try writeText(svg, to: buffer, capacity: capacity, length: length)
    }
}

@_cdecl("shoal_batch_destroy")
public func shoal_batch_destroy(_ handle: Int64) -> Int32 {
    guarded { () throws(CAPIFailure) in try HandleTable.remove(handle) }
}
