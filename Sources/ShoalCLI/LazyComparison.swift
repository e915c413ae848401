import Envs
import Foundation
import PolicyGradient
import Training

/// Paper 002's figures and acceptance check for a preset that compares PG with LAPG
/// (`"lazy_comparison": {"baseline": "PG", "lazy": ["LAPG", …]}` in the preset file): the reward — the
/// network-averaged episode return, `train/task_mean_return` — against iterations and against
/// cumulative uploads (`comm/uploads`), each arm's mean over seeds with a ±½ standard-deviation
/// band as the paper shades (Figs 3–7), written to `figure-lapg.svg`; and the measured acceptance:
/// whether the lazy arm's mean stays inside the baseline's ±½ sd band at every logged iteration,
/// and the ratio of the two arms' cumulative uploads.
struct LazyComparison {
    var baseline: String
    /// The lazy arms, each checked against the baseline (the first is the one the acceptance names).
    var lazy: [String]

    /// Per logged line (matched by index over seeds): the mean round, the reward's mean and
    /// standard deviation over seeds, and the mean cumulative uploads.
    struct Curve {
        var rounds: [Double] = []
        var mean: [Double] = []
        var sd: [Double] = []
        var uploads: [Double] = []
    }

    static func curve(_ runs: [[JSONValue]]) -> Curve {
        var c = Curve()
        for i in 0..<(runs.map(\.count).min() ?? 0) {
            let lines = runs.map { $0[i] }
            let r = lines.compactMap { $0["train/task_mean_return"]?.doubleValue }.filter(\.isFinite)
            guard !r.isEmpty else { continue }
            let m = r.reduce(0, +) / Double(r.count)
            let v = r.count > 1 ? r.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(r.count - 1) : 0
            let rounds = lines.compactMap { $0["round"]?.doubleValue }
            let uploads = lines.compactMap { $0["comm/uploads"]?.doubleValue }
            c.rounds.append(rounds.reduce(0, +) / Double(max(1, rounds.count)))
            c.mean.append(m)
            c.sd.append(v.squareRoot())
            c.uploads.append(uploads.reduce(0, +) / Double(max(1, uploads.count)))
        }
        return c
    }

    /// Writes the figure and returns the lines to print under the comparison table.
    /// What an arm's runs tell about Theorem 1's step-size condition: its α, ξ, and the largest
    /// sample of L over its runs' smoothness probes (`pg.smoothness_every`; nil when none ran).
    struct StepSizeCheck {
        var alpha: Double
        var xi: [Double]
        var smoothness: Double?
    }

    /// The lines that check α ≤ (1 − 3Σξ)/L̂ (eq. 21) for each lazy arm, with L̂ the largest
    /// smoothness sample of any arm of the preset, and that ξ is non-increasing with Σξ < 1/3.
    func stepSizeLines(_ checks: [String: StepSizeCheck]) -> [String] {
        let samples = checks.values.compactMap(\.smoothness)
        guard let estimate = samples.max() else { return [] }
        var lines = ["L̂ (Lemma 3, the largest sample of ‖∇L(θ₁) − ∇L(θ₂)‖/‖θ₁ − θ₂‖ over the probes near the trajectories, paired episodes, noise subtracted): \(String(format: "%.4g", estimate))"]
        for arm in lazy {
            guard let c = checks[arm] else { continue }
            let sum = c.xi.reduce(0, +)
            let monotone = !zip(c.xi, c.xi.dropFirst()).contains { $0 < $1 }
            let bound = lapgStepSizeBound(xi: c.xi, smoothness: estimate)
            lines.append("  \(arm): ξ non-increasing: \(monotone ? "yes" : "NO"), Σξ = \(String(format: "%.4g", sum)) (< 1/3: \(sum < 1.0 / 3 ? "yes" : "NO")); "
                         + "α = \(String(format: "%.4g", c.alpha)) vs (1 − 3Σξ)/L̂ = \(String(format: "%.4g", bound)) (eq. 21: \(c.alpha <= bound ? "met" : "NOT met"))")
        }
        return lines
    }

