import Foundation

/// How much memory a user-given size may claim, checked before anything is allocated.
///
/// Every size a user types (copies in a batch, agents of a graph, cells of a map, draws of a
/// task set, widths of a network) is turned into an estimate of the bytes it needs, and refused
/// with one sentence naming the estimate and the limit when it does not fit:
///
///     let budget = MemoryBudget.standard
///     try budget.check(MemoryBudget.bytes(count, perItem: 96), for: "--num-envs \(count)")
///
/// The limit is half of the machine's physical memory, or `SHOAL_MEMORY_LIMIT_MB` megabytes when
/// that environment variable is set to a positive number. Estimates are computed in `Double`, so
/// an absurd size (`9223372036854775807` copies) gives an absurd estimate instead of an overflow.
public struct MemoryBudget: Sendable, Equatable {
    /// The most bytes a single request may claim.
    public var limitBytes: Double
    /// How the limit was chosen, for the error message ("half of the physical memory").
    public var limitSource: String

    public init(limitBytes: Double, limitSource: String = "the memory limit") {
        self.limitBytes = limitBytes
        self.limitSource = limitSource
    }

    /// Half of the physical memory, or `SHOAL_MEMORY_LIMIT_MB` when set.
    public static var standard: MemoryBudget {
        if let text = ProcessInfo.processInfo.environment["SHOAL_MEMORY_LIMIT_MB"], let mb = Double(text), mb > 0, mb.isFinite {
            return MemoryBudget(limitBytes: mb * 1_048_576, limitSource: "SHOAL_MEMORY_LIMIT_MB")
        }
        return MemoryBudget(limitBytes: Double(ProcessInfo.processInfo.physicalMemory) / 2, limitSource: "half of the physical memory")
    }

    /// `count × perItem` bytes, in `Double` (never overflows).
    public static func bytes(_ count: Int, perItem: Double) -> Double { Double(count) * perItem }

    /// The default per-copy estimate of a vector environment: 2 kB of state, parameters and
    /// generator, plus the copy's rows of a step batch (observation, final observation, reward,
    /// flags and episode statistics) with half as much again for rendering buffers, and eight
    /// actions (a benchmark's pool). Measured resident sizes (bytes per copy): cart-pole about
    /// 400, navigation about 30 000 (estimate 39 000), hopper 32 000 (estimate 50 000), ant
    /// 80 000 (estimate 122 000).
    public static func defaultBytesPerCopy(observationSize: Int, actionSize: Int) -> Double {
        2048 + 12 * Double(observationSize) + 32 + 32 * Double(actionSize)
    }

    /// Whether `bytes` fits.
    public func allows(_ bytes: Double) -> Bool { bytes.isFinite && bytes <= limitBytes }

    /// Throws one sentence naming `what`, the estimate and the limit unless `bytes` fits.
    /// - Throws: ``EnvironmentError/invalid(_:)``.
    public func check(_ bytes: Double, for what: String) throws(EnvironmentError) {
        guard allows(bytes) else {
            throw .invalid("\(what) needs about \(MemoryBudget.format(bytes)) of memory, more than the limit of "
                + "\(MemoryBudget.format(limitBytes)) (\(limitSource))")
        }
    }

    /// `1.5 GB`, `512 MB`, `3.2e+06 TB`.
    public static func format(_ bytes: Double) -> String {
        guard bytes.isFinite else { return "an unbounded amount" }
        let units: [(Double, String)] = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        for (scale, unit) in units where bytes >= scale {
            let v = bytes / scale
            return (v >= 1e6 ? String(format: "%.1e", v) : String(format: "%.1f", v)) + " " + unit
        }
        return String(format: "%.0f bytes", bytes)
    }
}
