import Foundation

/// A preset's figure (`figure.svg`): one panel per curve kind — the mean return (discounted when
/// the runs report it, as paper 003 plots μ^reward) and the mean message frequency — with one
/// line per arm over the logged rounds, means over seeds.
struct PresetFigure {
    /// Per arm: (round, value) points of each panel.
    var title: String
    var panels: [(name: String, series: [(arm: String, points: [(Double, Double)])])]
    /// Optional bands per panel and arm (same order as `series`): (x, low, high) points, drawn
    /// shaded under the lines.
    var bands: [[[(Double, Double, Double)]]] = []
    /// The x axis's label.
    var xLabel = "round"

    var svg: String {
        // The legend's column grows with the longest arm name (about 6.5 px a character at 11 px).
        let longest = panels.flatMap { $0.series.map(\.arm.count) }.max() ?? 0
        let right = max(180.0, 40.0 + 6.5 * Double(longest))
        let width = 380.0 + right, height = 260.0, left = 64.0, top = 28.0, bottom = 36.0
        let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"]
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height) * panels.count)\" font-family=\"sans-serif\" font-size=\"11\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        for (p, panel) in panels.enumerated() {
            let y0 = Double(p) * height
            let panelBands = p < bands.count ? bands[p] : []
            let all = panel.series.flatMap(\.points) + panelBands.flatMap { $0.flatMap { [($0.0, $0.1), ($0.0, $0.2)] } }
            guard let xMin = all.map(\.0).min(), let xMax = all.map(\.0).max(), var yMin = all.map(\.1).min(), var yMax = all.map(\.1).max() else { continue }
            if yMax - yMin < 1e-9 { yMin -= 0.5; yMax += 0.5 }
            let plotW = width - left - right, plotH = height - top - bottom
            func x(_ v: Double) -> Double { left + (xMax > xMin ? (v - xMin) / (xMax - xMin) : 0.5) * plotW }
            func y(_ v: Double) -> Double { y0 + top + (1 - (v - yMin) / (yMax - yMin)) * plotH }
            out += "<text x=\"\(left)\" y=\"\(y0 + 16)\" font-weight=\"bold\">\(escape(title)) — \(escape(panel.name))</text>\n"
            out += "<rect x=\"\(left)\" y=\"\(y0 + top)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#888\"/>\n"
            for (v, anchor) in [(yMin, y0 + top + plotH), (yMax, y0 + top)] {
                out += "<text x=\"\(left - 4)\" y=\"\(anchor + 4)\" text-anchor=\"end\">\(format(v))</text>\n"
            }
            out += "<text x=\"\(left)\" y=\"\(y0 + height - 12)\">\(format(xMin))</text>\n"
            out += "<text x=\"\(left + plotW)\" y=\"\(y0 + height - 12)\" text-anchor=\"end\">\(format(xMax)) (\(xLabel))</text>\n"
            for (i, band) in panelBands.enumerated() where !band.isEmpty {
                let colour = colours[i % colours.count]
                let upper = band.map { "\(format(x($0.0))),\(format(y($0.2)))" }
                let lower = band.reversed().map { "\(format(x($0.0))),\(format(y($0.1)))" }
                out += "<polygon fill=\"\(colour)\" fill-opacity=\"0.15\" stroke=\"none\" points=\"\((upper + lower).joined(separator: " "))\"/>\n"
            }
            for (i, s) in panel.series.enumerated() {
                let colour = colours[i % colours.count]
                let path = s.points.map { "\(format(x($0.0))),\(format(y($0.1)))" }.joined(separator: " ")
                out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(path)\"/>\n"
                let ly = y0 + top + 12 + Double(i) * 14
                out += "<line x1=\"\(width - right + 10)\" y1=\"\(ly - 4)\" x2=\"\(width - right + 28)\" y2=\"\(ly - 4)\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
                out += "<text x=\"\(width - right + 32)\" y=\"\(ly)\">\(escape(s.arm))</text>\n"
            }
        }
        return out + "</svg>\n"
    }

    func format(_ v: Double) -> String { String(format: abs(v) >= 100 ? "%.0f" : "%.3g", v) }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
