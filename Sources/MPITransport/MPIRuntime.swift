import CMPI
import Foundation

/// Open MPI's lifetime in this process: whether `mpirun` started it, initialisation (only
/// then), the world group, finalisation, and a watchdog that ends the job when a rank waits
/// too long for the others.
///
/// **Faults.** When a rank dies, `mpirun` ends every other rank at once. When a rank is stuck
/// instead (a host that stops answering), the others would wait in a collective forever; the
/// watchdog ends this rank with one sentence after ``timeoutSeconds`` in one collective
/// (default 300 s, `SHOAL_MPI_TIMEOUT` to change it), and `mpirun` then ends the rest.
public enum MPIRuntime {
    /// Whether `mpirun` (Open MPI's launcher, or a PMIx one) started this process.
    public static var launchedByMPIRun: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["OMPI_COMM_WORLD_SIZE"] != nil || env["PMIX_RANK"] != nil
    }

    /// The rank and size the launcher announced, before MPI is initialised (nil when not launched).
    public static var launchRank: Int? { ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_RANK"].flatMap { Int($0) } }

    /// Seconds a rank may wait in one collective before the watchdog ends the job.
    public static var timeoutSeconds: Double {
        if let text = ProcessInfo.processInfo.environment["SHOAL_MPI_TIMEOUT"], let v = Double(text), v > 0 { return v }
        return 300
    }

    /// The world group once ``start()`` ran.
    nonisolated(unsafe) public private(set) static var world: MPIGroup?

    /// Initialises MPI (threads funnelled: only the main thread calls MPI), makes errors return
    /// codes instead of aborting, and starts the watchdog. Idempotent.
    @discardableResult
    public static func start() throws -> MPIGroup {
        if let world { return world }
        var provided: Int32 = 0
        let rc = MPI_Init_thread(nil, nil, cmpi_thread_funneled(), &provided)
        guard rc == cmpi_success() else { throw MPIError("MPI could not be initialised (MPI_Init_thread returned \(rc))") }
        try check(MPI_Comm_set_errhandler(cmpi_comm_world(), cmpi_errors_return()), "MPI_Comm_set_errhandler")
        var rank: Int32 = 0, size: Int32 = 0
        try check(MPI_Comm_rank(cmpi_comm_world(), &rank), "MPI_Comm_rank")
        try check(MPI_Comm_size(cmpi_comm_world(), &size), "MPI_Comm_size")
        let group = MPIGroup(rank: Int(rank), size: Int(size))
        world = group
        Watchdog.shared.start(rank: Int(rank), timeout: timeoutSeconds)
        return group
    }

    /// Finalises MPI if it was started (every rank, at a normal end).
    public static func finish() {
        guard world != nil else { return }
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        if finalized == 0 { MPI_Finalize() }
    }

    /// Ends every rank of the job (after an error that only this rank met).
    public static func abort(code: Int32) -> Never {
        MPI_Abort(cmpi_comm_world(), code)
        exit(code)
    }

    /// Throws ``MPIError`` with MPI's own message unless `rc` is success.
    static func check(_ rc: Int32, _ call: String) throws {
        guard rc != cmpi_success() else { return }
        var text = [CChar](repeating: 0, count: Int(cmpi_max_error_string()) + 1)
        var length: Int32 = 0
        MPI_Error_string(rc, &text, &length)
        let message = String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw MPIError("\(call) failed: \(message)")
    }

    /// Runs a collective under the watchdog.
    static func collective<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        Watchdog.shared.enter(name)
        defer { Watchdog.shared.leave() }
        return try body()
    }
}

/// An MPI call failed.
public struct MPIError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Ends this rank when one collective has waited longer than the timeout.
final class Watchdog: @unchecked Sendable {
    static let shared = Watchdog()
    private let lock = NSLock()
    private var since: Date?
    private var what = ""
    private var started = false

    func start(rank: Int, timeout: Double) {
        lock.lock()
        defer { lock.unlock() }
        guard !started else { return }
        started = true
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: min(1, timeout / 4))
                lock.lock()
                let waited = since.map { -$0.timeIntervalSinceNow } ?? 0
                let call = what
                lock.unlock()
                if waited > timeout {
                    let line = "shoal: rank \(rank) waited \(Int(waited)) s for the other ranks in \(call) (timeout \(Int(timeout)) s, SHOAL_MPI_TIMEOUT); a rank stopped or hangs, so the job ends; resume it from its last checkpoint with --resume\n"
                    FileHandle.standardError.write(Data(line.utf8))
                    _exit(70)
                }
            }
        }
        thread.start()
    }

    func enter(_ name: String) {
        lock.lock()
        since = Date()
        what = name
        lock.unlock()
    }

    func leave() {
        lock.lock()
        since = nil
        lock.unlock()
    }
}
