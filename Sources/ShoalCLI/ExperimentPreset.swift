import AssetsData
import Envs
import Foundation
import Training
import TrainingCatalogue

/// A named experiment (`Assets/experiments/NAME.json`): a base run configuration, arms that
/// change it (architectures, strategies, settings), seeds, and the comparison table it prints.
///
/// ```json
/// {"name": "diffdac-acrobot", "summary": "…", "source": "paper 000, §VI-C",
///  "base": {…run configuration…},
///  "arms": [{"name": "Diff-A2C (ring)", "config": {"architecture": "decentralised"}}, …],
///  "seeds": [0, 1]}
/// ```
struct ExperimentPreset {
    var name: String
    var summary: String
    var source: String
    var base: JSONValue
    var arms: [(name: String, config: JSONValue)]
    var seeds: [UInt64]

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
        let allowed = ["name", "summary", "source", "base", "arms", "seeds"]
        for (k, _) in json.objectPairs ?? [] where !allowed.contains(k) { throw CLIError("preset \(file): unknown key '\(k)' (valid: \(allowed.joined(separator: ", ")))") }
        guard let name = json["name"]?.stringValue, let base = json["base"], base.objectPairs != nil,
              let arms = json["arms"]?.arrayValue, !arms.isEmpty else {
            throw CLIError("preset \(file) needs 'name', a 'base' configuration object and a non-empty 'arms' list")
        }
        let parsedArms = try arms.map { arm -> (String, JSONValue) in
            guard let n = arm["name"]?.stringValue, let c = arm["config"], c.objectPairs != nil else {
                throw CLIError("preset \(file): every arm needs a 'name' and a 'config' object")
            }
            return (n, c)
        }
        let seeds = try (json["seeds"]?.arrayValue ?? [.integer(0)]).map { v -> UInt64 in
            guard let d = v.doubleValue, d >= 0, d == d.rounded() else { throw CLIError("preset \(file): seeds must be non-negative integers") }
            return UInt64(d)
        }
        return ExperimentPreset(name: name, summary: json["summary"]?.stringValue ?? "", source: json["source"]?.stringValue ?? "",
                                base: base, arms: parsedArms, seeds: seeds)
    }

    /// Runs every arm for every seed into `out/<arm>/seed-<s>` and writes and prints the comparison.
    func run(registry: TaskRegistry, out: String, force: Bool, overrides: JSONValue, seeds override: [UInt64]?,
             progress: ((TrainingProgress) -> Void)?) throws {
        let seedList = override ?? seeds
        let root = URL(fileURLWithPath: out)
        // A command-line value for a key that the arms vary would make every arm the same while
        // the table still labels them apart.
        for (key, _) in overrides.objectPairs ?? [] {
            if let arm = arms.first(where: { $0.config[key] != nil }) {
                throw CLIError("preset \(name) varies '\(key)' across its arms (arm '\(arm.name)' sets it), so it cannot be set for the whole preset on the command line; copy the preset file and edit its arms instead")
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
        for (armName, armConfig) in arms {
            for seed in seedList {
                var config = try RunConfig.decode(base, context: "preset \(name), base")
                config = try RunConfig.decode(armConfig, context: "preset \(name), arm \(armName)", base: config)
                config = try RunConfig.decode(overrides, context: "the command line", base: config)
                config.seed = seed
                plans.append((armName, slug(armName), seed, try RunPlan(config: config, registry: registry, algorithms: .standard)))
            }
        }
        print("\(name): \(summary)")
        fflush(stdout)
        var results: [(arm: String, summary: JSONValue)] = []
        for item in plans {
            let path = root.appendingPathComponent(item.slug).appendingPathComponent("seed-\(item.seed)").path
            let directory = try RunDirectory.create(at: path, force: true)
            try directory.writeConfig(item.plan.config)
            FileHandle.standardError.write(Data("\(item.arm), seed \(item.seed) → \(path)\n".utf8))
            var session = try item.plan.algorithm.openRun(plan: item.plan, directory: directory, resume: false)
            if let s = try session.run(stopAfter: nil, progress: progress) { results.append((item.arm, s)) }
        }
        try writeCurves(root: root, plans: plans.map { ($0.arm, $0.slug, $0.seed) })
        let figure = root.appendingPathComponent("figure.svg").path
        do {
            _ = try PlotCommand.writeFigure(of: [root.path], metric: Metric.taskMeanReturn.rawValue, x: .envSteps, title: name, to: figure)
            print("figure: \(figure)")
        } catch {
            FileHandle.standardError.write(Data("warning: \(name): no figure: \(error)\n".utf8))
        }
        let table = comparisonTable(results)
        print(table.text)
        try (table.text + "\n").write(to: root.appendingPathComponent("comparison.txt"), atomically: true, encoding: .utf8)
        try (prettyJSON(table.json) + "\n").write(to: root.appendingPathComponent("comparison.json"), atomically: true, encoding: .utf8)
    }

    /// For every arm, the median and quartiles over seeds of the training return (the mean over
    /// tasks of each task's return in the interval, `train/task_mean_return`, so that short
    /// episodes do not dominate), indexed by environment steps (the paper's x axis; rounds differ
    /// in length between arms), as `<arm>/curve.csv`. Seeds are matched by log line.
    func writeCurves(root: URL, plans: [(arm: String, slug: String, seed: UInt64)]) throws {
        var slugs: [String] = []
        for p in plans where !slugs.contains(p.slug) { slugs.append(p.slug) }
        for slug in slugs {
            var bySeed: [[(steps: Double, value: Double?)]] = []
            for p in plans where p.slug == slug {
                let dir = try RunDirectory.open(at: root.appendingPathComponent(slug).appendingPathComponent("seed-\(p.seed)").path)
                bySeed.append(try dir.metricsLines().compactMap { line in
                    guard let steps = line["env_steps"]?.doubleValue else { return nil }
                    return (steps, line["train/task_mean_return"]?.doubleValue)
                })
            }
            var csv = "env_steps,median,lower_quartile,upper_quartile,seeds\n"
            let lines = bySeed.map(\.count).min() ?? 0
            for i in 0..<lines {
                let v = bySeed.compactMap { $0[i].value }.sorted()
                guard !v.isEmpty else { continue }
                let steps = bySeed.map { $0[i].steps }.reduce(0, +) / Double(bySeed.count)
                csv += "\(formatJSONNumber(steps)),\(formatJSONNumber(quantile(v, 0.5))),\(formatJSONNumber(quantile(v, 0.25))),\(formatJSONNumber(quantile(v, 0.75))),\(v.count)\n"
            }
            try csv.write(to: root.appendingPathComponent(slug).appendingPathComponent("curve.csv"), atomically: true, encoding: .utf8)
        }
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
        var header = ["ARM", "SEEDS", "TRAIN RETURN", "PER-TASK RETURN", "EVAL RETURN"] + heldOutNames.map { "HELD-OUT \($0.uppercased())" }
        header += ["MESSAGES", "REL. DEVIATION", "ENV STEPS/S"]
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
            let deviation = mean { $0["relative_deviation"]?.doubleValue }
            let rate = mean { $0["env_steps_per_second"]?.doubleValue }
            func f(_ v: Double) -> String { v.isFinite ? String(format: "%.1f", v) : "—" }
            rows.append([arm, String(s.count), f(train), f(perTask), f(eval)] + held.map(f) + [String(format: "%.0f", messages),
                         deviation.isFinite ? String(format: "%.1f %%", 100 * deviation) : "—", formatRate(rate)])
            jsonRows.append(.object([("arm", .string(arm)), ("seeds", .integer(s.count)), ("mean_train_return", .real(train)), ("mean_task_return", .real(perTask)),
                                     ("mean_eval_return", .real(eval)),
                                     ("held_out", .object(zip(heldOutNames, held).map { ($0, .real($1)) })),
                                     ("messages", .real(messages)), ("relative_deviation", .real(deviation)), ("env_steps_per_second", .real(rate))]))
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
