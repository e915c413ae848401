import AssetsData
import Envs
import Foundation
import PolicyGradient
import Training
import TrainingCatalogue

/// A named experiment (`Assets/experiments/NAME.json`): a base run configuration, arms that
/// change it (architectures, strategies, settings), seeds, and the comparison table it prints.
///
/// ```json
/// {"name": "diffdac-acrobot", "summary": "…", "source": "paper 000, §VI-C",
///  "base": {…run configuration…},
///  "arms": [{"name": "Diff-A2C (ring)", "config": {"architecture": "decentralised"}}, …],
///  "seeds": [0, 1],
///  "report": ["what the paper observed, printed under the table"]}
/// ```
///
/// Optional: `"budget": {"environment_steps_per_copy": S}` (every arm's budget counted per
/// environment copy, ``PresetBudget``; an arm may carry its own `"budget"`, a stated smaller S),
/// `"zero_shot": {…}` (paper 000's Tables II–III, ``ZeroShotProtocol``) and `"paper_table_i"`
/// (the paper's Table I cells beside ours, ``PresetPaperTableI``).
struct ExperimentPreset {
    var name: String
    var summary: String
    var source: String
    var base: JSONValue
    var arms: [(name: String, config: JSONValue)]
    var seeds: [UInt64]
    /// The paper's observations, printed beside ours.
    var report: [String] = []
    /// A preset-specific analysis of the finished runs (`"analysis": "dcpg-chain"`), printed
    /// under the table; it writes `figure.svg` itself.
    var analysis: DCPGPresetAnalysis?
    /// `figure.svg`'s style: the median and quartiles of `shoal plot` (default), or `mean-band`:
    /// the mean and the min–max band over seeds of the training return per round (per environment
    /// step where the arms' rounds differ in steps), one panel per
    /// arm ``panels`` name, with our orderings printed (``writeMeanBandFigure(root:plans:)``), or
    /// `stability`: paper 000's scaled test return per epoch with its check (``writeStabilityFigure(root:plans:)``).
    var figure = "median-quartiles"
    /// Each arm's panel in a `mean-band` figure (arms without one share the first panel).
    var panels: [String: String] = [:]
    /// Paper 002's PG-vs-LAPG figure and acceptance check (`"lazy_comparison"`), if any.
    var lazyComparison: LazyComparison?
    /// The budget counted per environment copy (`"budget"`), which sets every arm's
    /// `max_environment_steps` to S × its copies (see ``PresetBudget``); nil: the configurations' own.
    var budget: PresetBudget?
    /// The evaluation protocol of Tables II–III of paper 000 (`"zero_shot"`), if any.
    var zeroShot: ZeroShotProtocol?
    /// The paper's Table I cells printed beside ours (`"paper_table_i"`), if any.
    var paperTableI: PresetPaperTableI?
    /// Arms whose own `"budget"` replaces the preset's (a stated smaller S where the fair one
    /// does not fit the machine).
    var armBudgets: [String: PresetBudget] = [:]

    /// The budget an arm runs with: its own, else the preset's.
    func budget(for arm: String) -> PresetBudget? { armBudgets[arm] ?? budget }

    static func all() throws -> [ExperimentPreset] {
        guard let folder = AssetsData.directory("experiments") else { throw CLIError("the bundled experiment presets are missing") }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { try load(folder.appendingPathComponent($0)) }
    }

    /// A bundled preset by name, or a preset file by path (a name ending in `.json` or holding a `/`).
    static func named(_ name: String) throws -> ExperimentPreset {
        if name.hasSuffix(".json") || name.contains("/") {
            guard FileManager.default.fileExists(atPath: name) else { throw CLIError("the preset file \(name) does not exist") }
            return try load(URL(fileURLWithPath: name))
        }
        let presets = try all()
        if let p = presets.first(where: { $0.name == name }) { return p }
        var m = "unknown preset '\(name)'"
        if let g = closestName(to: name, among: presets.map(\.name)) { m += "; did you mean \(g)?" }
        throw CLIError(m + " Presets: \(presets.map(\.name).joined(separator: ", ")).")
    }

