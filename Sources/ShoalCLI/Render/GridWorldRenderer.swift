import Envs
import Foundation
import Tabular

/// Draws grid worlds (`grid-world…`, `frozen-lake…`) and the two-task chain as SVG, after
/// paper 001 Fig. 2: goals in gold with the environment index in white, obstacles in red with
/// the index in black, walls dark, the start in green. A task whose variants are `env-1`,
/// `env-2`, … is a multi-task set: without `--variant` every environment is drawn on one map.
/// With `--optimal` (value iteration on the summed objective, γ = 0.95) or `--policy FILE`
/// (per-state probabilities, as `shoal mdp`), the most likely path from the start is drawn in
/// light green (for a set: the shared policy's path until every environment has ended).
enum GridWorldRenderer: TaskRenderer {
    static let discount = 0.95
    static let cell = 44.0

    static func canRender(_ id: TaskID) -> Bool {
        id.family == "grid-world" || id.family == "frozen-lake"
    }

    static func render(_ request: RenderRequest) throws {
        let svg: String
        if request.task.id.name == "grid-world/two-task-chain" {
            svg = try chainSVG(request)
        } else {
            svg = try gridSVG(request)
        }
        try writeTextFile(svg, to: request.out, what: "the drawing")
    }

    /// The environments to draw: every `env-N` variant when no variant was chosen, else one.
    static func environments(_ request: RenderRequest) throws -> [GridWorld.Parameters] {
        let envVariants = request.task.variants.filter { $0.name.hasPrefix("env-") }
        var assignments = [request.parameters]
        if request.variant == nil && envVariants.count > 1 {
            assignments = envVariants.map { request.parameters.merging($0.parameters) }
        }
        var list: [GridWorld.Parameters] = []
        for a in assignments {
            do { list.append(try decodeParameters(GridWorld.Parameters.self, from: a, context: "task \(request.task.id)")) } catch {
                throw CLIError(error.message)
            }
        }
        return list
    }

    static func gridSVG(_ request: RenderRequest) throws -> String {
        let envs = try environments(request)
        var dynamics: [GridWorldDynamics] = []
        for p in envs {
            do { dynamics.append(try GridWorldDynamics.compiled(p)) } catch { throw CLIError(error.description) }
        }
        let map = dynamics[0].map
        guard dynamics.allSatisfy({ $0.map.rows == map.rows && $0.map.columns == map.columns }) else {
            throw CLIError("the environments of \(request.task.id) have maps of different sizes; draw one with --variant")
        }
        let c = cell, margin = 24.0, top = 48.0
        let width = max(Double(map.columns) * c + 2 * margin, 560), height = Double(map.rows) * c + top + margin + 40
        var out = svgHeader(width: width, height: height)
        var title = request.task.id.description
        if let v = request.variant { title += " (\(v))" } else if envs.count > 1 { title += " — \(envs.count) environments" }
        out += text(title, x: margin, y: 28, size: 16, anchor: "start", weight: "bold")
        func x(_ col: Int) -> Double { margin + Double(col) * c }
        func y(_ row: Int) -> Double { top + Double(row) * c }
        // Cells: walls and floor.
        for r in 0..<map.rows {
            for col in 0..<map.columns {
                let wall = map.cell(r, col) == .wall
                out += rect(x: x(col), y: y(r), w: c, h: c, fill: wall ? "#3b3b3b" : "#f4f6f8", stroke: "#c8ccd0")
            }
        }
        // The most likely path.
        let legend = "gold: goal, red: obstacle" + (envs.count > 1 ? " (numbers: environment)" : "")
        var pathLegend = ""
        if request.optimal || request.policy != nil {
            let (cells, how) = try path(request, envs: envs, map: map)
            let points = cells.map { "\(x($0 % map.columns) + c / 2),\(y($0 / map.columns) + c / 2)" }.joined(separator: " ")
            out += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"#39d353\" stroke-width=\"7\" stroke-opacity=\"0.6\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n"
            if let last = cells.last {
                out += "<circle cx=\"\(x(last % map.columns) + c / 2)\" cy=\"\(y(last / map.columns) + c / 2)\" r=\"7\" fill=\"#1a7f37\"/>\n"
            }
            pathLegend = "green: most likely path, \(how), \(cells.count - 1) steps"
        }
        // Markers: per cell, the goals and obstacles of every environment.
        var markers: [Int: [(goal: Bool, label: String)]] = [:]
        for (i, d) in dynamics.enumerated() {
            let label = envs.count > 1 ? String(i + 1) : ""
            for k in 0..<map.cellCount {
                switch d.map.cells[k] {
                case .goal: markers[k, default: []].append((true, label.isEmpty ? "G" : label))
                case .obstacle:
                    let line = Array(d.map.lines[k / map.columns])
                    let own: String = label.isEmpty ? String(line[k % map.columns]) : label
                    markers[k, default: []].append((false, own))
                default: break
                }
            }
        }
        for (k, list) in markers.sorted(by: { $0.key < $1.key }) {
            let r = k / map.columns, col = k % map.columns
            let w = (c - 4) / Double(list.count)
            for (j, m) in list.enumerated() {
                let mx = x(col) + 2 + Double(j) * w
                out += rect(x: mx, y: y(r) + 2, w: w, h: c - 4, fill: m.goal ? "#d9a400" : "#d7301f", stroke: "none")
                out += text(m.label, x: mx + w / 2, y: y(r) + c / 2 + 6, size: 17, anchor: "middle", weight: "bold",
                            fill: m.goal ? "#ffffff" : "#000000")
            }
        }
        // Start cells of the first environment.
        let starts = dynamics[0].startCells.map(Int.init)
        for s in starts where markers[s] == nil {
            out += rect(x: x(s % map.columns) + 2, y: y(s / map.columns) + 2, w: c - 4, h: c - 4, fill: "#9ad29a", stroke: "none")
            if starts.count == 1 {
                out += text("S", x: x(s % map.columns) + c / 2, y: y(s / map.columns) + c / 2 + 6, size: 17, anchor: "middle", weight: "bold")
            }
        }
        out += text(legend, x: margin, y: height - 30, size: 12, anchor: "start")
        out += text(pathLegend, x: margin, y: height - 12, size: 12, anchor: "start")
        return out + "</svg>\n"
    }

