import Foundation

/// Learning curves as SVG: for every arm, the median over its seeds as a line and the
/// interquartile range as a band, each seed's curve resampled by linear interpolation onto a
/// common grid over the x range all its seeds cover; one colour per arm, labelled axes with
/// ticks, a legend and a title (the figures of paper 000, Fig. 2, and of papers 002/003 with
/// messages on the x axis).
///
/// ```swift
/// let chart = LearningCurveChart(arms: [.init(name: "Diff-A2C", seeds: [[(0, -500), (1e5, -120)], …]), …],
///                                title: "acrobot-extreme-25", xLabel: "environment steps", yLabel: "training return")
/// try chart.svg().write(to: root.appendingPathComponent("figure.svg"), atomically: true, encoding: .utf8)
/// ```
struct LearningCurveChart {
    struct Arm {
        var name: String
        /// One curve per seed, (x, y) points in any order.
        var seeds: [[(x: Double, y: Double)]]
        /// How each seed is called in an error (its run directory), parallel to `seeds`.
        var seedNames: [String] = []
    }

    var arms: [Arm]
    var title: String
    var xLabel: String
    var yLabel: String
    /// Points of the common grid of each arm.
    var gridPoints = 200
    var width = 860.0
    var height = 520.0

    /// A colour-blind-safe palette (Okabe and Ito), one colour per arm, cycled.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

    /// One arm's band: grid x, lower quartile, median, upper quartile.
    typealias Band = [(x: Double, lower: Double, median: Double, upper: Double)]

    /// The band of every arm; an arm whose seeds share no x range, or an empty seed, is a
    /// ``CLIError`` naming the seeds.
    func bands() throws -> [Band] {
        try arms.map { arm in
            let curves = arm.seeds.map { seed in seed.filter { $0.x.isFinite && $0.y.isFinite }.sorted { $0.x < $1.x } }
            func name(_ i: Int) -> String { i < arm.seedNames.count ? arm.seedNames[i] : "seed \(i + 1) of \(arm.name)" }
            guard !curves.isEmpty else { throw CLIError("arm \(arm.name) has no runs to plot") }
            if let empty = curves.firstIndex(where: { $0.isEmpty }) { throw CLIError("\(name(empty)) has no finite points to plot") }
            guard let range = CurveStatistics.overlap(curves) else {
                let late = curves.indices.max { curves[$0].first!.x < curves[$1].first!.x }!
                let early = curves.indices.min { curves[$0].last!.x < curves[$1].last!.x }!
                throw CLIError("the runs of \(arm.name) share no x range: \(name(early)) ends at \(AxisTicks.trimmed(curves[early].last!.x, decimals: 3)) before \(name(late)) starts at \(AxisTicks.trimmed(curves[late].first!.x, decimals: 3))")
            }
            return CurveStatistics.band(curves, on: CurveStatistics.grid(range, count: gridPoints))
        }
    }