    static func load(_ url: URL) throws -> ExperimentPreset {
        let file = url.lastPathComponent
        let json: JSONValue
        do { json = try JSONValue.parse(try String(contentsOf: url, encoding: .utf8)) } catch { throw CLIError("preset \(file) is not valid JSON: \(error)") }
        let allowed = ["name", "summary", "source", "base", "arms", "seeds", "report", "analysis", "figure", "lazy_comparison", "budget", "zero_shot", PresetPaperTableI.key]
        for (k, _) in json.objectPairs ?? [] where !allowed.contains(k) { throw CLIError("preset \(file): unknown key '\(k)' (valid: \(allowed.joined(separator: ", ")))") }
        guard let name = json["name"]?.stringValue, let base = json["base"], base.objectPairs != nil,
              let arms = json["arms"]?.arrayValue, !arms.isEmpty else {
            throw CLIError("preset \(file) needs 'name', a 'base' configuration object and a non-empty 'arms' list")
        }
        var panels: [String: String] = [:]
        var armBudgets: [String: PresetBudget] = [:]
        let parsedArms = try arms.map { arm -> (String, JSONValue) in
            guard let n = arm["name"]?.stringValue, let c = arm["config"], c.objectPairs != nil else {
                throw CLIError("preset \(file): every arm needs a 'name' and a 'config' object")
            }
            for (k, _) in arm.objectPairs ?? [] where !["name", "config", "panel", "budget"].contains(k) {
                throw CLIError("preset \(file): arm '\(n)' has an unknown key '\(k)' (valid: name, config, panel, budget)")
            }
            if let b = arm["budget"] {
                guard json["budget"] != nil else { throw CLIError("preset \(file): arm '\(n)' sets a 'budget', which needs the preset's own 'budget' too") }
                armBudgets[n] = try PresetBudget.decode(b, file: "\(file), arm '\(n)'")
            }
            if let p = arm["panel"] {
                guard let text = p.stringValue else { throw CLIError("preset \(file): arm '\(n)': 'panel' must be a name") }
                panels[n] = text
            }
            return (n, c)
        }
        let figure = json["figure"]?.stringValue ?? "median-quartiles"
        guard ["median-quartiles", "mean-band", "stability"].contains(figure) else {
            throw CLIError("preset \(file): 'figure' must be median-quartiles, mean-band or stability, got \(json["figure"]!)")
        }
        let seeds = try (json["seeds"]?.arrayValue ?? [.integer(0)]).map { v -> UInt64 in
            guard let d = v.doubleValue, d >= 0, d == d.rounded() else { throw CLIError("preset \(file): seeds must be non-negative integers") }
            return UInt64(d)
        }
        let report = try (json["report"]?.arrayValue ?? []).map { v -> String in
            guard let line = v.stringValue else { throw CLIError("preset \(file): 'report' must be a list of sentences") }
            return line
        }
        var analysis: DCPGPresetAnalysis?
        if let a = json["analysis"] {
            guard let text = a.stringValue, let kind = DCPGPresetAnalysis(rawValue: text) else {
                throw CLIError("preset \(file): 'analysis' must be one of \(["dcpg-chain", "dcpg-grid", "dcpg-navigation"].joined(separator: ", ")), got \(a)")
            }
            analysis = kind
        }
        var lazy: LazyComparison?
        if let c = json["lazy_comparison"] {
            guard let b = c["baseline"]?.stringValue, let l = c["lazy"]?.arrayValue?.compactMap(\.stringValue), !l.isEmpty, c.objectPairs?.count == 2 else {
                throw CLIError("preset \(file): 'lazy_comparison' must be {\"baseline\": ARM, \"lazy\": [ARM, …]}")
            }
            for arm in [b] + l where !parsedArms.contains(where: { $0.0 == arm }) {
                throw CLIError("preset \(file): 'lazy_comparison' names arm '\(arm)', but the arms are \(parsedArms.map(\.0).joined(separator: ", "))")
            }
            lazy = LazyComparison(baseline: b, lazy: l)
        }
        var budget: PresetBudget?
        if let b = json["budget"] {
            budget = try PresetBudget.decode(b, file: file)
            let setters = (base["max_environment_steps"] != nil ? ["base"] : []) + parsedArms.filter { $0.1["max_environment_steps"] != nil }.map { "arm '\($0.0)'" }
            if let first = setters.first {
                throw CLIError("preset \(file): 'budget' sets every arm's max_environment_steps from its environment copies, so \(first) must not set max_environment_steps")
            }
        }
        let zeroShot = try json["zero_shot"].map { try ZeroShotProtocol.decode($0, file: file, arms: parsedArms.map(\.0)) }
        let paperTableI = try json[PresetPaperTableI.key].map { try PresetPaperTableI.decode($0, file: file, arms: parsedArms.map(\.0)) }
        return ExperimentPreset(name: name, summary: json["summary"]?.stringValue ?? "", source: json["source"]?.stringValue ?? "",
                                base: base, arms: parsedArms, seeds: seeds, report: report, analysis: analysis,
                                figure: figure, panels: panels, lazyComparison: lazy, budget: budget, zeroShot: zeroShot,
                                paperTableI: paperTableI, armBudgets: armBudgets)
    }