    /// The cells of the most likely path, and how its policy was chosen.
    static func path(_ request: RenderRequest, envs: [GridWorld.Parameters], map: GridMap) throws -> ([Int], String) {
        do {
            let models = try envs.map { try $0.tabularModel() }
            let product = try MultiTaskProduct(models)
            let a = models[0].actionCount
            var policy: [Double]
            var values: [Double]?
            var how: String
            if let file = request.policy {
                let shared = try readPolicy(file, states: models[0].stateCount, actions: a)
                policy = []
                policy.reserveCapacity(product.mdp.stateCount * a)
                for index in 0..<product.mdp.stateCount {
                    let s = product.decode(index).state
                    policy += shared[s * a..<(s + 1) * a]
                }
                how = "policy \(URL(fileURLWithPath: file).lastPathComponent)"
            } else {
                let solution = try valueIteration(product.mdp, discount: discount)
                policy = solution.policy
                values = solution.values
                how = "optimal" + (envs.count > 1 ? " for the summed objective" : "") + ", γ = \(discount)"
            }
            guard let start = product.mdp.initial.indices.max(by: { product.mdp.initial[$0] < product.mdp.initial[$1] }) else { return ([], how) }
            // Optimal mode stops where nothing is left to gain or lose (the remaining tasks are
            // indifferent, as in the unresolvable set once goal 4 is reached).
            let states = mostLikelyPath(product.mdp, policy: policy, from: start, maxSteps: 4 * map.cellCount, values: values)
            var cells = states.map { product.decode($0).state }
            if let last = cells.last, cells.dropLast().contains(last) { cells.removeLast() }  // stopped at a revisit
            return (cells, how)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("cannot draw the path of \(request.task.id): \(error)")
        }
    }

    /// The chain of Fig. 1: five states in a row, the task's rewards, and the start S3.
    static func chainSVG(_ request: RenderRequest) throws -> String {
        let p: TwoTaskChain.Parameters
        do { p = try decodeParameters(TwoTaskChain.Parameters.self, from: request.parameters, context: "task \(request.task.id)") } catch {
            throw CLIError(error.message)
        }
        let c = 70.0, margin = 24.0, top = 50.0
        let width = max(5 * c + 2 * margin, 520), height = top + c + 70
        var out = svgHeader(width: width, height: height)
        out += text("\(request.task.id) — task \(p.task), \(p.dynamics)", x: margin, y: 28, size: 15, anchor: "start", weight: "bold")
        let sign = p.task == 1 ? 1 : -1
        for s in 0..<5 {
            let fill = s == 0 ? (sign > 0 ? "#d9a400" : "#d7301f") : s == 4 ? (sign > 0 ? "#d7301f" : "#d9a400") : (s == 2 ? "#9ad29a" : "#f4f6f8")
            out += rect(x: margin + Double(s) * c, y: top, w: c, h: c, fill: fill, stroke: "#888888")
            out += text("S\(s + 1)", x: margin + Double(s) * c + c / 2, y: top + c / 2 + 6, size: 18, anchor: "middle", weight: "bold")
        }
        out += text(sign > 0 ? "+1" : "−1", x: margin + c / 2, y: top + c + 22, size: 14, anchor: "middle")
        out += text(sign > 0 ? "−1" : "+1", x: margin + 4.5 * c, y: top + c + 22, size: 14, anchor: "middle")
        let note = p.task == 2 ? "L and R swapped in S2 and S4; start S3" : "L moves left, R moves right; start S3"
        out += text(note, x: margin, y: height - 12, size: 12, anchor: "start")
        return out + "</svg>\n"
    }

    static func svgHeader(width: Double, height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
    }

    static func rect(x: Double, y: Double, w: Double, h: Double, fill: String, stroke: String) -> String {
        "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(w)\" height=\"\(h)\" fill=\"\(fill)\" stroke=\"\(stroke)\"/>\n"
    }

    static func text(_ s: String, x: Double, y: Double, size: Double, anchor: String, weight: String = "normal", fill: String = "#111111") -> String {
        let escaped = s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        return "<text x=\"\(x)\" y=\"\(y)\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" fill=\"\(fill)\">\(escaped)</text>\n"
    }
}
