import Envs

/// A replay memory D = {e_t, e_{t−1}, …, e_{t−M+1}} of the last M experiences (paper 004 §IV-A;
/// DQN's replay): fixed-width rows of floats in a ring, the oldest overwritten first.
///
/// **Aligned buffers.** Every agent of paper 004's Algorithm 2 keeps its own buffer D^i, and the
/// agents' consensus on importance weights (eqs. 44–46) pairs agent i's entry e_t with agent j's
/// entry of the same step. Buffers of the same capacity that append once per joint step hold
/// their entries in the same slots: ``slot(ofStep:)`` is a function of the step only, and
/// ``appended`` says how many steps a buffer has seen, so two buffers are aligned exactly when
/// their ``appended`` counts are equal (``isAligned(with:)``).
public struct ReplayBuffer: Sendable, Equatable {
    /// M, the number of entries kept.
    public let capacity: Int
    /// Floats per entry.
    public let width: Int
    /// Entries appended since the buffer was made (the slot of the next is `appended % capacity`).
    public private(set) var appended = 0
    /// `[capacity × width]`, slot-major.
    public private(set) var storage: [Float]

    /// An empty buffer; a capacity or width below 1 is one sentence.
    public init(capacity: Int, width: Int) throws {
        guard capacity >= 1 else { throw TrainingError("the replay capacity must be at least 1, got \(capacity)") }
        guard width >= 1 else { throw TrainingError("a replay entry must hold at least 1 value, got \(width)") }
        guard capacity <= 50_000_000 / width else {
            throw TrainingError("a replay buffer of \(capacity) entries × \(width) values is too large (at most 50 000 000 values)")
        }
        self.capacity = capacity
        self.width = width
        storage = [Float](repeating: 0, count: capacity * width)
    }

    /// Entries held: min(appended, M).
    public var count: Int { min(appended, capacity) }

    /// The slot of the entry appended as the `step`-th (0-based).
    @inlinable public func slot(ofStep step: Int) -> Int { step % capacity }

    /// Whether `other` holds its entries in the same slots (same capacity, same appends).
    public func isAligned(with other: ReplayBuffer) -> Bool { capacity == other.capacity && appended == other.appended }

    /// Appends one entry (`width` floats), overwriting the oldest when full; returns its slot.
    @discardableResult
    public mutating func append(_ entry: UnsafeBufferPointer<Float>) -> Int {
        precondition(entry.count == width, "a replay entry of \(entry.count) values for a buffer of width \(width)")
        let s = appended % capacity
        storage.withUnsafeMutableBufferPointer { st in
            for k in 0..<width { st[s * width + k] = entry[k] }
        }
        appended += 1
        return s
    }

    /// Appends `entry` (an array; convenience for tests and small callers).
    @discardableResult
    public mutating func append(_ entry: [Float]) -> Int { entry.withUnsafeBufferPointer { append($0) } }

    /// The entry in `slot`.
    @inlinable public func entry(_ slot: Int) -> ArraySlice<Float> { storage[(slot * width)..<((slot + 1) * width)] }

    /// Whether a batch of `size` can be drawn: the buffer must hold at least `size` entries
    /// (before that, an algorithm waits and keeps collecting). A size below 1 is one sentence.
    public func canSample(_ size: Int) throws -> Bool {
        guard size >= 1 else { throw TrainingError("the batch size must be at least 1, got \(size)") }
        return count >= size
    }

    /// Draws `size` slots uniformly with replacement from the entries held into `slots` (resized
    /// to `size`), or returns false and draws nothing while the buffer holds fewer than `size`.
    public func sample(_ size: Int, generator: inout RandomGenerator, into slots: inout [Int]) throws -> Bool {
        guard try canSample(size) else { return false }
        if slots.count != size { slots = [Int](repeating: 0, count: size) }
        let held = count
        for b in 0..<size { slots[b] = generator.below(held) }
        return true
    }

    /// The buffer as checkpoint tensors under `prefix` (its entries, and the append count).
    public func checkpointTensors(prefix: String) -> [CheckpointTensor] {
        [CheckpointTensor(name: prefix + "entries", shape: [count, width], values: Array(storage[0..<(count * width)])),
         CheckpointTensor(name: prefix + "appended", shape: [2], values: [Float(bitPattern: UInt32(truncatingIfNeeded: appended >> 32)),
                                                                          Float(bitPattern: UInt32(truncatingIfNeeded: appended))])]
    }

    /// Restores what ``checkpointTensors(prefix:)`` wrote.
    public mutating func restore(from tensors: [String: [Float]], prefix: String) throws {
        guard let bits = tensors[prefix + "appended"], bits.count == 2, let entries = tensors[prefix + "entries"] else {
            throw TrainingError("the checkpoint lacks the replay buffer \(prefix)")
        }
        let n = Int(UInt64(bits[0].bitPattern) << 32 | UInt64(bits[1].bitPattern))
        guard entries.count == min(n, capacity) * width else {
            throw TrainingError("the checkpoint's replay buffer \(prefix) holds \(entries.count) values, expected \(min(n, capacity) * width)")
        }
        appended = n
        for i in 0..<entries.count { storage[i] = entries[i] }
    }
}
