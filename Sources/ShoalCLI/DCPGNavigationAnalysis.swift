import Envs
import Foundation
import PolicyGradient
import Training

/// Table 1 of paper 001 (§5.2) for the `dcpg-navigation` preset: every policy — the DCPG
/// agents' common policy (the mean of their parameter rows, which consensus keeps close) and
/// each single agent SA-i — flown in every indoor world, scored by the mean safe flight (MSF,
/// metres before a crash, over the test episodes), with the paper's numbers beside ours.
extension DCPGPresetAnalysis {
    /// Paper 001, Table 1: MSF per policy (SA-0…SA-3, DCPG) × Env 0–3, by gradient.
    static let paperTable1: [String: [[Double]]] = [
        "reinforce": [[15.9, 4.5, 4.1, 3.6], [3.0, 55.4, 9.7, 8.1], [1.5, 0.8, 21.1, 2.0], [2.3, 0.8, 8.6, 40.1], [25.2, 67.9, 40.5, 61.8]],
        "a2c": [[21.8, 7.0, 15.1, 14.9], [1.3, 54.1, 2.8, 6.4], [1.8, 3.9, 105.2, 9.9], [1.1, 1.4, 15.8, 78.6], [25.2, 50.1, 165.8, 159.6]],
        "ppo": [[28.3, 11.2, 8.7, 13.5], [1.1, 75.3, 1.6, 1.6], [2.5, 3.0, 63.2, 15.6], [1.9, 1.2, 14.3, 139.0], [26.3, 66.7, 144.0, 195.2]],
    ]
    /// The paper's summed MSF of the same rows (as printed; the cells round).
    static let paperSums: [String: [Double]] = [
        "reinforce": [28.1, 76.2, 25.4, 51.8, 195.4], "a2c": [58.8, 59.4, 120.8, 96.9, 380.7], "ppo": [61.7, 79.6, 84.3, 156.4, 432.2],
    ]

    /// Agent k's parameter row from the run's last checkpoint (through a learner of the run, so
    /// that the row has the order communication mixes).
    static func parameterRow(_ run: Run, agent k: Int, learner: inout DCPGLearner) throws -> [Float] {
        guard let checkpoint = try run.directory.checkpoint(named: nil) else { throw CLIError("run \(run.directory.url.path) has no checkpoint to analyse") }
        let prefix = "agent.\(k)."
        var own: [String: [Float]] = [:]
        for (name, values) in checkpoint.tensors where name.hasPrefix(prefix) { own[String(name.dropFirst(prefix.count))] = values }
        do { try learner.restore(from: own) } catch { throw CLIError("run \(run.directory.url.path), agent \(k): \(error)") }
        var row: [Float] = []
        learner.copyParameters(into: &row)
        return row
    }

    /// A learner of the run's settings (its parameters are then loaded from a checkpoint row).
    static func makeLearner(_ plan: RunPlan) throws -> DCPGLearner {
        let settings = try resolveSettings(DCPGConfig.self, from: plan.config.algorithmSettings, defaults: DCPGConfig(), context: "dcpg")
        let (assignments, tasks) = plan.rows(ofLearner: 0)
        let env = try plan.task.makeVector(assignments, threads: 1)
        return try settings.makeLearner(LearnerContext(index: 0, environment: env, tasks: tasks, seed: plan.config.seed, learners: plan.learnerTasks.count,
                                                       strategy: plan.strategy, task: plan.task, assignments: assignments,
                                                       weights: plan.graph.map { plan.config.weights.weights(for: $0) }))
    }

    /// MSF of the policy `row` in each of the plan's worlds: `episodes` test episodes each,
    /// seeded apart from training (seed 10 000 + world).
    static func flights(_ plan: RunPlan, row: [Float], learner: inout DCPGLearner) throws -> [Double] {
        try learner.loadParameters(from: row)
        let episodes = max(1, plan.config.evalEpisodes)
        return try plan.tasks.enumerated().map { i, parameters in
            let e = try evaluateEpisodes(&learner, task: plan.task, parameters: parameters, episodes: episodes, greedy: plan.config.evalGreedy,
                                         seed: 10_000 + UInt64(i))
            return e.map(\.metric).reduce(0, +) / Double(e.count)
        }
    }

