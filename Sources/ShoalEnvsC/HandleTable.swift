import Synchronization

/// The live batches by handle: single-agent (`BatchHandle`) and multi-agent
/// (`MultiAgentHandle`) batches share one numbering. Handles are never reused, so a stale handle
/// is always an error, and a handle of the other kind is named as such.
enum HandleTable {
    private struct State: ~Copyable {
        var batches: [Int64: AnyObject] = [:]
        var next: Int64 = 1
    }

    private static let state = Mutex(State())

    static func insert(_ batch: AnyObject) -> Int64 {
        state.withLock { s in
            let handle = s.next
            s.next += 1
            s.batches[handle] = batch
            return handle
        }
    }

    static func lookup(_ handle: Int64) throws(CAPIFailure) -> BatchHandle {
        try lookup(handle, as: BatchHandle.self)
    }

    static func lookupMultiAgent(_ handle: Int64) throws(CAPIFailure) -> MultiAgentHandle {
        try lookup(handle, as: MultiAgentHandle.self)
    }

    private static func lookup<T: AnyObject>(_ handle: Int64, as type: T.Type) throws(CAPIFailure) -> T {
        guard let object = state.withLock({ $0.batches[handle] }) else { throw unknown(handle) }
        guard let batch = object as? T else { throw wrongKind(handle, object) }
        return batch
    }

    static func remove(_ handle: Int64) throws(CAPIFailure) {
        try remove(handle, as: BatchHandle.self)
    }

    static func removeMultiAgent(_ handle: Int64) throws(CAPIFailure) {
        try remove(handle, as: MultiAgentHandle.self)
    }

    private static func remove<T: AnyObject>(_ handle: Int64, as type: T.Type) throws(CAPIFailure) {
        let outcome: AnyObject?? = state.withLock { s in
            guard let object = s.batches[handle] else { return .none }
            guard object is T else { return .some(object) }
            s.batches.removeValue(forKey: handle)
            return .some(nil)
        }
        switch outcome {
        case .none: throw unknown(handle)
        case .some(let other?): throw wrongKind(handle, other)
        case .some(nil): return
        }
    }

    private static func unknown(_ handle: Int64) -> CAPIFailure {
        CAPIFailure(.invalidHandle, "batch handle \(handle) is not a live batch (it was destroyed, or never created)")
    }

    private static func wrongKind(_ handle: Int64, _ object: AnyObject) -> CAPIFailure {
        if object is MultiAgentHandle {
            return CAPIFailure(.invalidHandle, "batch handle \(handle) is a multi-agent batch: use the shoal_multi_agent_ functions")
        }
        return CAPIFailure(.invalidHandle, "batch handle \(handle) is a single-agent batch: use the shoal_batch_ functions")
    }
}
