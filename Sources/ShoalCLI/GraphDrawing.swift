import Communication
import Foundation

/// An SVG drawing of `graph`: agents on a circle (or on the given grid), edges drawn with
/// a width proportional to their mixing weight, self weights written inside small graphs.
func graphSVG(_ graph: Graph, weights: MixingMatrix, grid: (rows: Int, columns: Int)?, title: String) -> String {
    let n = graph.agentCount
    let size = 640.0
    let margin = 60.0
    var positions: [(Double, Double)] = []
    if let grid, grid.rows * grid.columns == n {
        let cell = (size - 2 * margin) / Double(max(grid.rows, grid.columns) - 1 == 0 ? 1 : max(grid.rows, grid.columns) - 1)
        let top = (size - Double(grid.rows - 1) * cell) / 2 + 10
        let left = (size - Double(grid.columns - 1) * cell) / 2
        for v in 0..<n { positions.append((left + Double(v % grid.columns) * cell, top + Double(v / grid.columns) * cell)) }
    } else {
        let r = (size - 2 * margin) / 2
        for v in 0..<n {
            let a = 2 * Double.pi * Double(v) / Double(n) - Double.pi / 2
            positions.append((size / 2 + r * cos(a), size / 2 + 10 + r * sin(a)))
        }
    }
    let nodeRadius = max(3, min(16, 240 / Double(max(n, 1))))
    let maxWeight = max(1e-12, graph.edges.map { max(weights[$0.0, $0.1], weights[$0.1, $0.0]) }.max() ?? 1)
    var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(size))" height="\(Int(size + 20))" viewBox="0 0 \(Int(size)) \(Int(size + 20))">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(Int(size / 2))" y="24" font-family="sans-serif" font-size="16" text-anchor="middle">\(escapeXML(title))</text>

        """
    for (i, j) in graph.edges {
        let w = max(weights[i, j], weights[j, i])
        let width = 0.5 + 3.5 * w / maxWeight
        s += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#4a6fa5\" stroke-opacity=\"0.7\" stroke-width=\"%.2f\"/>\n",
                    positions[i].0, positions[i].1, positions[j].0, positions[j].1, width)
    }
    for v in 0..<n {
        s += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#f4a259\" stroke=\"#333\" stroke-width=\"1\"/>\n",
                    positions[v].0, positions[v].1, nodeRadius)
        if n <= 64 {
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-family=\"sans-serif\" font-size=\"%.0f\" text-anchor=\"middle\" dominant-baseline=\"central\">%d</text>\n",
                        positions[v].0, positions[v].1, max(7, nodeRadius * 0.9), v)
        }
    }
    s += "</svg>\n"
    return s
}

private func escapeXML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
}
