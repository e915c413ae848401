import Foundation

/// Axis ticks at "nice" numbers (1, 2 or 5 × 10ᵏ apart) and their labels. Pure functions.
enum AxisTicks {
    /// The tick spacing for about `target` intervals over `span`: the smallest of 1, 2, 5 × 10ᵏ
    /// that gives at most `target` intervals (span 0…1000, target 5 → 200).
    static func step(span: Double, target: Int) -> Double {
        guard span > 0, span.isFinite, target > 0 else { return 1 }
        let raw = span / Double(target)
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        for m in [1.0, 2, 5, 10] where m * magnitude >= raw * (1 - 1e-9) { return m * magnitude }
        return 10 * magnitude
    }

    /// Ticks covering [lo, hi]: the axis is widened outward to whole steps, so the first and last
    /// ticks are the ends of the axis. A zero-width range is widened around its value.
    static func ticks(lo: Double, hi: Double, target: Int = 5) -> [Double] {
        var lo = lo, hi = hi
        if hi <= lo {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad; hi += pad
        }
        let s = step(span: hi - lo, target: target)
        let first = (lo / s).rounded(.down), last = (hi / s).rounded(.up)
        // Below 1, k × s is computed as k × (s · 10ᵈ) / 10ᵈ so that 3 × 0.2 is 0.6, not 0.6000000000000001.
        let scale = s < 1 ? pow(10, Double(decimals(s))) : 1
        let whole = (s * scale).rounded()
        return stride(from: first, through: last, by: 1).map { k in
            let v = k * whole / scale
            return v == 0 ? 0 : v
        }
    }

    /// An axis over the data range [lo, hi]: each end moves out to the next tick when that tick
    /// is less than half a step away (5 000…601 000 with steps of 100 000 runs from 0 to 601 000,
    /// not to 700 000; −487…−93 from −500 to −93), and the ticks are those inside the axis.
    static func axis(lo: Double, hi: Double, target: Int = 5) -> (lo: Double, hi: Double, ticks: [Double]) {
        let all = ticks(lo: lo, hi: hi, target: target)
        guard all.count >= 2, hi > lo else { return (all.first ?? lo, all.last ?? hi, all) }
        let step = all[1] - all[0]
        let start = lo - all.first! < step / 2 ? all.first! : lo
        let end = all.last! - hi < step / 2 ? all.last! : hi
        let inside = all.filter { $0 >= start - step * 1e-9 && $0 <= end + step * 1e-9 }
        return (start, end, inside)
    }

    /// A short label: thousands as k, millions as M, billions as G (2500 → "2.5k",
    /// 3 000 000 → "3M"), small numbers with as many decimals as `step` needs (0.25 → "0.25").
    static func label(_ value: Double, step: Double) -> String {
        let a = abs(value)
        let units: [(Double, String)] = [(1e9, "G"), (1e6, "M"), (1e3, "k")]
        for (scale, suffix) in units where a >= scale && step >= scale / 10 {
            return trimmed(value / scale, decimals: decimals(step / scale)) + suffix
        }
        return trimmed(value, decimals: decimals(step))
    }

    /// Decimals needed to tell ticks `step` apart.
    static func decimals(_ step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        return max(0, min(6, Int((-log10(step) + 1 - 1e-9).rounded(.down)) + (step.significandIsOneOrTwoOrFive ? 0 : 1)))
    }

    static func trimmed(_ value: Double, decimals: Int) -> String {
        var s = String(format: "%.\(decimals)f", value)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s == "-0" { s = "0" }
        return s.replacingOccurrences(of: "-", with: "−")
    }
}

extension Double {
    /// Whether the leading significant digit pattern is a single 1, 2 or 5 (0.2, 50, 1000).
    fileprivate var significandIsOneOrTwoOrFive: Bool {
        let m = self / pow(10, log10(self).rounded(.down))
        return [1.0, 2, 5].contains { abs(m - $0) < 1e-9 }
    }
}
