import Synchronization

/// The live batches by handle. Handles are never reused, so a stale handle is always an error.
enum HandleTable {
    private struct State: ~Copyable {
        var batches: [Int64: BatchHandle] = [:]
        var next: Int64 = 1
    }

    private static let state = Mutex(State())

    static func insert(_ batch: BatchHandle) -> Int64 {
        state.withLock { s in
            let handle = s.next
            s.next += 1
            s.batches[handle] = batch
            return handle
        }
    }

    static func lookup(_ handle: Int64) throws(CAPIFailure) -> BatchHandle {
        guard let batch = state.withLock({ $0.batches[handle] }) else { throw unknown(handle) }
        return batch
    }

    static func remove(_ handle: Int64) throws(CAPIFailure) {
        guard state.withLock({ $0.batches.removeValue(forKey: handle) }) != nil else { throw unknown(handle) }
    }

    private static func unknown(_ handle: Int64) -> CAPIFailure {
        CAPIFailure(.invalidHandle, "batch handle \(handle) is not a live batch (it was destroyed, or never created)")
    }
}
