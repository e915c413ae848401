import Envs
import Foundation
import Training

/// Paper 000's episodes per task copy in one epoch (§VI-A: "each epoch consists of 5 episodes
/// per agent in Diff-SiAC, and 5N episodes in total for Centralised SiAC").
let stabilityEpisodesPerEpoch = 5.0

/// A scaled return counted as "near the maximum" in the stability check: within a tenth of
/// |R_max| of the best return any arm reached (our threshold; the paper states none).
let stabilityNearMaximum = 0.9

/// A return scaled by the largest return any arm reached, `1 − (maximum − value)/|maximum|`.
/// With a positive maximum this is the paper's `value / maximum` exactly (§VI-A, Figs 2 and 8);
/// with a negative one (the pendulum's returns are all negative) plain division would reverse
/// the order, and this keeps it: the best return is 1 and a return `|maximum|` below it is 0.
func maxScaled(_ value: Double, maximum: Double) -> Double {
    1 - (maximum - value) / abs(maximum)
}

/// The largest drop of a curve below its running maximum, `max_t (max_{s≤t} c_s − c_t)` (0 for a
/// curve that never falls; NaN points are skipped).
func largestDrop(_ curve: [Double]) -> Double {
    var peak = -Double.infinity, drop = 0.0
    for v in curve where v.isFinite {
        peak = max(peak, v)
        drop = max(drop, peak - v)
    }
    return drop
}

/// The stability figures of one arm's scaled test-return curves (one curve per seed, the same
/// epochs in each): what ``stabilityMeasures(seeds:)`` computes.
struct StabilityMeasures: Equatable {
    /// The median over seeds at the last epoch.
    var finalMedian: Double
    /// The largest value of the median curve.
    var bestMedian: Double
    /// The mean of the median curve over the first quarter of the epochs (speed of learning).
    var earlyMedian: Double
    /// The mean over the second half of the epochs of the inter-quartile width Q3 − Q1 over seeds.
    var secondHalfIQR: Double
    /// The largest drop of the median curve below its running maximum.
    var medianDrop: Double
    /// The median over seeds of each seed's own largest drop below its running maximum
    /// (collapses that the median over seeds can hide when seeds collapse at different epochs).
    var seedDrop: Double
}

/// Median, first and third quartiles over seeds at each epoch (linear interpolation between
/// order statistics), for curves of equal length.
func quartileCurves(_ seeds: [[Double]]) -> (median: [Double], lower: [Double], upper: [Double]) {
    let n = seeds.map(\.count).min() ?? 0
    var m: [Double] = [], l: [Double] = [], u: [Double] = []
    for i in 0..<n {
        let v = seeds.map { $0[i] }.sorted()
        m.append(quantile(v, 0.5))
        l.append(quantile(v, 0.25))
        u.append(quantile(v, 0.75))
    }
    return (m, l, u)
}

/// ``StabilityMeasures`` of scaled curves, one per seed over the same epochs.
func stabilityMeasures(seeds: [[Double]]) -> StabilityMeasures {
    let (median, lower, upper) = quartileCurves(seeds)
    guard !median.isEmpty else { return StabilityMeasures(finalMedian: .nan, bestMedian: .nan, earlyMedian: .nan, secondHalfIQR: .nan, medianDrop: .nan, seedDrop: .nan) }
    func mean(_ v: ArraySlice<Double>) -> Double { v.reduce(0, +) / Double(v.count) }
    let half = median.count / 2
    let widths = zip(lower, upper).map { $1 - $0 }
    return StabilityMeasures(finalMedian: median.last!, bestMedian: median.max()!, earlyMedian: mean(median[0..<max(1, median.count / 4)]),
                             secondHalfIQR: mean(widths[half...]), medianDrop: largestDrop(median),
                             seedDrop: quantile(seeds.map(largestDrop).sorted(), 0.5))
}

