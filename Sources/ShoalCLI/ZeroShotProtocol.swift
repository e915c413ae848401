import Envs
import Foundation
import Training

/// The evaluation protocol of Tables II–III of paper 000 (§VI-C, appendix A.4), a preset's
/// `"zero_shot"` block:
///
/// ```json
/// "zero_shot": {"episodes": 10, "baseline": "Specialised A2C", "subject": "Diff-A2C (ring)", "cross_episodes": 2,
///               "paper": {"Specialised A2C": {"training": [-82.1, -98.3, -66.0], "easy": […], "hard": […]}, …},
///               "paper_cross": [0.07, 3.4]}
/// ```
///
/// After each run, one agent is chosen at random (seeded by the run seed; the same task index k
/// for every arm of a seed, so the arms are compared on the same task: agent k of a
/// decentralised or specialised run, the one agent of a centralised run) and plays `episodes`
/// test episodes on its training task k and on each held-out task of the task set. Table II is
/// the mean over seeds of each run's mean return, with a 95 % Student-t interval over seeds;
/// Table III is each arm's performance relative to the baseline, `(X − B)/|B|`, its interval the
/// interval of X divided the same way (which is how the paper's Table III follows from its
/// Table II). With `cross_episodes` > 0, every agent of the subject arm also plays that many
/// episodes on every training task: the paper's check that an agent does no better on its own
/// task than on its peers' ("0.07 % (± 3.4) higher return").
struct ZeroShotProtocol {
    var episodes: Int
    var baseline: String
    var subject: String
    var crossEpisodes = 0
    /// Table II as printed in the paper: arm → column → [mean, lower, upper].
    var paper: [String: [String: [Double]]] = [:]
    /// The paper's cross-evaluation figure: [mean %, ± %].
    var paperCross: [Double]?

    /// The random stream that picks the evaluated task (XORed into the run seed).
    static let taskStream: UInt64 = 0x7AB2
    /// Seeds of the protocol's test episodes (XORed into the run seed; the same for every arm).
    static let episodeStream: UInt64 = 0x7AB3

    /// One run's figures: column ("training" and each held-out name) → mean return.
    struct RunResult {
        var arm: String
        var seed: UInt64
        var task: Int
        var agent: Int
        var returns: [(column: String, value: Double)]
        /// Mean over agents of (own − peers)/|peers| (cross-evaluation), if measured.
        var ownTaskGain: Double?
    }

    static func decode(_ json: JSONValue, file: String, arms: [String]) throws -> ZeroShotProtocol {
        let allowed = ["episodes", "baseline", "subject", "cross_episodes", "paper", "paper_cross"]
        for (k, _) in json.objectPairs ?? [] where !allowed.contains(k) {
            throw CLIError("preset \(file): 'zero_shot' has an unknown key '\(k)' (valid: \(allowed.joined(separator: ", ")))")
        }
        guard let e = json["episodes"]?.doubleValue, e >= 1, e == e.rounded(), e <= 1e6,
              let b = json["baseline"]?.stringValue, let s = json["subject"]?.stringValue else {
            throw CLIError("preset \(file): 'zero_shot' needs 'episodes' (a positive integer), 'baseline' and 'subject' (arm names)")
        }
        for arm in [b, s] where !arms.contains(arm) {
            throw CLIError("preset \(file): 'zero_shot' names arm '\(arm)', but the arms are \(arms.joined(separator: ", "))")
        }
        var p = ZeroShotProtocol(episodes: Int(e), baseline: b, subject: s)
        if let c = json["cross_episodes"] {
            guard let d = c.doubleValue, d >= 0, d == d.rounded(), d <= 1e6 else { throw CLIError("preset \(file): zero_shot.cross_episodes must be 0 or a positive integer") }
            p.crossEpisodes = Int(d)
        }
        for (arm, columns) in json["paper"]?.objectPairs ?? [] {
            guard arms.contains(arm), let pairs = columns.objectPairs else {
                throw CLIError("preset \(file): zero_shot.paper must map arm names to {column: [mean, lower, upper]}; '\(arm)' is not an arm")
            }
            for (column, v) in pairs {
                guard let triple = v.arrayValue?.compactMap(\.doubleValue), triple.count == 3 else {
                    throw CLIError("preset \(file): zero_shot.paper.\(arm).\(column) must be [mean, lower, upper]")
                }
                p.paper[arm, default: [:]][column] = triple
            }
        }
        if let c = json["paper_cross"] {
            guard let pair = c.arrayValue?.compactMap(\.doubleValue), pair.count == 2 else { throw CLIError("preset \(file): zero_shot.paper_cross must be [mean %, ± %]") }
            p.paperCross = pair
        }
        return p
    }