    func navigationTable(_ runs: [Run], root: URL) throws -> String {
        var sections: [String] = []
        var checks: [String] = []
        var panels: [(name: String, series: [(arm: String, points: [(Double, Double)])])] = []
        var gradients: [String] = []
        for r in runs { let g = Self.gradientMode(r.plan); if !gradients.contains(g) { gradients.append(g) } }
        for gradient in gradients {
            let mine = runs.filter { Self.gradientMode($0.plan) == gradient }
            let dcpg = mine.filter { $0.plan.strategy.name == "consensus" }
            let single = mine.filter { $0.plan.strategy.name == "none" }
            guard let anyRun = mine.first else { continue }
            let worlds = anyRun.plan.tasks.count
            // MSF[policy][world], means over seeds; policies SA-0…SA-(n−1), then DCPG.
            var table = [[Double]](repeating: [Double](repeating: 0, count: worlds), count: worlds + 1)
            var counts = [Int](repeating: 0, count: worlds + 1)
            for run in single {
                var learner = try Self.makeLearner(run.plan)
                for k in run.plan.learnerTasks.indices {
                    guard let own = run.plan.learnerTasks[k].first, run.plan.learnerTasks[k].count == 1, own < worlds else { continue }
                    let row = try Self.parameterRow(run, agent: k, learner: &learner)
                    let f = try Self.flights(run.plan, row: row, learner: &learner)
                    for w in 0..<worlds { table[own][w] += f[w] }
                    counts[own] += 1
                }
            }
            var distances: [Double] = []
            for run in dcpg {
                var learner = try Self.makeLearner(run.plan)
                let rows = try run.plan.learnerTasks.indices.map { try Self.parameterRow(run, agent: $0, learner: &learner) }
                var mean = [Float](repeating: 0, count: rows[0].count)
                for r in rows { for i in r.indices { mean[i] += r[i] / Float(rows.count) } }
                var spread = 0.0, size = 0.0
                for r in rows { for i in r.indices { spread += Double((r[i] - mean[i]) * (r[i] - mean[i])) / Double(rows.count) } }
                for v in mean { size += Double(v * v) }
                distances.append((spread / max(size, 1e-30)).squareRoot())
                let f = try Self.flights(run.plan, row: mean, learner: &learner)
                for w in 0..<worlds { table[worlds][w] += f[w] }
                counts[worlds] += 1
            }
            for p in table.indices where counts[p] > 0 { table[p] = table[p].map { $0 / Double(counts[p]) } }
            let paper = Self.paperTable1[gradient], paperSum = Self.paperSums[gradient]
            var rows: [[String]] = []
            let names = (0..<worlds).map { "SA-\($0)" } + ["DCPG"]
            for p in table.indices where counts[p] > 0 {
                var cells = [names[p]]
                for w in 0..<worlds {
                    let theirs = paper.map { p < $0.count && w < $0[p].count ? String(format: " (%.1f)", $0[p][w]) : "" } ?? ""
                    cells.append(String(format: "%.1f", table[p][w]) + theirs)
                }
                let sum = table[p].reduce(0, +)
                cells.append(String(format: "%.1f", sum) + (paperSum.map { p < $0.count ? String(format: " (%.1f)", $0[p]) : "" } ?? ""))
                rows.append(cells)
            }
            let episodes = max(1, anyRun.plan.config.evalEpisodes)
            sections.append("Table 1 (\(gradient)): MSF in metres, ours (paper), \(episodes) test episodes per world, \(anyRun.plan.config.evalGreedy ? "greedy" : "sampled") actions, mean over \(max(1, dcpg.count)) seed(s):\n"
                + Self.table(["POLICY"] + (0..<worlds).map { "ENV\($0)" } + ["SUM"], rows))
            // The pattern of Table 1.
            let saAll = (0..<worlds).allSatisfy { counts[$0] > 0 }
            if saAll {
                var own: [String] = []
                for w in 0..<worlds {
                    let best = (0..<worlds).max { table[$0][w] < table[$1][w] } ?? 0
                    own.append("Env\(w): SA-\(w) \(String(format: "%.1f", table[w][w]))\(best == w ? " best" : ", SA-\(best) \(String(format: "%.1f", table[best][w])) better")")
                }
                let held = (0..<worlds).filter { w in (0..<worlds).allSatisfy { table[w][w] >= table[$0][w] } }.count
                checks.append("\(gradient): each SA-i best among the SAs on its own world: \(held) of \(worlds) (\(own.joined(separator: "; ")))")
            }
            if counts[worlds] > 0 && saAll {
                let sums = table.map { $0.reduce(0, +) }
                let bestSA = (0..<worlds).max { sums[$0] < sums[$1] } ?? 0
                let beats = (0..<worlds).allSatisfy { sums[worlds] > sums[$0] }
                checks.append("\(gradient): DCPG's summed MSF \(String(format: "%.1f", sums[worlds])) vs the best SA's (SA-\(bestSA)) \(String(format: "%.1f", sums[bestSA])): "
                    + "\(beats ? "beats every SA" : "does NOT beat every SA") (paper \(String(format: "%.1f", paperSum?.last ?? .nan)) vs \(String(format: "%.1f", paperSum.map { $0.dropLast().max() ?? .nan } ?? .nan)))"
                    + "; relative spread of the DCPG agents' rows around their mean \(distances.map { String(format: "%.3g", $0) }.joined(separator: ", "))")
            }
            var series: [(arm: String, points: [(Double, Double)])] = []
            for arm in Self.arms(mine) { series.append((arm, try Self.curve(mine.filter { $0.arm == arm }, metric: .safeFlight))) }
            panels.append(("\(gradient): train/safe_flight (m), mean over agents' episodes", series))
        }
        var figure = PresetFigure(title: "dcpg-navigation", panels: panels)
        figure.xLabel = "round"
        try figure.svg.write(to: root.appendingPathComponent("figure.svg"), atomically: true, encoding: .utf8)
        return "Paper 001 §5.2 (Table 1), every policy flown in every world:\n\n" + sections.joined(separator: "\n\n")
            + "\n\n" + checks.map { "  - " + $0 }.joined(separator: "\n")
    }
}
