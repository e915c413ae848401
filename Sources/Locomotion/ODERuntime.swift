import CODE

/// The process-wide side of ODE: `dInitODE2` exactly once (a lazy global, which Swift
/// initialises once and thread-safely), and ODE's per-thread data on every thread that calls it.
///
/// ODE 0.16.2 keeps per-thread data that `dAllocateODEDataForThread` must create on each thread
/// before use (environments specs §9.2). Vector chunks run on Dispatch worker threads, so every
/// world calls ``prepareThread()`` before it is stepped or posed; repeated calls are cheap.
enum ODERuntime {
    private static let initialised: Bool = dInitODE2(0) != 0

    /// Initialises ODE if needed and allocates its data for the calling thread.
    @inline(__always)
    static func prepareThread() {
        _ = initialised
        _ = dAllocateODEDataForThread(UInt32(truncatingIfNeeded: dAllocateMaskAll.rawValue))
    }
}
