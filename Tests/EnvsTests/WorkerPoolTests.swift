import Dispatch
import Envs
import Synchronization
import Testing

@Suite("Worker pool")
struct WorkerPoolTests {
    @Test("every part of every call runs exactly once", arguments: [1, 2, 3, 5, 8])
    func everyPartOnce(workers: Int) {
        let pool = WorkerPool()
        let calls = 2000
        // Each part counts its own runs (a part run twice, or by two threads at once, shows).
        var counts = [Int](repeating: 0, count: workers)
        // Calls follow each other closely (the threads spin) and, every so often, after a pause
        // long enough for them to park.
        for call in 0..<calls {
            if call % 500 == 499 { usleepMicroseconds(200) }
            counts.withUnsafeMutableBufferPointer { c in
                pool.run(workers: workers) { part in c[part] += 1 }
            }
        }
        #expect(counts == [Int](repeating: calls, count: workers))
        #expect(pool.threads == workers - 1)
    }

    @Test("a call from inside a part runs its parts on the calling thread")
    func nestedCall() {
        let pool = WorkerPool()
        let total = Atomic<Int>(0)
        pool.run(workers: 2) { _ in
            pool.run(workers: 3) { part in total.wrappingAdd(part + 1, ordering: .relaxed) }
        }
        #expect(total.load(ordering: .relaxed) == 2 * (1 + 2 + 3))
    }

    @Test("calls from two threads at once both complete")
    func concurrentCallers() {
        let pool = WorkerPool()
        // One counter per caller and part: each is written by one part of one call at a time.
        var counts = [Int](repeating: 0, count: 4)
        counts.withUnsafeMutableBufferPointer { c in
            DispatchQueue.concurrentPerform(iterations: 2) { caller in
                for _ in 0..<500 {
                    pool.run(workers: 2) { part in c[2 * caller + part] += 1 }
                }
            }
        }
        #expect(counts == [500, 500, 500, 500])
    }

    @Test("parts see the caller's writes and the caller sees theirs")
    func memoryIsShared() {
        let pool = WorkerPool()
        var values = [Int](repeating: 0, count: 4)
        for round in 1...200 {
            values.withUnsafeMutableBufferPointer { v in
                pool.run(workers: 4) { part in v[part] = v[part] + round }
            }
        }
        #expect(values == [Int](repeating: 200 * 201 / 2, count: 4))
    }
}

private func usleepMicroseconds(_ us: Int) {
    let until = DispatchTime.now().uptimeNanoseconds + UInt64(us) * 1000
    while DispatchTime.now().uptimeNanoseconds < until {}
}