    /// The SVG text.
    func svg() throws -> String {
        let bands = try bands()
        let left = 84.0, right = 36.0, top = 56.0, bottom = 64.0
        // Legend below the plot, two entries per row when there are many arms.
        let legendRows = arms.count <= 3 ? arms.count : (arms.count + 1) / 2
        let legendHeight = Double(legendRows) * 20 + 12
        let plotW = width - left - right, plotH = height - top - bottom - legendHeight
        let xs = bands.flatMap { $0.map(\.x) }, ys = bands.flatMap { $0.flatMap { [$0.lower, $0.upper] } }
        let xAxis = AxisTicks.axis(lo: xs.min()!, hi: xs.max()!, target: 6)
        let yAxis = AxisTicks.axis(lo: ys.min()!, hi: ys.max()!, target: 5)
        let xTicks = xAxis.ticks, yTicks = yAxis.ticks
        let x0 = xAxis.lo, x1 = xAxis.hi, y0 = yAxis.lo, y1 = yAxis.hi
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotW }
        func py(_ y: Double) -> Double { top + (y1 - y) / (y1 - y0) * plotH }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        s += text(title, x: width / 2, y: 26, size: 16, anchor: "middle", weight: "bold")
        let seedCounts = Set(arms.map(\.seeds.count))
        let subtitle = seedCounts == [1] ? "one run per curve" : "median and interquartile range over seeds"
        s += text(subtitle, x: width / 2, y: 44, size: 12, anchor: "middle", fill: "#555555")
        // Grid and ticks.
        let xStep = xTicks.count > 1 ? xTicks[1] - xTicks[0] : 1, yStep = yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1
        for t in xTicks {
            s += line(px(t), top, px(t), top + plotH, stroke: "#e6e6e6")
            s += line(px(t), top + plotH, px(t), top + plotH + 5, stroke: "#333333")
            s += text(AxisTicks.label(t, step: xStep), x: px(t), y: top + plotH + 20, size: 12, anchor: "middle")
        }
        for t in yTicks {
            s += line(left, py(t), left + plotW, py(t), stroke: "#e6e6e6")
            s += line(left - 5, py(t), left, py(t), stroke: "#333333")
            s += text(AxisTicks.label(t, step: yStep), x: left - 8, y: py(t) + 4, size: 12, anchor: "end")
        }
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333333\"/>\n"
        s += text(xLabel, x: left + plotW / 2, y: top + plotH + 44, size: 13, anchor: "middle")
        s += "<text x=\"0\" y=\"0\" transform=\"translate(\(f(20)),\(f(top + plotH / 2))) rotate(-90)\" font-size=\"13\" text-anchor=\"middle\" fill=\"#111111\">\(escape(yLabel))</text>\n"
        // Bands first, then medians on top.
        for (k, band) in bands.enumerated() where arms[k].seeds.count > 1 {
            let colour = Self.palette[k % Self.palette.count]
            let upper = band.map { "\(f(px($0.x))),\(f(py($0.upper)))" }
            let lower = band.reversed().map { "\(f(px($0.x))),\(f(py($0.lower)))" }
            s += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(colour)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
        }
        for (k, band) in bands.enumerated() {
            let colour = Self.palette[k % Self.palette.count]
            let points = band.map { "\(f(px($0.x))),\(f(py($0.median)))" }.joined(separator: " ")
            if band.count == 1 {
                s += "<circle cx=\"\(f(px(band[0].x)))\" cy=\"\(f(py(band[0].median)))\" r=\"4\" fill=\"\(colour)\"/>\n"
            } else {
                s += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.2\" stroke-linejoin=\"round\"/>\n"
            }
        }
        // Legend.
        let columns = arms.count <= 3 ? 1 : 2
        let legendTop = top + plotH + 62
        for (k, arm) in arms.enumerated() {
            let colour = Self.palette[k % Self.palette.count]
            let lx = left + Double(k % columns) * (plotW / Double(columns)), ly = legendTop + Double(k / columns) * 20
            s += "<rect x=\"\(f(lx))\" y=\"\(f(ly - 9))\" width=\"22\" height=\"10\" fill=\"\(colour)\" fill-opacity=\"0.18\"/>\n"
            s += line(lx, ly - 4, lx + 22, ly - 4, stroke: colour, width: 2.2)
            var seeds = arm.seeds.count == 1 ? "1 run" : "\(arm.seeds.count) seeds"
            if bands[k].count == 1 { seeds += "; x is \(AxisTicks.trimmed(bands[k][0].x, decimals: 3)) throughout, last value shown" }
            s += text("\(arm.name) (\(seeds))", x: lx + 30, y: ly, size: 12, anchor: "start")
        }
        return s + "</svg>\n"
    }

    func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1) -> String {
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        return "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(f(width))\"/>\n"
    }

    func text(_ s: String, x: Double, y: Double, size: Double, anchor: String, weight: String = "normal", fill: String = "#111111") -> String {
        "<text x=\"\(String(format: "%.1f", x))\" y=\"\(String(format: "%.1f", y))\" font-size=\"\(Int(size))\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" fill=\"\(fill)\">\(escape(s))</text>\n"
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
