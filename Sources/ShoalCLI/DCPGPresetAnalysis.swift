import Envs
import Foundation
import PolicyGradient
import Tabular
import Training

/// What the DCPG presets (paper 001) print beside the paper's numbers and draw as `figure.svg`,
/// read from each run's last checkpoint (every agent's softmax table θ_i) and the tasks' exact
/// models: `dcpg-chain` (§2.2, Fig. 1) and `dcpg-grid` (§5.1, Fig. 2).
enum DCPGPresetAnalysis: String {
    case chain = "dcpg-chain"
    case grid = "dcpg-grid"
    case navigation = "dcpg-navigation"

    /// One finished run: its arm, seed, plan and directory.
    struct Run {
        var arm: String
        var slug: String
        var seed: UInt64
        var plan: RunPlan
        var directory: RunDirectory
    }

    /// The analysis's text (appended to the comparison) and `figure.svg` in `root`.
    func analyse(_ runs: [Run], root: URL, registry: TaskRegistry) throws -> String {
        switch self {
        case .chain: return try chain(runs, root: root)
        case .grid: return try grid(runs, root: root, registry: registry)
        case .navigation: return try navigationTable(runs, root: root)
        }
    }

    // MARK: Shared pieces

    /// Every agent's θ from the run's last checkpoint, in double precision.
    static func tables(_ run: Run) throws -> [[Double]] {
        guard let checkpoint = try run.directory.checkpoint(named: nil) else { throw CLIError("run \(run.directory.url.path) has no checkpoint to analyse") }
        return try (0..<run.plan.learnerTasks.count).map { k in
            guard let t = checkpoint.tensors["agent.\(k).theta"] else { throw CLIError("run \(run.directory.url.path): agent \(k) has no table θ (is it a dcpg run?)") }
            return t.map(Double.init)
        }
    }

    /// The exact models of the plan's tasks.
    static func models(_ plan: RunPlan) throws -> [TabularModel] {
        guard let tabular = plan.task as? any TabularTask else { throw CLIError("task \(plan.task.id) has no exact model") }
        return try plan.tasks.enumerated().map { try tabular.tabularModel($0.element, context: "task \($0.offset)") }
    }

    static func discount(_ plan: RunPlan) -> Double { plan.config.algorithmSettings["discount"]?.doubleValue ?? 0.9 }
    static func gradientMode(_ plan: RunPlan) -> String { plan.config.algorithmSettings["gradient"]?.stringValue ?? "?" }

