import CODE

/// The process-wide side of ODE: `dInitODE2` exactly once (a lazy global, which Swift
/// initialises once and thread-safely), and ODE's per-thread data on every thread that calls it.
///
/// ODE 0.16.2 keeps per-thread data that `dAllocateODEDataForThread` must create on each thread
/// before use (environments specs §9.2). Vector chunks run on Dispatch worker threads, so every
/// world calls ``prepareThread()`` before it is stepped or posed; repeated calls are cheap.
enum ODERuntime {
    private static let initialised: Bool = {
        let ok = dInitODE2(0) != 0
        // ODE prints solver warnings (for example "LCP internal error, s <= 0" when a step meets
        // a degenerate constraint set) to standard error and carries on; the environments detect
        // real divergence themselves, so these messages are silenced. Errors and debug
        // assertions still abort as before.
        dSetMessageHandler { _, _, _ in }
        return ok
    }()

    /// Initialises ODE if needed and allocates its data for the calling thread.
    @inline(__always)
    static func prepareThread() {
        _ = initialised
        _ = dAllocateODEDataForThread(UInt32(truncatingIfNeeded: dAllocateMaskAll.rawValue))
    }
}
