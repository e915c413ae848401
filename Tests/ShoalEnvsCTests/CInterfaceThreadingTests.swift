import Dispatch
import Foundation
import ShoalEnvsC
import Synchronization
import Testing

/// The header's thread-safety rules: batches are independent; one batch serves one call at a time.
@Suite("The C interface across threads")
struct CInterfaceThreadingTests {
    /// Steps a fresh cart-pole batch 200 times and returns every observation it wrote.
    static func trajectory(seed: UInt64) -> [Float] {
        var handle: Int64 = 0
        guard shoal_batch_create("cart-pole-v1", nil, 16, 1, seed, &handle) == 0 else { return [] }
        defer { _ = shoal_batch_destroy(handle) }
        let memory = CallerMemory(count: 16, observationSize: 4)
        _ = shoal_batch_reset(handle, seed, memory.raw)
        var all = memory.observationArray
        for t in 0..<200 {
            let actions = (0..<16).map { Float(($0 + t) % 2) }
            _ = shoal_batch_step(handle, actions, 16, memory.raw)
            all += memory.observationArray
        }
        return all
    }

    @Test func batchesOnDifferentThreadsDoNotInterfere() {
        let expected = Self.trajectory(seed: 4)
        let results = Mutex<[[Float]]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let t = Self.trajectory(seed: 4)
            results.withLock { $0.append(t) }
        }
        let all = results.withLock { $0 }
        #expect(all.count == 4)
        #expect(all.allSatisfy { $0 == expected } && expected.count == 201 * 64)
    }

    @Test func oneBatchFromTwoThreadsIsRefusedNotRaced() throws {
        var handle: Int64 = 0
        try #require(shoal_batch_create("acrobot-v1", nil, 512, 1, 1, &handle) == 0)
        defer { _ = shoal_batch_destroy(handle) }
        let statuses = Mutex<[Int32: Int]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let memory = CallerMemory(count: 512, observationSize: 6)
            let actions = [Float](repeating: 1, count: 512)
            for _ in 0..<200 {
                let status = shoal_batch_step(handle, actions, 512, memory.raw)
                statuses.withLock { $0[status, default: 0] += 1 }
            }
        }
        let counts = statuses.withLock { $0 }
        #expect(Set(counts.keys).isSubset(of: [ShoalStatus.ok.rawValue, ShoalStatus.busy.rawValue]))
        #expect(counts.values.reduce(0, +) == 400 && (counts[ShoalStatus.ok.rawValue] ?? 0) > 0)
    }
}
