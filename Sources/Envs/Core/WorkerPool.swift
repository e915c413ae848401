#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Long-lived worker threads that run one piece of parallel work at a time: the caller takes
/// part 0 and `workers − 1` pool threads take parts 1, 2, ….
///
/// Waking a parked thread costs tens of microseconds, longer than a whole step of 4096
/// cart-poles; so a worker that finished a part first spins for a short while (``spinNanoseconds``)
/// waiting for the next one, then parks on a condition variable. Steps that follow each other
/// closely (a vector stepped in a loop, a cohort's rounds) therefore hand work over without a
/// system call, and an idle pool costs nothing.
///
/// Which thread runs which part changes only the timing: callers give each part a fixed slice of
/// the work (or a shared counter over independent items), so the numbers are the same for any
/// number of threads. A call made while the pool is already running another (from a part, or
/// from another thread) runs its parts one after the other on the calling thread.
public final class WorkerPool: @unchecked Sendable {
    /// The pool every vector and cohort of the process shares.
    public static let shared = WorkerPool()

    /// How long a worker spins for the next part before it parks.
    public static let spinNanoseconds: UInt64 = 50_000

    /// The largest number of pool threads (beyond the caller) a pool creates.
    public static let maximumThreads = 255

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    /// The work of the current call, valid from its generation's start until `remaining` is 0.
    fileprivate let job: UnsafeMutablePointer<((Int) -> Void)?>
    /// One word per call, `call << 16 | parts` (the parts of the call, the caller's included): a
    /// worker that sees a new value knows from it alone whether the call has a part for it.
    private let generation = Atomic<Int>(0)
    /// Pool parts of the current call not finished yet.
    private let remaining = Atomic<Int>(0)
    /// Workers waiting on the condition variable.
    private let sleepers = Atomic<Int>(0)
    /// Set while a call runs.
    private let busy = Atomic<Bool>(false)
    /// Pool threads started (each knows its part number, 1…).
    private let started = Atomic<Int>(0)

    public init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        job = .allocate(capacity: 1)
        job.initialize(to: nil)
    }

    /// Pool threads running now.
    public var threads: Int { started.load(ordering: .acquiring) }

    /// Runs `body(0)`, …, `body(workers − 1)`, in parallel on the caller and `workers − 1` pool
    /// threads, and returns when all have finished.
    public func run(workers: Int, _ body: (Int) -> Void) {
        let workers = min(workers, Self.maximumThreads + 1)
        guard workers > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for w in 0..<max(workers, 1) { body(w) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        startThreads(upTo: workers - 1)
        // Parts the pool's threads can take (fewer if the system refused a thread); the caller
        // runs the others after its own.
        let parallel = min(workers, started.load(ordering: .acquiring) + 1)
        withoutActuallyEscaping(body) { body in
            job.pointee = body
            remaining.store(parallel - 1, ordering: .relaxed)
            let call = (generation.load(ordering: .relaxed) >> 16) &+ 1
            generation.store(call << 16 | parallel, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(condition)
                pthread_mutex_unlock(mutex)
            }
            body(0)
            for w in parallel..<workers { body(w) }
            var spins = 0
            while remaining.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins > 1 << 12 { sched_yield() }
            }
            job.pointee = nil
        }
    }

    private func startThreads(upTo count: Int) {
        while started.load(ordering: .relaxed) < count {
            let part = started.load(ordering: .relaxed) + 1
            let context = Unmanaged.passRetained(WorkerStart(pool: self, part: part, generation: generation.load(ordering: .acquiring)))
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let start = Unmanaged<WorkerStart>.fromOpaque(raw!).takeRetainedValue()
                start.pool.work(part: start.part, seen: start.generation)  // never returns
            }, context.toOpaque())
            guard status == 0 else {
                context.release()
                return  // fewer threads: `run` runs the missing parts on the caller
            }
            pthread_detach(thread)
            started.wrappingAdd(1, ordering: .releasing)
        }
    }

    /// A pool thread's loop: wait for a new generation, take its part if there is one.
    private func work(part: Int, seen start: Int) -> Never {
        var seen = start
        while true {
            var current = generation.load(ordering: .acquiring)
            if current == seen {
                let spinStart = monotonicNanoseconds()
                var spins = 0
                while current == seen {
                    spins += 1
                    if spins & 255 == 0 && monotonicNanoseconds() - spinStart > Self.spinNanoseconds {
                        pthread_mutex_lock(mutex)
                        sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
                        while generation.load(ordering: .sequentiallyConsistent) == seen {
                            pthread_cond_wait(condition, mutex)
                        }
                        sleepers.wrappingSubtract(1, ordering: .relaxed)
                        pthread_mutex_unlock(mutex)
                    }
                    current = generation.load(ordering: .acquiring)
                }
            }
            seen = current
            if part < current & 0xffff {
                runPart(part)
                // Only now: `run` checks on return that nobody holds its closure any more.
                remaining.wrappingSubtract(1, ordering: .releasing)
            }
        }
    }
}

extension WorkerPool {
    /// Runs one part of the current call; the reference to its closure ends with this function.
    @inline(never)
    fileprivate func runPart(_ part: Int) {
        job.pointee?(part)
    }
}

/// What a new pool thread needs to start.
private final class WorkerStart {
    let pool: WorkerPool
    let part: Int
    let generation: Int
    init(pool: WorkerPool, part: Int, generation: Int) {
        self.pool = pool
        self.part = part
        self.generation = generation
    }
}

@inline(__always)
private func monotonicNanoseconds() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
}
