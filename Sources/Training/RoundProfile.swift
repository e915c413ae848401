#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The phases a training round's time is split into (`shoal bench train`).
public enum RoundPhase: Int, CaseIterable, Sendable {
    /// `VectorEnvironment.step` of the learners' batches.
    case environment
    /// Forward passes of the networks and the action distribution's forward math (head inputs,
    /// sampling, log-probabilities, entropies).
    case forward
    /// Backward passes of the networks (∂L/∂parameters, ∂L/∂hidden activations) and the
    /// distribution's gradients.
    case backward
    /// Gradient norm, clipping and the optimiser's step.
    case optimiser
    /// The cohort's exchange: parameter rows out, the strategy's communication, rows back.
    case communication

    public var name: String {
        switch self {
        case .environment: return "environment"
        case .forward: return "forward"
        case .backward: return "backward"
        case .optimiser: return "optimiser"
        case .communication: return "communication"
        }
    }
}

/// One network pass shape a profile saw: which network, how many rows, how often, how long.
public struct PassTally: Sendable, Equatable {
    /// 0: the actor (policy network), 1: the critic (value network).
    public var network: Int
    public var rows: Int
    public var forwardPasses = 0
    public var backwardPasses = 0
    public var forwardNanoseconds: UInt64 = 0
    public var backwardNanoseconds: UInt64 = 0
}

/// Phase timers of one learner (or of a cohort's own work): nanoseconds per ``RoundPhase`` and
/// the network passes by shape. Off by default; off, ``start()`` returns 0 without reading the
/// clock and ``stop(_:since:)`` returns at once, so the only cost is one predictable branch, and
/// nothing a timer does reaches the numbers of a run.
public struct RoundProfile: Sendable {
    public var isEnabled = false
    /// Nanoseconds per phase, indexed by ``RoundPhase/rawValue``.
    public var nanoseconds = SIMD8<UInt64>(repeating: 0)
    /// Network passes by (network, rows); at most ``shapeCapacity`` shapes, then
    /// ``untalliedPasses`` counts the rest (their time still counts in ``nanoseconds``).
    public var passes: [PassTally] = []
    public var untalliedPasses = 0
    /// Distinct pass shapes kept (reserved when enabled, so tallying never allocates).
    public static let shapeCapacity = 32

    public init(enabled: Bool = false) { setEnabled(enabled) }

    public mutating func setEnabled(_ on: Bool) {
        isEnabled = on
        if on { passes.reserveCapacity(Self.shapeCapacity) }
    }

    /// The monotonic clock in nanoseconds when enabled, else 0 (no clock read).
    @inline(__always)
    public func start() -> UInt64 { isEnabled ? monotonicNanoseconds() : 0 }

    /// Adds the time since `start` to `phase`.
    @inline(__always)
    public mutating func stop(_ phase: RoundPhase, since start: UInt64) {
        guard isEnabled else { return }
        nanoseconds[phase.rawValue] &+= monotonicNanoseconds() &- start
    }

    /// Adds a network pass of `rows` rows of `network` (0 actor, 1 critic) since `start`.
    @inline(__always)
    public mutating func stopPass(_ phase: RoundPhase, since start: UInt64, network: Int, rows: Int) {
        guard isEnabled else { return }
        let elapsed = monotonicNanoseconds() &- start
        nanoseconds[phase.rawValue] &+= elapsed
        tally(phase == .backward, elapsed: elapsed, network: network, rows: rows)
    }

    mutating func tally(_ backward: Bool, elapsed: UInt64, network: Int, rows: Int) {
        var k = 0
        while k < passes.count && !(passes[k].network == network && passes[k].rows == rows) { k += 1 }
        if k == passes.count {
            guard k < Self.shapeCapacity else { untalliedPasses += 1; return }
            passes.append(PassTally(network: network, rows: rows))
        }
        if backward {
            passes[k].backwardPasses += 1
            passes[k].backwardNanoseconds &+= elapsed
        } else {
            passes[k].forwardPasses += 1
            passes[k].forwardNanoseconds &+= elapsed
        }
    }

    /// Adds `other`'s times and passes into this profile.
    public mutating func add(_ other: RoundProfile) {
        nanoseconds &+= other.nanoseconds
        untalliedPasses += other.untalliedPasses
        for p in other.passes {
            if let k = passes.firstIndex(where: { $0.network == p.network && $0.rows == p.rows }) {
                passes[k].forwardPasses += p.forwardPasses
                passes[k].backwardPasses += p.backwardPasses
                passes[k].forwardNanoseconds &+= p.forwardNanoseconds
                passes[k].backwardNanoseconds &+= p.backwardNanoseconds
            } else {
                passes.append(p)
            }
        }
    }

    /// Zeroes the times and passes (keeps the capacity and whether it is enabled).
    public mutating func clear() {
        nanoseconds = SIMD8(repeating: 0)
        passes.removeAll(keepingCapacity: true)
        untalliedPasses = 0
    }

    public func seconds(_ phase: RoundPhase) -> Double { Double(nanoseconds[phase.rawValue]) / 1e9 }
}

/// The monotonic clock (`CLOCK_MONOTONIC`), nanoseconds.
@inline(__always)
public func monotonicNanoseconds() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
}
