import Envs
import Foundation
import Training

extension ExperimentPreset {
    /// `figure.svg` in the `mean-band` style: for every arm, the mean over seeds of the training
    /// return (`train/episode_return`) at each logged round, with the min–max band over seeds
    /// (against the environment steps where the arms' rounds hold different numbers of steps),
    /// one panel per arm ``panels`` name (and a row of panels more for each episode counter the
    /// runs log, `env/collisions` and `env/landmarks_covered`). Returns our orderings, printed beside the paper's: per
    /// panel, the arms ranked by their early return (the mean of the curve over the first quarter
    /// of the logged rounds, a measure of speed) and by their final return (over the last tenth).
    func writeMeanBandFigure(root: URL, plans: [(arm: String, slug: String, seed: UInt64)]) throws -> String {
        var arms: [(arm: String, slug: String)] = []
        for p in plans where !arms.contains(where: { $0.slug == p.slug }) { arms.append((p.arm, p.slug)) }
        var panelNames: [String] = []
        for a in arms {
            let p = panels[a.arm] ?? ""
            if !panelNames.contains(p) { panelNames.append(p) }
        }
        var lines: [String: [[JSONValue]]] = [:]
        for a in arms {
            for p in plans where p.slug == a.slug {
                lines[a.slug, default: []].append(try RunDirectory.open(at: root.appendingPathComponent(a.slug).appendingPathComponent("seed-\(p.seed)").path).metricsLines())
            }
        }
        // The training return, then the environment's episode counters where the runs log them
        // (simple spread: collisions and landmarks covered), each in its own row of panels.
        var metrics: [(key: String, label: String)] = [("train/episode_return", "training return")]
        for (key, label) in [("env/collisions", "collisions per episode"), ("env/landmarks_covered", "landmarks covered")]
        where lines.values.contains(where: { $0.contains { $0.contains { $0[key]?.doubleValue != nil } } }) {
            metrics.append((key, label))
        }
        var panelTitles: [(name: String, series: [(arm: String, points: [(Double, Double)])])] = []
        for metric in metrics {
            for p in panelNames { panelTitles.append((name: p.isEmpty ? metric.label : "\(p): \(metric.label)", series: [])) }
        }
        var figure = PresetFigure(title: name, panels: panelTitles)
        figure.bands = panelTitles.map { _ in [] }
        // Rounds compare arms only when a round holds the same environment steps in each: a
        // Diff-A2C round of 25 agents × 60 steps is 12 centralised rounds of 25 copies × 5 steps.
        // Otherwise the x axis is the environment steps (the mean over seeds at each logged line).
        let stepsPerRound = arms.compactMap { a -> Double? in
            guard let last = lines[a.slug]?.first?.last(where: { $0["env_steps"] != nil }),
                  let steps = last["env_steps"]?.doubleValue, let round = last["round"]?.doubleValue, round > 0 else { return nil }
            return steps / round
        }
        let bySteps = stepsPerRound.count == arms.count && (stepsPerRound.max() ?? 0) > 1.01 * (stepsPerRound.min() ?? 0)
        let xKey = bySteps ? "env_steps" : "round"
        figure.xLabel = bySteps ? "environment steps" : "round"
        var text = "Our orderings (mean over seeds; early: over the first quarter of the logged rounds; final: over the last tenth; higher first):"
        for (row, metric) in metrics.enumerated() {
            var ranking: [String: [(arm: String, early: Double, final: Double)]] = [:]
            for a in arms {
                let bySeed = lines[a.slug] ?? []
                var points: [(Double, Double)] = [], band: [(Double, Double, Double)] = []
                for i in 0..<(bySeed.map(\.count).min() ?? 0) {
                    let v = bySeed.compactMap { $0[i][metric.key]?.doubleValue }.filter(\.isFinite)
                    let xs = bySeed.compactMap { $0[i][xKey]?.doubleValue }
                    guard !v.isEmpty, !xs.isEmpty else { continue }
                    let x = bySteps ? xs.reduce(0, +) / Double(xs.count) : xs[0]
                    points.append((x, v.reduce(0, +) / Double(v.count)))
                    band.append((x, v.min()!, v.max()!))
                }
                let panel = row * panelNames.count + (panelNames.firstIndex(of: panels[a.arm] ?? "") ?? 0)
                figure.panels[panel].series.append((a.arm, points))
                figure.bands[panel].append(band)
                guard !points.isEmpty else { continue }
                func mean(_ s: ArraySlice<(Double, Double)>) -> Double { s.isEmpty ? .nan : s.reduce(0) { $0 + $1.1 } / Double(s.count) }
                let early = mean(points[0..<max(1, points.count / 4)])
                let final = mean(points[(points.count - max(1, points.count / 10))...])
                ranking[panels[a.arm] ?? "", default: []].append((a.arm, early, final))
            }
            for p in panelNames {
                let r = ranking[p] ?? []
                func list(_ key: KeyPath<(arm: String, early: Double, final: Double), Double>) -> String {
                    r.sorted { $0[keyPath: key] > $1[keyPath: key] }.map { "\($0.arm) \(String(format: "%.2f", $0[keyPath: key]))" }.joined(separator: " > ")
                }
                let title = [p.isEmpty ? name : p, metrics.count > 1 ? metric.label : ""].filter { !$0.isEmpty }.joined(separator: ", ")
                text += "\n  \(title): early \(list(\.early)); final \(list(\.final))"
            }
        }
        try figure.svg.write(to: root.appendingPathComponent("figure.svg"), atomically: true, encoding: .utf8)
        return text
    }
}