extension ExperimentPreset {
    /// `figure.svg` in the `stability` style (paper 000, Figs 2 and 8): per arm the task-mean test
    /// return of every evaluation (`eval/episode_return`, ``RunConfig/evalEveryRounds``) against
    /// epochs (``stabilityEpisodesPerEpoch`` episodes per task copy), scaled by the largest value
    /// any arm of the same panel reached (``maxScaled(_:maximum:)``), with the median and the
    /// first and third quartiles over seeds; one panel per arm ``panels`` name. Writes
    /// `<arm>/stability.csv` and returns the measured check (``StabilityMeasures`` per arm, and
    /// per panel the paper's claims against the centralised and the decentralised arm).
    func writeStabilityFigure(root: URL, plans: [(arm: String, slug: String, seed: UInt64)]) throws -> String {
        var arms: [(arm: String, slug: String)] = []
        for p in plans where !arms.contains(where: { $0.slug == p.slug }) { arms.append((p.arm, p.slug)) }
        var panelNames: [String] = []
        for a in arms where !panelNames.contains(panels[a.arm] ?? "") { panelNames.append(panels[a.arm] ?? "") }
        // Per arm and seed: (epoch, raw test return) of every evaluation.
        var raw: [String: [[(epoch: Double, value: Double)]]] = [:]
        var centralised: [String: Bool] = [:]
        var testEpisodes = "", testMode = ""
        for a in arms {
            for p in plans where p.slug == a.slug {
                let dir = try RunDirectory.open(at: root.appendingPathComponent(a.slug).appendingPathComponent("seed-\(p.seed)").path)
                let config = try dir.readConfig()
                centralised[a.arm] = config.architecture == .centralised
                testEpisodes = String(config.evalEpisodes)
                testMode = config.evalGreedy ? "greedy" : "sampled"
                let episodesPerRound = config.algorithmSettings["episodes_per_update"]?.doubleValue ?? 1
                let points = try dir.metricsLines().compactMap { line -> (Double, Double)? in
                    guard let r = line["round"]?.doubleValue, let v = line[Metric.evalReturn.rawValue]?.doubleValue, v.isFinite else { return nil }
                    return (r * episodesPerRound / stabilityEpisodesPerEpoch, v)
                }
                guard !points.isEmpty else {
                    throw CLIError("\(a.arm), seed \(p.seed): no test returns during training; the stability figure needs eval_every_rounds")
                }
                raw[a.arm, default: []].append(points)
            }
        }
        var figure = PresetFigure(title: name, panels: panelNames.map { (name: $0.isEmpty ? "scaled test return" : "\($0): scaled test return", series: []) })
        figure.bands = panelNames.map { _ in [] }
        figure.xLabel = "epoch"
        var text = "Stability (paper 000, §VI-A): the task-mean test return (\(testEpisodes) \(testMode) test episodes per task at every evaluation) scaled by the largest value any arm reached, s = 1 − (R_max − R)/|R_max| (= R/R_max when R_max > 0); median and quartiles over seeds per epoch (\(Int(stabilityEpisodesPerEpoch)) episodes per task copy)."
        text += "\nPer arm: FINAL = median at the last epoch; EARLY = mean median over the first quarter of the epochs; IQR = mean Q3 − Q1 over the second half; DROP = largest fall of the median below its running maximum; SEED DROP = median over seeds of each seed's largest fall; near the maximum: ≥ \(stabilityNearMaximum)."
        for (panelIndex, panel) in panelNames.enumerated() {
            let members = arms.filter { (panels[$0.arm] ?? "") == panel }
            let all = members.flatMap { raw[$0.arm] ?? [] }.flatMap { $0 }
            guard let best = all.map(\.value).max(), best != 0 else { continue }
            text += "\n\n\(panel.isEmpty ? name : panel): R_max = \(String(format: "%.1f", best))"
            var measured: [String: StabilityMeasures] = [:]
            for a in members {
                let bySeed = raw[a.arm] ?? []
                // Epochs every seed evaluated at, in order.
                var epochs = bySeed.first?.map(\.epoch) ?? []
                for s in bySeed.dropFirst() { epochs = epochs.filter { e in s.contains { $0.epoch == e } } }
                let scaled = bySeed.map { s in epochs.map { e in maxScaled(s.first { $0.epoch == e }!.value, maximum: best) } }
                let (median, lower, upper) = quartileCurves(scaled)
                figure.panels[panelIndex].series.append((a.arm, Array(zip(epochs, median))))
                figure.bands[panelIndex].append(epochs.indices.map { (epochs[$0], lower[$0], upper[$0]) })
                var csv = "epoch,scaled_median,scaled_lower_quartile,scaled_upper_quartile,seeds,r_max\n"
                for i in epochs.indices {
                    csv += [epochs[i], median[i], lower[i], upper[i]].map { formatJSONNumber($0) }.joined(separator: ",") + ",\(scaled.count),\(formatJSONNumber(best))\n"
                }
                try csv.write(to: root.appendingPathComponent(a.slug).appendingPathComponent("stability.csv"), atomically: true, encoding: .utf8)
                let m = stabilityMeasures(seeds: scaled)
                measured[a.arm] = m
                text += String(format: "\n  %@: %d seeds, %d epochs; FINAL %.3f  EARLY %.3f  IQR %.3f  DROP %.3f  SEED DROP %.3f",
                               a.arm, scaled.count, epochs.count, m.finalMedian, m.earlyMedian, m.secondHalfIQR, m.medianDrop, m.seedDrop)
            }
            // The paper's claims, centralised arm against decentralised arm of the panel.
            guard let c = members.first(where: { centralised[$0.arm] == true }), let d = members.first(where: { centralised[$0.arm] == false }),
                  let mc = measured[c.arm], let md = measured[d.arm] else { continue }
            func verdict(_ holds: Bool) -> String { holds ? "holds" : "does not hold" }
            text += "\n  claim \"Diff-SiAC's band is narrower\" (IQR \(String(format: "%.3f", md.secondHalfIQR)) vs \(String(format: "%.3f", mc.secondHalfIQR))): \(verdict(md.secondHalfIQR < mc.secondHalfIQR))"
            text += "\n  claim \"Centralised SiAC is unstable (collapses/oscillates)\" (SEED DROP \(String(format: "%.3f", mc.seedDrop)) vs Diff-SiAC \(String(format: "%.3f", md.seedDrop)); DROP \(String(format: "%.3f", mc.medianDrop)) vs \(String(format: "%.3f", md.medianDrop))): \(verdict(mc.seedDrop > md.seedDrop && mc.medianDrop > md.medianDrop))"
            text += "\n  claim \"Centralised SiAC starts faster\" (EARLY \(String(format: "%.3f", mc.earlyMedian)) vs \(String(format: "%.3f", md.earlyMedian))): \(verdict(mc.earlyMedian > md.earlyMedian))"
            let near = stabilityNearMaximum
            text += "\n  claim \"Centralised SiAC reaches near maximum performance\" (its best median \(String(format: "%.3f", mc.bestMedian)) ≥ \(near)): \(verdict(mc.bestMedian >= near))"
            text += "\n  claim \"Diff-SiAC learns robustly\" (FINAL \(String(format: "%.3f", md.finalMedian)) ≥ \(near)): \(verdict(md.finalMedian >= near))"
            if md.bestMedian < near {
                text += " — Diff-SiAC's median never came near the maximum within this budget, so its narrow band and small drops are those of a curve that has not yet risen, not evidence of stability"
            }
        }
        try figure.svg.write(to: root.appendingPathComponent("figure.svg"), atomically: true, encoding: .utf8)
        return text
    }
}
