import ArgumentParser
import Envs
import Foundation

/// `shoal plot RUN_DIR… [--metric M] [--x env_steps|wall_seconds|messages] [--out FILE.svg]`:
/// learning curves from run directories (`metrics.jsonl`), the median and interquartile band
/// over the seeds of each arm. A preset directory (`<arm>/seed-<s>/`) gives one curve per arm; a
/// run directory called `seed-<s>` belongs to the arm of its parent directory, any other run
/// directory is an arm of its own.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw learning curves (median and quartiles over seeds) of runs or a preset as SVG.",
        discussion: """
            Examples:
              shoal plot runs/diffdac-acrobot --out acrobot.svg
              shoal plot runs/a2c/seed-1 runs/a2c/seed-2 runs/siac --metric train/episode_return
              shoal plot runs/diffdac-link-drop --x messages --out return-vs-messages.svg
            """)

    enum XAxis: String, ExpressibleByArgument, CaseIterable {
        case envSteps = "env_steps", wallSeconds = "wall_seconds", messages

        /// The metrics.jsonl key.
        var key: String { self == .messages ? "comm/messages" : rawValue }

        var label: String {
            switch self {
            case .envSteps: return "environment steps (all agents)"
            case .wallSeconds: return "wall-clock time (s)"
            case .messages: return "messages sent, cumulative (all agents)"
            }
        }
    }

    @Argument(help: "Run directories or preset directories (at least one).") var directories: [String] = []
    @Option(help: "The metric on the y axis (a key of metrics.jsonl).") var metric = "train/episode_return"
    @Option(name: .customLong("x"), help: "The x axis: env_steps, wall_seconds or messages (cumulative comm/messages).") var xAxis: XAxis = .envSteps
    @Option(help: "The title (default: the metric and the task).") var title: String?
    @Option(help: "The SVG file to write.") var out = "figure.svg"

    func run() throws {
        let arms = try Self.arms(of: directories)
        let svg = try Self.chart(arms: arms, metric: metric, x: xAxis, title: title).svg()
        do { try svg.write(toFile: out, atomically: true, encoding: .utf8) } catch {
            throw CLIError("cannot write \(out): \(error.localizedDescription)")
        }
        let runs = arms.reduce(0) { $0 + $1.runs.count }
        print("wrote \(out): \(metric) against \(xAxis.rawValue), \(arms.count) \(arms.count == 1 ? "curve" : "curves") from \(runs) \(runs == 1 ? "run" : "runs")")
    }

    /// Writes the learning-curve figure of run or preset directories to `out`, as `shoal plot`
    /// does; a preset calls `try PlotCommand.writeFigure(of: [root.path], to: root.path + "/figure.svg")`
    /// after its runs. Returns the number of curves.
    @discardableResult
    static func writeFigure(of directories: [String], metric: String = "train/episode_return", x: XAxis = .envSteps,
                            title: String? = nil, to out: String) throws -> Int {
        let arms = try arms(of: directories)
        let svg = try chart(arms: arms, metric: metric, x: x, title: title).svg()
        do { try svg.write(toFile: out, atomically: true, encoding: .utf8) } catch {
            throw CLIError("cannot write \(out): \(error.localizedDescription)")
        }
        return arms.count
    }

    /// The runs to plot, grouped by arm in the order they were named.
    static func arms(of paths: [String]) throws -> [(name: String, runs: [RunMetrics])] {
        guard !paths.isEmpty else { throw CLIError("name at least one run directory or preset directory to plot") }
        var arms: [(name: String, runs: [RunMetrics])] = []
        var seen = Set<String>()
        func add(_ arm: String, _ run: String) throws {
            let key = URL(fileURLWithPath: run).standardizedFileURL.path
            guard !seen.contains(key) else { return }
            seen.insert(key)
            let metrics = try RunMetrics.load(run)
            if let i = arms.firstIndex(where: { $0.name == arm }) { arms[i].runs.append(metrics) } else { arms.append((arm, [metrics])) }
        }
        let fm = FileManager.default
        func isRun(_ p: String) -> Bool { fm.fileExists(atPath: (p as NSString).appendingPathComponent("metrics.jsonl")) }
        func subdirectories(_ p: String) -> [String] {
            ((try? fm.contentsOfDirectory(atPath: p)) ?? []).sorted(by: seedOrder).map { (p as NSString).appendingPathComponent($0) }
                .filter { var d: ObjCBool = false; return fm.fileExists(atPath: $0, isDirectory: &d) && d.boolValue }
        }
        for raw in paths {
            let path = raw.count > 1 && raw.hasSuffix("/") ? String(raw.dropLast()) : raw
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { throw CLIError("\(raw) does not exist") }
            guard isDirectory.boolValue else { throw CLIError("\(raw) is a file; name a run directory (with metrics.jsonl) or a preset directory") }
            let name = URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
            if isRun(path) {
                let parent = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().lastPathComponent
                try add(isSeedName(name) ? parent : name, path)
                continue
            }
            let runs = subdirectories(path).filter(isRun)
            if !runs.isEmpty {
                // An arm directory: its runs are the seeds of one arm.
                for r in runs { try add(name, r) }
                continue
            }
            var found = false
            for armDirectory in subdirectories(path) {
                for r in subdirectories(armDirectory).filter(isRun) {
                    try add(URL(fileURLWithPath: armDirectory).lastPathComponent, r)
                    found = true
                }
            }
            if !found {
                let contents = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted()
                let listed = contents.isEmpty ? "it is empty" : "it holds " + contents.prefix(8).joined(separator: ", ") + (contents.count > 8 ? ", …" : "")
                throw CLIError("\(raw) is neither a run directory (with metrics.jsonl) nor a preset directory (with <arm>/seed-<s>/metrics.jsonl): \(listed)")
            }
        }
        return arms
    }

    /// The chart of `metric` against `x`; a metric or x axis missing from some run is one sentence
    /// naming the run and the metrics it has.
    static func chart(arms: [(name: String, runs: [RunMetrics])], metric: String, x: XAxis, title: String?) throws -> LearningCurveChart {
        let runs = arms.flatMap(\.runs)
        for run in runs where run.lines.isEmpty {
            throw CLIError("\(run.path) has an empty metrics.jsonl: the run has not logged a round yet")
        }
        for (key, what) in [(metric, "metric '\(metric)'"), (x.key, "x-axis metric '\(x.key)' (--x \(x.rawValue))")] {
            // A key logged only as null (no episode ended in any logged round, or a metric the algorithm does not define).
            if let run = runs.first(where: { r in !r.scalarKeys.contains(key) && r.lines.contains { $0[key] == .null } }) {
                throw CLIError("\(run.path) logs the \(what) only as null (it is undefined for this run): nothing to plot")
            }
            let lacking = runs.filter { !$0.scalarKeys.contains(key) }
            guard let first = lacking.first else { continue }
            var known: [String] = []
            for k in runs.flatMap(\.scalarKeys) where !known.contains(k) { known.append(k) }
            var sentence: String
            if lacking.count == runs.count {
                if runs.contains(where: { $0.arrayKeys.contains(key) }) {
                    sentence = "'\(key)' is a list per agent or per task, not a scalar; the scalar metrics are: \(known.joined(separator: ", "))"
                } else {
                    sentence = (runs.count == 1 ? "\(first.path) has no" : "no run has the") + " \(what)"
                    if let guess = closestName(to: key, among: known) { sentence += " (did you mean \(guess)?)" }
                    sentence += "; \(runs.count == 1 ? "its" : "their") metrics are: \(known.joined(separator: ", "))"
                }
            } else {
                let having = runs.filter { $0.scalarKeys.contains(key) }
                if lacking.count == 1 {
                    sentence = "\(first.path) lacks the \(what) that the other \(having.count) \(having.count == 1 ? "run has" : "runs have")"
                } else {
                    sentence = "\(first.path) and \(lacking.count - 1) more \(lacking.count == 2 ? "run lack" : "runs lack") the \(what) that \(having.count) of the \(runs.count) runs have (\(having[0].path) among them)"
                }
                sentence += "; the metrics of \(first.path) are: \(first.scalarKeys.joined(separator: ", "))"
            }
            throw CLIError(sentence)
        }
        let chartArms = arms.map { arm in
            LearningCurveChart.Arm(name: arm.name, seeds: arm.runs.map { $0.points(x: x.key, y: metric) }, seedNames: arm.runs.map(\.path))
        }
        for (arm, chartArm) in zip(arms, chartArms) {
            for (run, points) in zip(arm.runs, chartArm.seeds) where points.isEmpty {
                throw CLIError("\(run.path) has no line with both \(metric) and \(x.key) as numbers (is every \(metric) null?)")
            }
        }
        let tasks = Set(runs.compactMap(\.task))
        let defaultTitle = metricLabel(metric) + (tasks.count == 1 ? " — \(tasks.first!)" : "")
        return LearningCurveChart(arms: chartArms, title: title ?? defaultTitle, xLabel: x.label, yLabel: metricLabel(metric))
    }

    /// The axis label of a metric, with its meaning where Shoal knows it.
    static func metricLabel(_ metric: String) -> String {
        switch metric {
        case "train/episode_return": return "training episode return (mean per round)"
        case "eval/episode_return": return "test episode return"
        case "params/relative_deviation": return "relative deviation of the agents' parameters"
        case "params/consensus_distance": return "consensus distance of the parameters"
        case "perf/env_steps_per_second": return "environment steps per second"
        case "comm/messages": return "messages sent, cumulative"
        case "comm/bytes": return "bytes sent, cumulative"
        default: return metric
        }
    }

    static func isSeedName(_ name: String) -> Bool {
        name.hasPrefix("seed-") && !name.dropFirst(5).isEmpty && name.dropFirst(5).allSatisfy(\.isNumber)
    }

    /// Seed directories in numeric order (seed-2 before seed-10), everything else by name.
    static func seedOrder(_ a: String, _ b: String) -> Bool {
        if isSeedName(a), isSeedName(b), let x = Int(a.dropFirst(5)), let y = Int(b.dropFirst(5)) { return x < y }
        return a < b
    }
}