    /// V^π(ρ) of `model` under a table.
    static func value(_ model: TabularModel, _ policy: [Double], _ gamma: Double) throws -> Double {
        let v = try evaluatePolicy(model, policy: policy, discount: gamma)
        return zip(model.initial, v).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// The step-size bound of eq. (10) for the run, as its settings and graph give it.
    static func bound(_ plan: RunPlan, states: Int) throws -> Double {
        let settings = try resolveSettings(DCPGConfig.self, from: plan.config.algorithmSettings, defaults: DCPGConfig(), context: "dcpg")
        let weights = plan.graph.map { plan.config.weights.weights(for: $0) }
        return settings.stepSizeBound(states: states, taskCounts: plan.learnerTasks.map(\.count), weights: weights)
    }

    /// The (round, mean over seeds of `metric`) curve of an arm.
    static func curve(_ runs: [Run], metric: Metric) throws -> [(Double, Double)] {
        let lines = try runs.map { try $0.directory.metricsLines() }
        var out: [(Double, Double)] = []
        for i in 0..<(lines.map(\.count).min() ?? 0) {
            let v = lines.compactMap { $0[i][metric.rawValue]?.doubleValue }.filter(\.isFinite)
            guard !v.isEmpty, let r = lines[0][i]["round"]?.doubleValue else { continue }
            out.append((r, v.reduce(0, +) / Double(v.count)))
        }
        return out
    }

    static func arms(_ runs: [Run]) -> [String] {
        var order: [String] = []
        for r in runs where !order.contains(r.arm) { order.append(r.arm) }
        return order
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let widths = header.indices.map { c in max(header[c].count, rows.map { $0[c].count }.max() ?? 0) + 2 }
        func line(_ cells: [String]) -> String { zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined() }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    // MARK: dcpg-chain

    func chain(_ runs: [Run], root: URL) throws -> String {
        var rows: [[String]] = []
        var checks: [String] = []
        var series: [(arm: String, points: [(Double, Double)])] = []
        for arm in Self.arms(runs) {
            let mine = runs.filter { $0.arm == arm }
            guard let first = mine.first else { continue }
            let gamma = Self.discount(first.plan)
            let models = try Self.models(first.plan)
            let optimum = 2 * gamma / (2 - gamma * gamma)
            let consensus = first.plan.strategy.name == "consensus"
            let bound = try Self.bound(first.plan, states: models[0].stateCount)
            var allWithin = true, allDeterministic = true
            for run in mine {
                for (k, theta) in try Self.tables(run).enumerated() {
                    let pi = softmaxPolicy(theta, actions: 2)
                    let task = run.plan.learnerTasks[k][0]
                    let v = try models.map { try Self.value($0, pi, gamma) }
                    let pL = pi[2 * 2]
                    // Determinism where the agent's own task takes it: every state with discounted
                    // visitation d ≥ 0.05 under its policy (from S3).
                    let d = try discountedVisitation(FiniteMDP(models[task]), policy: pi, discount: gamma)
                    let confidence = [1, 2, 3].filter { d[$0] >= 0.05 }.map { s in max(pi[2 * s], pi[2 * s + 1]) }.min() ?? 0
                    let ownBest = task == 0 ? pL : 1 - pL  // task 1 wants L in S3, task 2 wants R
                    if abs(pL - 0.5) > 0.05 { allWithin = false }
                    if confidence < 0.95 || ownBest < 0.95 { allDeterministic = false }
                    let paper = consensus ? String(format: "π(L|S3) 0.5, V1+V2 %.4f", optimum) : String(format: "deterministic, V%d %.4f", task + 1, gamma)
                    rows.append([arm, String(run.seed), String(k), String(format: "%.4f", pL), String(format: "%.4f", confidence),
                                 String(format: "%.4f", v[0]), String(format: "%.4f", v[1]), String(format: "%.4f", v[0] + v[1]), paper])
                }
            }
            let mode = Self.gradientMode(first.plan)
            if consensus {
                checks.append("\(arm) (\(mode), α \(first.plan.config.algorithmSettings["step_size"]?.doubleValue ?? .nan), eq. 10 bound \(String(format: "%.4g", bound))): "
                    + "π(L|S3) within 0.5 ± 0.05 on every agent and seed: \(allWithin ? "met" : "NOT met"); optimum of the sum 2γ/(2−γ²) = \(String(format: "%.4f", optimum)) at γ \(gamma).")
            } else {
                checks.append("\(arm) (\(mode), α \(first.plan.config.algorithmSettings["step_size"]?.doubleValue ?? .nan), eq. 10 bound \(String(format: "%.4g", bound))): "
                    + "each single agent deterministic on its own task (max π ≥ 0.95 in every state its own task visits with d ≥ 0.05, its task's action in S3): \(allDeterministic ? "met" : "NOT met"); a deterministic S3 gives V1+V2 = γ = \(gamma).")
            }
            series.append((arm, try Self.curve(mine, metric: .exactValue)))
        }
        let figure = PresetFigure(title: "dcpg-chain", panels: [("exact V_i(θ_i) of each agent's own task, mean over agents", series)])
        try figure.svg.write(to: root.appendingPathComponent("figure.svg"), atomically: true, encoding: .utf8)
        return "Paper 001 §2.2 (Fig. 1), per agent's final table:\n"
            + Self.table(["ARM", "SEED", "AGENT", "π(L|S3)", "MIN max π (VISITED)", "V1", "V2", "V1+V2", "PAPER"], rows)
            + "\n\n" + checks.map { "  - " + $0 }.joined(separator: "\n")
    }

    // MARK: dcpg-grid

    /// What Fig. 2 shows for each set.
    static let paperGrid: [String: String] = [
        "dcpg-no-conflict": "(a) 4/4 goals, optimal",
        "dcpg-resolvable": "(b) 4/4 goals, optimal",
        "dcpg-unresolvable": "(c) 3/4 goals, optimal",
        "dcpg-start-top-left": "(d) suboptimal",
        "dcpg-start-top-right": "(e) globally optimal",
    ]

    func grid(_ runs: [Run], root: URL, registry: TaskRegistry) throws -> String {
        var rows: [[String]] = []
        var checks: [String] = []
        var maps: [String] = []
        for arm in Self.arms(runs) {
            let mine = runs.filter { $0.arm == arm }
            guard let first = mine.first else { continue }
            let gamma = Self.discount(first.plan)
            let models = try Self.models(first.plan)
            let sparse = models.map { FiniteMDP($0) }
            let set = first.plan.config.taskSet
            let product = try MultiTaskProduct(models)
            let solution = try valueIteration(product.mdp, discount: gamma)
            let optimum = zip(product.mdp.initial, solution.values).reduce(0) { $0 + $1.0 * $1.1 }
            let parameters = try first.plan.tasks.map { try decodeParameters(GridWorld.Parameters.self, from: $0, context: "task set \(set)") }
            let dynamics = try parameters.map { try GridWorldDynamics.compiled($0) }
            var goalCounts: [Int] = [], ratios: [Double] = []
            for run in mine {
                let tables = try Self.tables(run)
                // The common policy: the agents' mean table (they agree up to the consensus error).
                var mean = [Double](repeating: 0, count: tables[0].count)
                for t in tables { for i in t.indices { mean[i] += t[i] / Double(tables.count) } }
                let pi = softmaxPolicy(mean, actions: models[0].actionCount)
                var reached = 0
                for (i, m) in sparse.enumerated() {
                    guard let start = m.initial.indices.max(by: { m.initial[$0] < m.initial[$1] }) else { continue }
                    let path = mostLikelyPath(m, policy: pi, from: start, maxSteps: 4 * m.stateCount)
                    if let last = path.last, m.terminal[last], dynamics[i].map.cells[last] == .goal { reached += 1 }
                }
                let total = try models.reduce(0.0) { $0 + (try Self.value($1, pi, gamma)) }
                goalCounts.append(reached)
                ratios.append(total / optimum)
                rows.append([arm, String(run.seed), "\(reached)/\(models.count)", String(format: "%.4f", total), String(format: "%.4f", optimum),
                             String(format: "%.2f %%", 100 * total / optimum), Self.paperGrid[set] ?? "—"])
                if run.seed == mine[0].seed {
                    let file = run.directory.url.appendingPathComponent("common-policy.json")
                    let doc = JSONValue.object([("policy", .array((0..<models[0].stateCount).map { s in
                        .array((0..<models[0].actionCount).map { .real(pi[s * models[0].actionCount + $0]) }) }))])
                    try (doc.description + "\n").write(to: file, atomically: true, encoding: .utf8)
                    let request = RenderRequest(registry: registry, task: first.plan.task, parameters: try first.plan.task.resolve(.object([]), context: "task \(first.plan.task.id)"),
                                                variant: nil, policy: file.path, optimal: false, camera: nil, steps: 0, seed: 0, out: "")
                    var svg = try GridWorldRenderer.gridSVG(request)
                    svg = svg.replacingOccurrences(of: first.plan.task.id.description + " — ", with: "\(arm): ")
                    maps.append(svg)
                }
            }
            let meanRatio = ratios.reduce(0, +) / Double(ratios.count)
            let goals = goalCounts.map(String.init).joined(separator: ", ")
            var line = "\(arm) (\(Self.gradientMode(first.plan)), \(models.count) agents): goals reached per seed \(goals) of \(models.count); Σ_i V_i at \(String(format: "%.2f", 100 * meanRatio)) % of the exact shared optimum \(String(format: "%.4f", optimum)) (γ \(gamma))"
            switch set {
            case "dcpg-no-conflict", "dcpg-resolvable": line += "; paper 4/4: \(goalCounts.allSatisfy { $0 == 4 } ? "met" : "NOT met")"
            case "dcpg-unresolvable": line += "; paper 3/4: \(goalCounts.allSatisfy { $0 == 3 } ? "met" : "NOT met")"
            case "dcpg-start-top-right": line += "; within 1 % of the optimum: \(ratios.allSatisfy { $0 >= 0.99 } ? "met" : "NOT met")"
            case "dcpg-start-top-left": line += "; below the optimum (paper: suboptimal): \(ratios.allSatisfy { $0 < 0.99 } ? "met (more than 1 % below)" : "NOT met (within 1 %)")"
            default: break
            }
            checks.append(line)
        }
        try Self.stack(maps).write(to: root.appendingPathComponent("figure.svg"), atomically: true, encoding: .utf8)
        return "Paper 001 §5.1 (Fig. 2), the common policy's most likely path in each environment:\n"
            + Self.table(["ARM", "SEED", "GOALS", "Σ V_i(π̄)", "SHARED OPTIMUM", "OF OPTIMUM", "PAPER"], rows)
            + "\n\n" + checks.map { "  - " + $0 }.joined(separator: "\n")
    }

    /// SVG drawings laid out two per row in one picture.
    static func stack(_ svgs: [String]) -> String {
        var sizes: [(Double, Double)] = []
        for s in svgs {
            func attribute(_ name: String) -> Double {
                guard let r = s.range(of: "\(name)=\""), let end = s[r.upperBound...].firstIndex(of: "\"") else { return 560 }
                return Double(s[r.upperBound..<end]) ?? 560
            }
            sizes.append((attribute("width"), attribute("height")))
        }
        let columnWidth = sizes.map(\.0).max() ?? 560, rowHeight = sizes.map(\.1).max() ?? 560
        let columns = min(2, max(1, svgs.count)), rowsCount = (svgs.count + columns - 1) / columns
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(columnWidth) * columns)\" height=\"\(Int(rowHeight) * rowsCount)\">\n"
        for (i, s) in svgs.enumerated() {
            let x = Double(i % columns) * columnWidth, y = Double(i / columns) * rowHeight
            out += s.replacingOccurrences(of: "<svg xmlns=\"http://www.w3.org/2000/svg\" ", with: "<svg x=\"\(x)\" y=\"\(y)\" ")
        }
        return out + "</svg>\n"
    }
}