    /// Runs every arm for every seed into `out/<arm>/seed-<s>` and writes and prints the comparison.
    func run(registry: TaskRegistry, out: String, force: Bool, overrides: JSONValue, seeds override: [UInt64]?,
             progress: ((TrainingProgress) -> Void)?) throws {
        let seedList = override ?? seeds
        let root = URL(fileURLWithPath: out)
        // A command-line value for a key that the arms vary would make every arm the same while
        // the table still labels them apart.
        for (key, _) in overrides.objectPairs ?? [] {
            // degree and neighbourhood_size set the same thing.
            let same = ["degree", "neighbourhood_size"].contains(key) ? ["degree", "neighbourhood_size"] : [key]
            if let arm = arms.first(where: { a in same.contains { a.config[$0] != nil } }) {
                throw CLIError("preset \(name) varies '\(key)' across its arms (arm '\(arm.name)' sets it), so it cannot be set for the whole preset on the command line; copy the preset file and edit its arms instead")
            }
            if key == "max_environment_steps", let budget {
                throw CLIError("preset \(name) counts each arm's budget per environment copy (budget.\(PresetBudget.key) = \(budget.stepsPerCopy)), so --max-environment-steps would give every arm the same total; copy the preset file and change its budget instead")
            }
        }
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: out), !contents.isEmpty {
            guard force else { throw CLIError("the output directory \(out) already exists and is not empty; pass --force to overwrite it") }
            let isPreset = FileManager.default.fileExists(atPath: root.appendingPathComponent("comparison.txt").path)
                || contents.allSatisfy { entry in arms.contains { slug($0.name) == entry } }
            guard isPreset else {
                throw CLIError("\(out) is not a preset's output directory (it holds other files), so --force will not delete it; choose another --out")
            }
            try FileManager.default.removeItem(at: root)
        }
        // Validate every arm before running any, so a typo does not waste a long run.
        var plans: [(arm: String, slug: String, seed: UInt64, plan: RunPlan)] = []
        var budgetLines: [String] = []
        for (armName, armConfig) in arms {
            for seed in seedList {
                var config = try RunConfig.decode(base, context: "preset \(name), base")
                config = try RunConfig.decode(armConfig, context: "preset \(name), arm \(armName)", base: config)
                config = try RunConfig.decode(overrides, context: "the command line", base: config)
                config.seed = seed
                if let armBudget = self.budget(for: armName) {
                    let (c, copies) = try armBudget.applied(to: config, registry: registry)
                    config = c
                    let own = armBudgets[armName] == nil ? "" : " (this arm's own budget)"
                    if seed == seedList.first { budgetLines.append("  \(armName): \(copies) copies × \(armBudget.stepsPerCopy) = \(config.maxEnvironmentSteps) environment steps\(own)") }
                }
                plans.append((armName, slug(armName), seed, try RunPlan(config: config, registry: registry, algorithms: .standard)))
            }
        }
        print("\(name): \(summary)")
        if let budget {
            print("budget: \(budget.stepsPerCopy) environment steps per environment copy, so each arm's total is its copies × \(budget.stepsPerCopy)\(armBudgets.isEmpty ? "" : " unless the arm has its own budget"):")
            print(budgetLines.joined(separator: "\n"))
        }
        fflush(stdout)
        var results: [(arm: String, summary: JSONValue)] = []
        var finished: [DCPGPresetAnalysis.Run] = []
        var zeroShotResults: [ZeroShotProtocol.RunResult] = []
        var perTask: [(arm: String, seed: UInt64, taskReturns: [Double])] = []
        for item in plans {
            let path = root.appendingPathComponent(item.slug).appendingPathComponent("seed-\(item.seed)").path
            let directory = try RunDirectory.create(at: path, force: true)
            try directory.writeConfig(item.plan.config)
            FileHandle.standardError.write(Data("\(item.arm), seed \(item.seed) → \(path)\n".utf8))
            var session = try item.plan.algorithm.openRun(plan: item.plan, directory: directory, resume: false)
            if let s = try session.run(stopAfter: nil, progress: progress) {
                results.append((item.arm, try withCommunicationFigures(s, lines: directory.metricsLines())))
                perTask.append((item.arm, item.seed, (s["task_return"]?.arrayValue ?? []).map { $0.doubleValue ?? .nan }))
                if let zeroShot { zeroShotResults.append(try zeroShot.evaluate(arm: item.arm, session: &session, plan: item.plan)) }
            }
            finished.append(DCPGPresetAnalysis.Run(arm: item.arm, slug: item.slug, seed: item.seed, plan: item.plan, directory: directory))
        }
        try writeCurves(root: root, plans: plans.map { ($0.arm, $0.slug, $0.seed) })
        let figurePath = root.appendingPathComponent("figure.svg").path
        var analysed = ""
        if let analysis {
            analysed = try analysis.analyse(finished, root: root, registry: registry)
            print("figure: \(figurePath)")
        } else { do {
            if figure == "mean-band" {
                analysed = try writeMeanBandFigure(root: root, plans: plans.map { ($0.arm, $0.slug, $0.seed) })
            } else if figure == "stability" {
                analysed = try writeStabilityFigure(root: root, plans: plans.map { ($0.arm, $0.slug, $0.seed) })
            } else {
                _ = try PlotCommand.writeFigure(of: [root.path], metric: Metric.taskMeanReturn.rawValue, x: .envSteps, title: name, to: figurePath)
            }
            print("figure: \(figurePath)")
        } catch {
            FileHandle.standardError.write(Data("warning: \(name): no figure: \(error)\n".utf8))
        } }
        var table = comparisonTable(results)
        if !analysed.isEmpty { table.text += "\n\n" + analysed }
        if let lazyComparison {
            var runs: [String: [[JSONValue]]] = [:]
            for item in plans {
                let dir = try RunDirectory.open(at: root.appendingPathComponent(item.slug).appendingPathComponent("seed-\(item.seed)").path)
                runs[item.arm, default: []].append(try dir.metricsLines())
            }
            var checks: [String: LazyComparison.StepSizeCheck] = [:]
            for item in plans where checks[item.arm] == nil {
                let c = item.plan.config
                let estimates = results.filter { $0.arm == item.arm }.compactMap { $0.summary["smoothness_estimate"]?.doubleValue }
                checks[item.arm] = .init(alpha: c.algorithmSettings["learning_rate"]?.doubleValue ?? DistributedPGConfig().learningRate,
                                         xi: c.strategySettings["xi"]?.arrayValue?.compactMap(\.doubleValue) ?? LazyAggregationSettings().xi,
                                         smoothness: estimates.max())
            }
            table.text += "\n\n" + (try lazyComparison.report(root: root, title: name, runs: runs, stepSizes: checks)).joined(separator: "\n")
        }
        if let zeroShot, !zeroShotResults.isEmpty {
            let z = zeroShot.report(zeroShotResults, arms: arms.map(\.name))
            table.text += "\n\n" + z.text
            table.json = table.json.setting("zero_shot", to: z.json)
        }
        // Fairly budgeted arms (paper 000's specialised agents): who is best task by task, panel
        // by panel (arms of different panels train on different task sets).
        if budget != nil {
            var panelNames: [String] = []
            for arm in arms.map(\.name) where !panelNames.contains(panels[arm] ?? "") { panelNames.append(panels[arm] ?? "") }
            var json: [(String, JSONValue)] = []
            for panel in panelNames {
                guard let comparison = PerTaskComparison(perTask.filter { (panels[$0.arm] ?? "") == panel }) else { continue }
                table.text += "\n\n" + (panel.isEmpty ? "" : "\(panel): ") + comparison.text
                json.append((panel, comparison.json))
            }
            if !json.isEmpty { table.json = table.json.setting("per_task", to: json.count == 1 && json[0].0.isEmpty ? json[0].1 : .object(json)) }
        }
        if let budget {
            table.text += "\n\nBudget: \(budget.stepsPerCopy) environment steps per environment copy (each arm's total: its copies × \(budget.stepsPerCopy)\(armBudgets.isEmpty ? "" : ", unless the arm has its own budget")):\n" + budgetLines.joined(separator: "\n")
        }
        if !report.isEmpty { table.text += "\n\nThe paper observed:\n" + report.map { "  - " + $0 }.joined(separator: "\n") }
        print(table.text)
        try (table.text + "\n").write(to: root.appendingPathComponent("comparison.txt"), atomically: true, encoding: .utf8)
        try (prettyJSON(table.json) + "\n").write(to: root.appendingPathComponent("comparison.json"), atomically: true, encoding: .utf8)
    }

    /// For every arm, over seeds: the median and quartiles (paper 000, Fig. 2) and the 10–90 %
    /// bands (paper 003, §3.3) of the training return — the mean over tasks of each task's return
    /// in the interval (`train/task_mean_return`, so that short episodes do not dominate) — with
    /// the discounted return and the communication curves, as `<arm>/curve.csv`, indexed by
    /// environment steps (rounds differ in length between arms; the round is a column too).
    /// Seeds are matched by log line. Also `figure-report.svg`: paper 003's panels (mean return
    /// and message frequency per round, with the 10–90 % bands over seeds; a pair of panels per
    /// task) when the runs log them.
    func writeCurves(root: URL, plans: [(arm: String, slug: String, seed: UInt64)]) throws {
        var slugs: [String] = []
        for p in plans where !slugs.contains(p.slug) { slugs.append(p.slug) }
        var returnSeries: [(arm: String, points: [(Double, Double)])] = [], frequencySeries = returnSeries
        // The 10–90 % bands over seeds (paper 003 §3.3) of the same curves, arm by arm.
        var returnBands: [[(Double, Double, Double)]] = [], frequencyBands = returnBands
        var armTasks: [String] = []  // each arm's task, for one pair of report panels per task
        var discountedAll = true
        for slug in slugs {
            var bySeed: [[JSONValue]] = []
            var task = ""
            for p in plans where p.slug == slug {
                let dir = try RunDirectory.open(at: root.appendingPathComponent(slug).appendingPathComponent("seed-\(p.seed)").path)
                bySeed.append(try dir.metricsLines())
                if task.isEmpty { task = (try? dir.readConfig().task) ?? "" }
            }
            armTasks.append(task)
            var csv = "env_steps,round,median,lower_quartile,upper_quartile,seeds,p10,p90,discounted_mean,discounted_p10,discounted_p90,"
                + "message_frequency_mean,message_frequency_p10,message_frequency_p90,message_size_mean\n"
            func mean(_ v: [Double]) -> String { v.isEmpty ? "" : formatJSONNumber(v.reduce(0, +) / Double(v.count)) }
            func q(_ v: [Double], _ p: Double) -> String { v.isEmpty ? "" : formatJSONNumber(quantile(v.sorted(), p)) }
            var discounted: [(Double, Double)] = [], frequency: [(Double, Double)] = [], returns: [(Double, Double)] = []
            var discountedBand: [(Double, Double, Double)] = [], frequencyBand = discountedBand
            for i in 0..<(bySeed.map(\.count).min() ?? 0) {
                let lines = bySeed.map { $0[i] }
                func values(_ key: String) -> [Double] { lines.compactMap { $0[key]?.doubleValue }.filter(\.isFinite) }
                let v = (values("train/task_mean_return").isEmpty ? values("train/episode_return") : values("train/task_mean_return")).sorted()
                guard !v.isEmpty else { continue }
                let steps = values("env_steps"), rounds = values("round")
                let d = values("train/discounted_return"), f = values("comm/message_frequency"), z = values("comm/message_size")
                let round = rounds.isEmpty ? Double(i) : rounds.reduce(0, +) / Double(rounds.count)
                csv += "\(mean(steps)),\(formatJSONNumber(round)),\(formatJSONNumber(quantile(v, 0.5))),\(formatJSONNumber(quantile(v, 0.25))),"
                csv += "\(formatJSONNumber(quantile(v, 0.75))),\(v.count),\(q(v, 0.1)),\(q(v, 0.9)),\(mean(d)),\(q(d, 0.1)),\(q(d, 0.9)),"
                csv += "\(mean(f)),\(q(f, 0.1)),\(q(f, 0.9)),\(mean(z))\n"
                returns.append((round, v.reduce(0, +) / Double(v.count)))
                if !d.isEmpty {
                    discounted.append((round, d.reduce(0, +) / Double(d.count)))
                    let sorted = d.sorted()
                    discountedBand.append((round, quantile(sorted, 0.1), quantile(sorted, 0.9)))
                }
                if !f.isEmpty {
                    frequency.append((round, f.reduce(0, +) / Double(f.count)))
                    let sorted = f.sorted()
                    frequencyBand.append((round, quantile(sorted, 0.1), quantile(sorted, 0.9)))
                }
            }
            try csv.write(to: root.appendingPathComponent(slug).appendingPathComponent("curve.csv"), atomically: true, encoding: .utf8)
            let arm = plans.first { $0.slug == slug }!.arm
            if discounted.isEmpty { discountedAll = false }
            returnSeries.append((arm, discounted.isEmpty ? returns : discounted))
            frequencySeries.append((arm, frequency))
            returnBands.append(discountedBand)
            frequencyBands.append(frequencyBand)
        }
        guard discountedAll else { return }
        // Paper 003 plots each environment apart (their returns differ by orders of magnitude):
        // one pair of panels per task when the arms run on several.
        var tasks: [String] = []
        for t in armTasks where !tasks.contains(t) { tasks.append(t) }
        var figure = PresetFigure(title: name, panels: [])
        for task in tasks {
            let prefix = tasks.count > 1 && !task.isEmpty ? "\(task): " : ""
            let arms = armTasks.indices.filter { armTasks[$0] == task }
            figure.panels.append((prefix + "mean discounted return", arms.map { returnSeries[$0] }))
            figure.bands.append(arms.map { returnBands[$0] })
            let frequencies = arms.map { frequencySeries[$0] }
            if frequencies.contains(where: { !$0.points.isEmpty }) {
                figure.panels.append((prefix + "message frequency", frequencies))
                figure.bands.append(arms.map { frequencyBands[$0] })
            }
        }
        try figure.svg.write(to: root.appendingPathComponent("figure-report.svg"), atomically: true, encoding: .utf8)
        print("figure: \(root.appendingPathComponent("figure-report.svg").path)")
    }

    /// The summary with paper 003's communication figures over the whole run (§3.2), read from
    /// its metric lines: the mean message frequency and size over the logged intervals, the mean
    /// frequency over the intervals of the run's second half (ESPC's rate once the return has
    /// stopped climbing: while it climbs, a new utility stands above the rolling window it is
    /// part of and the rate rises, report §4.9), the last interval's mean discounted return, and
    /// the cumulative episode return (Σ over episodes of the agents' mean return; the report plots
    /// it for Frozen Lake, Fig. 3.5a).
    func withCommunicationFigures(_ summary: JSONValue, lines: [JSONValue]) -> JSONValue {
        func mean(_ key: String, _ selected: [JSONValue]) -> JSONValue {
            let v = selected.compactMap { $0[key]?.doubleValue }.filter(\.isFinite)
            return v.isEmpty ? .null : .real(v.reduce(0, +) / Double(v.count))
        }
        let lastRound = lines.compactMap { $0["round"]?.doubleValue }.max() ?? 0
        let secondHalf = lines.filter { ($0["round"]?.doubleValue ?? 0) > lastRound / 2 }
        let last = lines.last(where: { $0["train/discounted_return"]?.doubleValue != nil })?["train/discounted_return"] ?? .null
        // Σ over episodes of the mean episode return (each line covers the rounds since the last).
        var cumulative = 0.0, previousRound = 0.0
        for line in lines {
            guard let round = line["round"]?.doubleValue, let r = line["train/episode_return"]?.doubleValue, r.isFinite else { continue }
            cumulative += r * (round - previousRound)
            previousRound = round
        }
        return summary.setting("message_frequency", to: mean("comm/message_frequency", lines))
            .setting("cumulative_return", to: .real(cumulative))
            .setting("message_frequency_second_half", to: mean("comm/message_frequency", secondHalf))
            .setting("message_size", to: mean("comm/message_size", lines))
            .setting("final_discounted_return", to: last)
    }

    func slug(_ s: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789")
        return String(s.lowercased().map { allowed.contains($0) ? $0 : "-" }).split(separator: "-").joined(separator: "-")
    }

    /// One row per arm: mean over seeds of the summary figures.
    func comparisonTable(_ results: [(arm: String, summary: JSONValue)]) -> (text: String, json: JSONValue) {
        var order: [String] = []
        for r in results where !order.contains(r.arm) { order.append(r.arm) }
        let heldOutNames = results.first?.summary["eval_held_out"]?.objectPairs?.map(\.key) ?? []
        // Paper 003's columns appear only for runs that log them (ES and value-based presets).
        let report = results.contains { ($0.summary["final_discounted_return"]?.doubleValue ?? .nan).isFinite }
        var header = ["ARM", "SEEDS", "TRAIN RETURN", "PER-TASK RETURN", "EVAL RETURN"] + heldOutNames.map { "HELD-OUT \($0.uppercased())" }
        header += (report ? ["DISC. RETURN", "CUM. RETURN (95 % CI)", "MESSAGES", "MSG FREQ", "2ND HALF", "MSG SIZE"] : ["MESSAGES"])
            + ["REL. DEV. (TABLE I)"] + (paperTableI == nil ? [String]() : ["PAPER TABLE I"]) + ["REL. DEV. (WEIGHTED)", "ENV STEPS/S"]
        var rows: [[String]] = []
        var jsonRows: [JSONValue] = []
        for arm in order {
            let s = results.filter { $0.arm == arm }.map(\.summary)
            func mean(_ get: (JSONValue) -> Double?) -> Double {
                let v = s.compactMap(get).filter { $0.isFinite }
                return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
            }
            let train = mean { $0["mean_train_return"]?.doubleValue }
            let perTask = mean { $0["mean_task_return"]?.doubleValue }
            let eval = mean { $0["mean_eval_return"]?.doubleValue }
            let held = heldOutNames.map { n in mean { $0["eval_held_out"]?[n]?.doubleValue } }
            let messages = mean { $0["messages"]?.doubleValue }
            let discounted = mean { $0["final_discounted_return"]?.doubleValue }
            let frequency = mean { $0["message_frequency"]?.doubleValue }
            let laterFrequency = mean { $0["message_frequency_second_half"]?.doubleValue }
            // Mean over seeds with its 95 % Student-t interval.
            let (cumulativeMean, cumulativeHalfWidth) = meanWithConfidence(s.compactMap { $0["cumulative_return"]?.doubleValue }.filter(\.isFinite))
            let size = mean { $0["message_size"]?.doubleValue }
            // Table I of paper 000: the mean over the policy network's parameters of σ_j/|μ_j|
            // across agents; beside it the |μ_j|-weighted variant Σσ_j/Σ|μ_j| (bounded where a
            // mean crosses zero). Runs without a policy network: the same over their whole rows.
            let deviation = mean { ($0["policy_relative_deviation"] ?? $0["relative_deviation_unweighted"])?.doubleValue }
            let weighted = mean { ($0["policy_relative_deviation_weighted"] ?? $0["relative_deviation"])?.doubleValue }
            let rate = mean { $0["env_steps_per_second"]?.doubleValue }
            func f(_ v: Double) -> String { v.isFinite ? String(format: "%.1f", v) : "—" }
            func f3(_ v: Double) -> String { v.isFinite ? String(format: "%.3f", v) : "—" }
            let cumulativeCell = !cumulativeMean.isFinite ? "—"
                : cumulativeHalfWidth.isFinite ? String(format: "%.1f ± %.1f", cumulativeMean, cumulativeHalfWidth) : f(cumulativeMean)
            // A single agent (centralised) has no spread across agents.
            func percent(_ v: Double) -> String { v.isFinite && s.contains(where: { ($0["agents"]?.doubleValue ?? 2) > 1 }) ? String(format: "%.2f %%", 100 * v) : "—" }
            let communication = report ? [f3(discounted), cumulativeCell, String(format: "%.0f", messages), f3(frequency), f3(laterFrequency), f(size)]
                : [String(format: "%.0f", messages)]
            let paperCell: [String] = paperTableI.map { [$0.cell(arm)] } ?? []
            let deviationCells: [String] = [percent(deviation)] + paperCell + [percent(weighted), formatRate(rate)]
            rows.append([arm, String(s.count), f(train), f(perTask), f(eval)] + held.map(f) + communication + deviationCells)
            let paperDeviation: JSONValue = paperTableI?.cells[arm].map { JSONValue.real($0 / 100) } ?? .null
            jsonRows.append(.object([("arm", .string(arm)), ("seeds", .integer(s.count)), ("mean_train_return", .real(train)), ("mean_task_return", .real(perTask)),
                                     ("mean_eval_return", .real(eval)),
                                     ("held_out", .object(zip(heldOutNames, held).map { ($0, .real($1)) })),
                                     ("final_discounted_return", .real(discounted)), ("cumulative_return", .real(cumulativeMean)),
                                     ("cumulative_return_ci95", .real(cumulativeHalfWidth)), ("messages", .real(messages)),
                                     ("message_frequency", .real(frequency)), ("message_frequency_second_half", .real(laterFrequency)),
                                     ("message_size", .real(size)),
                                     ("relative_deviation", .real(deviation)), ("relative_deviation_weighted", .real(weighted)),
                                     ("paper_relative_deviation", paperDeviation),
                                     ("env_steps_per_second", .real(rate))]))
        }
        let widths = header.indices.map { c in max(header[c].count, rows.map { $0[c].count }.max() ?? 0) + 2 }
        func line(_ cells: [String]) -> String { zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined() }
        let text = ([line(header)] + rows.map(line)).joined(separator: "\n")
        return (text, .object([("experiment", .string(name)), ("rows", .array(jsonRows))]))
    }
}


/// The q-quantile of sorted values, linearly interpolated.
func quantile(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let x = q * Double(sorted.count - 1)
    let i = Int(x.rounded(.down)), f = x - Double(i)
    return i + 1 < sorted.count ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i]
}