    /// The task index evaluated for every arm of a run seeded `seed`.
    static func task(seed: UInt64, tasks: Int) -> Int { Int(deriveSeed(seed ^ taskStream, 0) % UInt64(max(tasks, 1))) }

    /// Runs the protocol on a finished run.
    func evaluate(arm: String, session: inout any RunSession, plan: RunPlan) throws -> RunResult {
        let c = plan.config
        let t = ZeroShotProtocol.task(seed: c.seed, tasks: plan.tasks.count)
        guard let k = plan.learnerTasks.firstIndex(where: { $0.contains(t) }) else { throw CLIError("no agent of arm \(arm) trained on task \(t)") }
        let seed = deriveSeed(c.seed ^ ZeroShotProtocol.episodeStream, 0)
        func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(max(v.count, 1)) }
        var returns = [(column: "training", value: mean(try session.evaluate(agent: k, task: plan.task, parameters: plan.tasks[t], episodes: episodes,
                                                                              greedy: c.evalGreedy, seed: seed)))]
        for (i, (name, parameters)) in plan.heldOut.enumerated() {
            let r = try session.evaluate(agent: k, task: plan.task, parameters: parameters, episodes: episodes, greedy: c.evalGreedy,
                                         seed: deriveSeed(seed, UInt64(i + 1)))
            returns.append((name, mean(r)))
        }
        var gain: Double?
        if crossEpisodes > 0, arm == subject, plan.learnerTasks.count > 1, plan.learnerTasks.allSatisfy({ $0.count == 1 }) {
            var gains: [Double] = []
            for (agent, own) in plan.learnerTasks.enumerated() {
                var ownReturn = 0.0, peers: [Double] = []
                for task in plan.tasks.indices {
                    let r = mean(try session.evaluate(agent: agent, task: plan.task, parameters: plan.tasks[task], episodes: crossEpisodes,
                                                      greedy: c.evalGreedy, seed: deriveSeed(seed, UInt64(1000 + task))))
                    if task == own[0] { ownReturn = r } else { peers.append(r) }
                }
                gains.append(relativeChange(ownReturn, baseline: mean(peers)))
            }
            gain = mean(gains)
        }
        return RunResult(arm: arm, seed: c.seed, task: t, agent: k, returns: returns, ownTaskGain: gain)
    }

    /// Tables II and III (and the cross-evaluation) over the runs, ours beside the paper's.
    func report(_ results: [RunResult], arms: [String]) -> (text: String, json: JSONValue) {
        let columns = results.first?.returns.map(\.column) ?? ["training"]
        func values(_ arm: String, _ column: String) -> [Double] {
            results.filter { $0.arm == arm }.compactMap { r in r.returns.first { $0.column == column }?.value }
        }
        func interval(_ v: [Double]) -> (mean: Double, lower: Double, upper: Double) {
            let (m, h) = meanWithConfidence(v)
            return (m, m - h, m + h)
        }
        func cell(_ m: Double, _ lo: Double, _ hi: Double, percent: Bool = false) -> String {
            let f = percent ? "%.1f %%" : "%.1f"
            guard m.isFinite else { return "—" }
            let head = String(format: f, percent ? 100 * m : m)
            guard lo.isFinite, hi.isFinite else { return head }
            return head + " (" + String(format: f, percent ? 100 * lo : lo) + ", " + String(format: f, percent ? 100 * hi : hi) + ")"
        }
        func paperCell(_ arm: String, _ column: String) -> String {
            guard let p = paper[arm]?[column] else { return "—" }
            return cell(p[0], p[1], p[2])
        }
        var lines: [String] = []
        var json: [(String, JSONValue)] = []
        let seeds = Set(results.map(\.seed)).count
        lines.append("Table II (zero-shot): one agent per run chosen at random (seeded), \(episodes) test episodes per task; mean over \(seeds) seed\(seeds == 1 ? "" : "s"), 95 % interval over seeds. Ours | paper (8 seeds).")
        var rows = [["ARM"] + columns.flatMap { ["\($0.uppercased()) (OURS)", "PAPER"] }]
        var table2: [(String, JSONValue)] = []
        for arm in arms where results.contains(where: { $0.arm == arm }) {
            var row = [arm]
            var cells: [(String, JSONValue)] = []
            for column in columns {
                let i = interval(values(arm, column))
                row += [cell(i.mean, i.lower, i.upper), paperCell(arm, column)]
                cells.append((column, .array([.real(i.mean), .real(i.lower), .real(i.upper)])))
            }
            rows.append(row)
            table2.append((arm, .object(cells)))
        }
        lines += formatted(rows)
        json.append(("table_ii", .object(table2)))
        // Table III: relative to the baseline arm.
        lines.append("")
        lines.append("Table III: performance relative to \(baseline), (X − B)/|B| (positive: better than \(baseline)); interval: X's interval divided the same way. Ours | paper (from its Table II).")
        rows = [["ARM"] + columns.flatMap { ["\($0.uppercased()) (OURS)", "PAPER"] }]
        var table3: [(String, JSONValue)] = []
        for arm in arms where arm != baseline && results.contains(where: { $0.arm == arm }) {
            var row = [arm]
            var cells: [(String, JSONValue)] = []
            for column in columns {
                let b = interval(values(baseline, column)).mean
                let x = interval(values(arm, column))
                let r = relativeInterval(x, baseline: b)
                var paperText = "—"
                if let px = paper[arm]?[column], let pb = paper[baseline]?[column] {
                    let p = relativeInterval((px[0], px[1], px[2]), baseline: pb[0])
                    paperText = cell(p.mean, p.lower, p.upper, percent: true)
                }
                row += [cell(r.mean, r.lower, r.upper, percent: true), paperText]
                cells.append((column, .array([.real(r.mean), .real(r.lower), .real(r.upper)])))
            }
            rows.append(row)
            table3.append((arm, .object(cells)))
        }
        lines += formatted(rows)
        json.append(("table_iii", .object(table3)))
        // The subject over every other arm.
        lines.append("")
        lines.append("\(subject) over each other arm, (S − X)/|X| of the means (positive: \(subject) better). Ours | paper (from its Table II).")
        rows = [["OVER"] + columns.flatMap { ["\($0.uppercased()) (OURS)", "PAPER"] }]
        var improvement: [(String, JSONValue)] = []
        for arm in arms where arm != subject && results.contains(where: { $0.arm == arm }) {
            var row = [arm]
            var cells: [(String, JSONValue)] = []
            for column in columns {
                let r = relativeChange(interval(values(subject, column)).mean, baseline: interval(values(arm, column)).mean)
                var paperText = "—"
                if let ps = paper[subject]?[column], let px = paper[arm]?[column] { paperText = String(format: "%.1f %%", 100 * relativeChange(ps[0], baseline: px[0])) }
                row += [r.isFinite ? String(format: "%.1f %%", 100 * r) : "—", paperText]
                cells.append((column, .real(r)))
            }
            rows.append(row)
            improvement.append((arm, .object(cells)))
        }
        lines += formatted(rows)
        json.append(("subject_over", .object(improvement)))
        let gains = results.filter { $0.arm == subject }.compactMap(\.ownTaskGain)
        if !gains.isEmpty {
            let (m, h) = meanWithConfidence(gains)
            var line = "Cross-evaluation (\(subject), every agent on every training task, \(crossEpisodes) episode\(crossEpisodes == 1 ? "" : "s") each): "
                + "return on its own task vs its peers' tasks, (own − peers)/|peers| averaged over agents: \(String(format: "%.2f %%", 100 * m))"
                + (h.isFinite ? String(format: " (± %.2f, 95 %% over %d seeds)", 100 * h, gains.count) : " (1 seed)")
            if let p = paperCross { line += String(format: "; paper: %.2f %% (± %.1f)", p[0], p[1]) }
            lines += ["", line]
            json.append(("cross_evaluation", .array([.real(m), .real(h)])))
        }
        let chosen = results.map { "\($0.arm) seed \($0.seed): task \($0.task), agent \($0.agent)" }
        json.append(("evaluated", .array(chosen.map(JSONValue.string))))
        return (lines.joined(separator: "\n"), .object(json))
    }

    func formatted(_ rows: [[String]]) -> [String] {
        let widths = rows[0].indices.map { c in (rows.map { $0[c].count }.max() ?? 0) + 2 }
        return rows.map { zip($0, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined() }
    }
}

/// `(x − b)/|b|`: the change of x relative to a baseline b (positive when x is larger).
func relativeChange(_ x: Double, baseline b: Double) -> Double { b == 0 ? .nan : (x - b) / abs(b) }

/// Table III of paper 000 from Table II: the mean and interval of X relative to the baseline's mean.
func relativeInterval(_ x: (mean: Double, lower: Double, upper: Double), baseline b: Double) -> (mean: Double, lower: Double, upper: Double) {
    (relativeChange(x.mean, baseline: b), relativeChange(x.lower, baseline: b), relativeChange(x.upper, baseline: b))
}