    func report(root: URL, title: String, runs: [String: [[JSONValue]]], stepSizes: [String: StepSizeCheck] = [:]) throws -> [String] {
        guard let base = runs[baseline] else { throw CLIError("the preset's lazy_comparison names arm '\(baseline)', which it does not run") }
        let b = Self.curve(base)
        func f(_ v: Double) -> String { String(format: "%.3f", v) }
        var lines: [String] = []
        var series: [(String, Curve)] = [(baseline, b)]
        for arm in lazy {
            guard let lazyRuns = runs[arm] else { throw CLIError("the preset's lazy_comparison names arm '\(arm)', which it does not run") }
            let l = Self.curve(lazyRuns)
            series.append((arm, l))
            let points = min(b.mean.count, l.mean.count)
            guard points > 0 else { lines.append("\(arm): no logged rewards to compare"); continue }
            var inside = 0, worst = 0.0, worstRound = 0.0
            for i in 0..<points {
                let gap = abs(l.mean[i] - b.mean[i]), half = b.sd[i] / 2
                if gap <= half { inside += 1 }
                if gap - half > worst { worst = gap - half; worstRound = b.rounds[i] }
            }
            let ratio = l.uploads[points - 1] / b.uploads[points - 1]
            lines += [
                "\(arm) vs \(baseline) (mean ± sd over seeds of the network-averaged episode reward, last logged iteration \(Int(b.rounds[points - 1]))):",
                "  final reward: \(baseline) \(f(b.mean[points - 1])) ± \(f(b.sd[points - 1])), \(arm) \(f(l.mean[points - 1])) ± \(f(l.sd[points - 1]))",
                "  cumulative uploads: \(baseline) \(Int(b.uploads[points - 1].rounded())), \(arm) \(Int(l.uploads[points - 1].rounded())) — ratio \(f(ratio)) (≤ 0.5: \(ratio <= 0.5 ? "met" : "NOT met"))",
                "  \(arm) inside \(baseline)'s ±½ sd band at \(inside) of \(points) logged iterations (all: \(inside == points ? "met" : "NOT met"))"
                    + (inside == points ? "" : "; largest excess \(f(worst)) at round \(Int(worstRound))"),
            ]
        }
        lines += stepSizeLines(stepSizes)
        lines.append("figure: \(root.appendingPathComponent("figure-lapg.svg").path)")
        try BandFigure(title: title, series: series).svg.write(to: root.appendingPathComponent("figure-lapg.svg"), atomically: true, encoding: .utf8)
        return lines
    }
}

/// Two panels, reward vs iterations and reward vs cumulative uploads, a mean line and a
/// ±½ sd band per arm (paper 002's Figs 3–7).
struct BandFigure {
    var title: String
    var series: [(arm: String, curve: LazyComparison.Curve)]

    var svg: String {
        let width = 640.0, height = 260.0, left = 64.0, right = 210.0, top = 28.0, bottom = 36.0
        let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(2 * height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        let panels: [(String, (LazyComparison.Curve) -> [Double])] = [("iterations", { $0.rounds }), ("cumulative uploads", { $0.uploads })]
        for (p, (axis, xs)) in panels.enumerated() {
            let y0 = Double(p) * height
            let allX = series.flatMap { xs($0.curve) }
            let lows = series.flatMap { s in zip(s.curve.mean, s.curve.sd).map { $0 - $1 / 2 } }
            let highs = series.flatMap { s in zip(s.curve.mean, s.curve.sd).map { $0 + $1 / 2 } }
            guard let xMin = allX.min(), let xMax = allX.max(), var yMin = lows.min(), var yMax = highs.max() else { continue }
            if yMax - yMin < 1e-9 { yMin -= 0.5; yMax += 0.5 }
            let plotW = width - left - right, plotH = height - top - bottom
            func x(_ v: Double) -> Double { left + (xMax > xMin ? (v - xMin) / (xMax - xMin) : 0.5) * plotW }
            func y(_ v: Double) -> Double { y0 + top + (1 - (v - yMin) / (yMax - yMin)) * plotH }
            func fmt(_ v: Double) -> String { String(format: abs(v) >= 100 ? "%.0f" : "%.3g", v) }
            out += "<text x=\"\(left)\" y=\"\(y0 + 16)\" font-weight=\"bold\">\(escape(title)) — reward vs \(axis)</text>\n"
            out += "<rect x=\"\(left)\" y=\"\(y0 + top)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#888\"/>\n"
            for (v, anchor) in [(yMin, y0 + top + plotH), (yMax, y0 + top)] {
                out += "<text x=\"\(left - 4)\" y=\"\(anchor + 4)\" text-anchor=\"end\">\(fmt(v))</text>\n"
            }
            out += "<text x=\"\(left)\" y=\"\(y0 + height - 12)\">\(fmt(xMin))</text>\n"
            out += "<text x=\"\(left + plotW)\" y=\"\(y0 + height - 12)\" text-anchor=\"end\">\(fmt(xMax)) (\(axis))</text>\n"
            for (i, s) in series.enumerated() {
                let colour = colours[i % colours.count]
                let px = xs(s.curve)
                let upper = zip(px, zip(s.curve.mean, s.curve.sd)).map { "\(fmt(x($0))),\(fmt(y($1.0 + $1.1 / 2)))" }
                let lower = zip(px, zip(s.curve.mean, s.curve.sd)).reversed().map { "\(fmt(x($0))),\(fmt(y($1.0 - $1.1 / 2)))" }
                out += "<polygon fill=\"\(colour)\" fill-opacity=\"0.2\" stroke=\"none\" points=\"\((upper + lower).joined(separator: " "))\"/>\n"
                let line = zip(px, s.curve.mean).map { "\(fmt(x($0))),\(fmt(y($1)))" }.joined(separator: " ")
                out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(line)\"/>\n"
                let ly = y0 + top + 12 + Double(i) * 14
                out += "<line x1=\"\(width - right + 10)\" y1=\"\(ly - 4)\" x2=\"\(width - right + 28)\" y2=\"\(ly - 4)\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
                out += "<text x=\"\(width - right + 32)\" y=\"\(ly)\">\(escape(s.arm)) (±½ sd)</text>\n"
            }
        }
        return out + "</svg>\n"
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
