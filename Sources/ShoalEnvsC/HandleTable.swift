import Synchronization

/// The live batches by handle: single-agent (`BatchHandle`) and multi-agent
/// (`MultiAgentHandle`) batches share one numbering. Handles are never reused, so a stale handle
/// is always an error, and a handle of the other kind is named as such.
///
/// Handle h is slot h − 1 of an array (a lookup is an index, not a hash and a dynamic cast: it is
/// on the path of every step); a destroyed batch leaves an empty slot behind.
enum HandleTable {
    private enum Entry {
        case single(BatchHandle)
        case multiAgent(MultiAgentHandle)
    }

    private struct State: ~Copyable {
        var slots: [Entry?] = []
    }

    private static let state = Mutex(State())

    private static func insert(_ entry: Entry) -> Int64 {
        state.withLock { s in
            s.slots.append(entry)
            return Int64(s.slots.count)
        }
    }

    static func insert(_ batch: BatchHandle) -> Int64 { insert(.single(batch)) }

    static func insert(_ batch: MultiAgentHandle) -> Int64 { insert(.multiAgent(batch)) }

    private static func entry(_ handle: Int64) -> Entry? {
        state.withLock { s in handle >= 1 && handle <= Int64(s.slots.count) ? s.slots[Int(handle - 1)] : nil }
    }

    static func lookup(_ handle: Int64) throws(CAPIFailure) -> BatchHandle {
        switch entry(handle) {
        case .single(let batch): return batch
        case .multiAgent: throw wrongKind(handle, multiAgent: true)
        case nil: throw unknown(handle)
        }
    }

    static func lookupMultiAgent(_ handle: Int64) throws(CAPIFailure) -> MultiAgentHandle {
        switch entry(handle) {
        case .multiAgent(let batch): return batch
        case .single: throw wrongKind(handle, multiAgent: false)
        case nil: throw unknown(handle)
        }
    }

    static func remove(_ handle: Int64) throws(CAPIFailure) {
        try remove(handle, multiAgent: false)
    }

    static func removeMultiAgent(_ handle: Int64) throws(CAPIFailure) {
        try remove(handle, multiAgent: true)
    }

    private static func remove(_ handle: Int64, multiAgent: Bool) throws(CAPIFailure) {
        // The entry leaves the table under the lock; the batch itself is released after it (a call
        // still running on it holds its own reference and finishes safely).
        let outcome: Result<Entry, CAPIFailure> = state.withLock { s in
            guard handle >= 1 && handle <= Int64(s.slots.count), let entry = s.slots[Int(handle - 1)] else {
                return .failure(unknown(handle))
            }
            switch entry {
            case .single where multiAgent: return .failure(wrongKind(handle, multiAgent: false))
            case .multiAgent where !multiAgent: return .failure(wrongKind(handle, multiAgent: true))
            default:
                s.slots[Int(handle - 1)] = nil
                return .success(entry)
            }
        }
        if case .failure(let failure) = outcome { throw failure }
    }

    private static func unknown(_ handle: Int64) -> CAPIFailure {
        CAPIFailure(.invalidHandle, "batch handle \(handle) is not a live batch (it was destroyed, or never created)")
    }

    /// `multiAgent`: what the handle names.
    private static func wrongKind(_ handle: Int64, multiAgent: Bool) -> CAPIFailure {
        if multiAgent {
            return CAPIFailure(.invalidHandle, "batch handle \(handle) is a multi-agent batch: use the shoal_multi_agent_ functions")
        }
        return CAPIFailure(.invalidHandle, "batch handle \(handle) is a single-agent batch: use the shoal_batch_ functions")
    }
}
