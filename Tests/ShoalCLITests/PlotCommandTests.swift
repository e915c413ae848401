import Envs
import Foundation
import Testing
@testable import ShoalCLI

@Suite("shoal plot, run as a program on hand-written metrics")
struct PlotCommandTests {
    /// A run directory with `config.json` and one metrics line per (env steps, return, messages).
    func writeRun(_ folder: URL, _ relative: String, _ rows: [(steps: Int, value: Double?, messages: Int)], extra: String = "") throws -> String {
        let dir = folder.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try #"{"task_set": "pendulum-25"}"#.write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        let lines = rows.enumerated().map { k, r in
            #"{"round": \#(k + 1), "env_steps": \#(r.steps), "wall_seconds": \#(Double(k) * 0.5), "train/episode_return": \#(r.value.map { "\($0)" } ?? "null"), "train/agent_return": [1, 2], "comm/messages": \#(r.messages)\#(extra)}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("metrics.jsonl"), atomically: true, encoding: .utf8)
        return dir.path
    }

    /// A preset directory: two arms, three seeds each, returns rising linearly with env steps.
    func writePreset(_ folder: URL) throws -> String {
        for seed in 1...3 {
            let slope = Double(seed)
            var arm: [(steps: Int, value: Double?, messages: Int)] = []
            for k in 0...10 { arm.append((k * 1000, k == 0 ? nil : -500 + slope * Double(k) * 20, k * 40)) }
            _ = try writeRun(folder, "preset/diff-a2c/seed-\(seed)", arm)
            var alone: [(steps: Int, value: Double?, messages: Int)] = []
            for k in 0...12 { alone.append((k * 1000 + seed, -500 + slope * Double(k) * 5, 0)) }
            _ = try writeRun(folder, "preset/specialised/seed-\(seed)", alone)
        }
        return folder.appendingPathComponent("preset").path
    }

    @Test func presetDirectoryGivesOneCurvePerArm() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let preset = try writePreset(folder)
        let out = folder.appendingPathComponent("figure.svg").path
        let r = try ShoalBinary.run(["plot", preset, "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("2 curves from 6 runs"))
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains(">diff-a2c (3 seeds)</text>") && svg.contains(">specialised (3 seeds)</text>"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)  // two medians
        #expect(svg.components(separatedBy: "<polygon").count - 1 == 2)   // two quartile bands
        #expect(svg.contains("environment steps") && svg.contains("training episode return"))
        #expect(svg.contains("pendulum-25"))  // the task set of every run names the title
        #expect(svg.contains(">10k</text>"))  // an x tick
        // Messages on the x axis: the arm that never communicates is one point at x = 0.
        let messages = try ShoalBinary.run(["plot", preset, "--x", "messages", "--out", out])
        #expect(messages.status == 0, "\(messages.stderr)")
        let svg2 = try String(contentsOfFile: out, encoding: .utf8)
        #expect(svg2.contains("messages sent, cumulative"))
        #expect(svg2.contains("x is 0 throughout"))
    }

    @Test func seedDirectoriesJoinTheirParentsArm() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let preset = try writePreset(folder)
        let single = try writeRun(folder, "solo", [(0, -10, 0), (100, -5, 0)])
        let out = folder.appendingPathComponent("two.svg").path
        let r = try ShoalBinary.run(["plot", preset + "/diff-a2c/seed-1", preset + "/diff-a2c/seed-2", single, "--x", "wall_seconds",
                                     "--title", "two arms", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("2 curves from 3 runs"))
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        #expect(svg.contains(">diff-a2c (2 seeds)</text>") && svg.contains(">solo (1 run)</text>"))
        #expect(svg.contains(">two arms</text>") && svg.contains("wall-clock time (s)"))
    }

    @Test("what shoal train writes plots, against every x axis")
    func trainingRunsPlot() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for seed in ["1", "2"] {
            let train = try ShoalBinary.run(["train", "--task", "testing/identity-v1", "--agents", "3", "--topology", "ring", "--rounds", "20",
                                             "--seed", seed, "--set", "a2c.hidden=[8]", "--out", folder.appendingPathComponent("a2c/seed-\(seed)").path, "--quiet"])
            #expect(train.status == 0, "\(train.stderr)")
        }
        // Wall-clock ranges of two short runs overlap only if the machine ran them at similar speeds.
        func wallRange(_ seed: String) throws -> ClosedRange<Double> {
            let text = try String(contentsOf: folder.appendingPathComponent("a2c/seed-\(seed)/metrics.jsonl"), encoding: .utf8)
            let walls = try text.split(separator: "\n").compactMap { try JSONValue.parse(String($0))["wall_seconds"]?.doubleValue }
            return walls.min()!...walls.max()!
        }
        let wallsOverlap = try wallRange("1").overlaps(wallRange("2"))
        for x in ["env_steps", "wall_seconds", "messages"] {
            let out = folder.appendingPathComponent("\(x).svg").path
            let r = try ShoalBinary.run(["plot", folder.path, "--x", x, "--out", out])
            if x == "wall_seconds" && !wallsOverlap {
                #expect(r.status != 0 && r.stderr.contains("the runs of a2c share no x range"), "\(r.stderr)")
                continue
            }
            #expect(r.status == 0, "\(x): \(r.stderr)")
            let svg = try String(contentsOfFile: out, encoding: .utf8)
            #expect(svg.contains(">a2c (2 seeds)</text>") && svg.contains("testing/identity-v1"))
        }
    }

    @Test func badInputIsOneSentence() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let preset = try writePreset(folder)
        // A run whose x range does not meet its sibling's.
        _ = try writeRun(folder, "apart/seed-1", [(0, 1, 0), (100, 2, 0)])
        _ = try writeRun(folder, "apart/seed-2", [(200, 1, 0), (300, 2, 0)])
        _ = try writeRun(folder, "nulls/seed-1", [(0, nil, 0), (100, nil, 0)])
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("empty-run"), withIntermediateDirectories: true)
        try "".write(to: folder.appendingPathComponent("empty-run/metrics.jsonl"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("stuff/notes"), withIntermediateDirectories: true)
        try "x".write(to: folder.appendingPathComponent("stuff/readme.txt"), atomically: true, encoding: .utf8)
        // The only run with an evaluation metric.
        let evalOnly = try writeRun(folder, "eval/seed-1", [(0, 1, 0)], extra: #", "eval/episode_return": 3"#)
        let noMessages = folder.appendingPathComponent("no-messages/seed-1")
        try FileManager.default.createDirectory(at: noMessages, withIntermediateDirectories: true)
        try #"{"round": 1, "env_steps": 10, "train/episode_return": -3}"#.write(to: noMessages.appendingPathComponent("metrics.jsonl"), atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("x.svg").path
        let cases: [([String], String)] = [
            (["plot", preset, "--metric", "train/episode_retrun"],
             "no run has the metric 'train/episode_retrun' (did you mean train/episode_return?); their metrics are: round, env_steps, wall_seconds, comm/messages, train/episode_return"),
            (["plot", preset, "--metric", "train/agent_return"], "'train/agent_return' is a list per agent or per task, not a scalar"),
            (["plot", preset, evalOnly, "--metric", "eval/episode_return"],
             "/preset/diff-a2c/seed-1 and 5 more runs lack the metric 'eval/episode_return' that 1 of the 7 runs have (\(evalOnly) among them); the metrics of "),
            (["plot", preset, noMessages.path, "--x", "messages"],
             "/no-messages/seed-1 lacks the x-axis metric 'comm/messages' (--x messages) that the other 6 runs have; the metrics of "),
            (["plot", folder.appendingPathComponent("missing").path], "/missing does not exist"),
            (["plot", folder.appendingPathComponent("stuff").path], "is neither a run directory (with metrics.jsonl) nor a preset directory (with <arm>/seed-<s>/metrics.jsonl): it holds notes, readme.txt"),
            (["plot", folder.appendingPathComponent("apart").path], "the runs of apart share no x range: "),
            (["plot", folder.appendingPathComponent("nulls").path], "/nulls/seed-1 logs the metric 'train/episode_return' only as null (it is undefined for this run): nothing to plot"),
            (["plot", folder.appendingPathComponent("empty-run").path], "has an empty metrics.jsonl"),
            (["plot"], "name at least one run directory or preset directory to plot"),
        ]
        for (arguments, expected) in cases {
            let r = try ShoalBinary.run(arguments + ["--out", out])
            #expect(r.status != 0, "\(arguments) succeeded")
            #expect(r.stderr.contains(expected), "\(arguments): \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"))
            #expect(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

@Suite("the figure a preset writes")
struct PresetFigureTests {
    @Test func writeFigureDrawsEveryArmOfAPresetDirectory() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (arm, slope) in [("a", 1.0), ("b", 2.0), ("c", 3.0), ("d", 4.0)] {
            for seed in 1...2 {
                let dir = folder.appendingPathComponent("\(arm)/seed-\(seed)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let lines = (0...5).map { k in #"{"round": \#(k), "env_steps": \#(k * 100), "train/episode_return": \#(slope * Double(k + seed))}"# }
                try lines.joined(separator: "\n").write(to: dir.appendingPathComponent("metrics.jsonl"), atomically: true, encoding: .utf8)
            }
        }
        let out = folder.appendingPathComponent("figure.svg").path
        #expect(try PlotCommand.writeFigure(of: [folder.path], to: out) == 4)
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        for arm in ["a", "b", "c", "d"] { #expect(svg.contains(">\(arm) (2 seeds)</text>")) }
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 4)
    }

    @Test func theLegendColumnFitsTheLongestArmName() throws {
        let name = "Centralised SiAC, pendulum (a long arm name)"
        let figure = PresetFigure(title: "t", panels: [("p", [(name, [(0, 0), (1, 1)]), ("b", [(0, 1), (1, 0)])])])
        let svg = figure.svg
        // The number after `key="` that follows the first `marker`.
        func number(after marker: String, key: String) -> Double? {
            guard let m = svg.range(of: marker), let k = svg.range(of: key + "=\"", range: m.lowerBound..<svg.endIndex) else { return nil }
            return Double(svg[k.upperBound...].prefix { $0 != "\"" })
        }
        let width = try #require(number(after: "<svg ", key: "width"))
        let legend = try #require(svg.range(of: ">Centralised"))
        let textStart = try #require(svg.range(of: "<text x=\"", options: .backwards, range: svg.startIndex..<legend.lowerBound))
        let textX = try #require(Double(svg[textStart.upperBound...].prefix { $0 != "\"" }))
        // About 6.5 px a character at 11 px sans-serif: the name ends inside the picture.
        #expect(textX + 6.5 * Double(name.count) <= width)
        // Short names keep the usual 560-px figure.
        #expect(PresetFigure(title: "t", panels: [("p", [("a", [(0, 0), (1, 1)])])]).svg.contains("width=\"560\""))
    }
}


@Suite("the mean-band figure of a preset")
struct PresetMeanBandTests {
    /// Two arms whose rounds hold `stepsA` and `stepsB` environment steps each, logged 4 times.
    func figure(stepsA: Int, stepsB: Int) throws -> String {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (slug, steps) in [("a", stepsA), ("b", stepsB)] {
            let dir = folder.appendingPathComponent("\(slug)/seed-0")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try "{}".write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
            let lines = (1...4).map { k in #"{"round": \#(k * 10), "env_steps": \#(k * 10 * steps), "train/episode_return": \#(k)}"# }
            try lines.joined(separator: "\n").write(to: dir.appendingPathComponent("metrics.jsonl"), atomically: true, encoding: .utf8)
        }
        let preset = ExperimentPreset(name: "p", summary: "", source: "", base: .object([]), arms: [("a", .object([])), ("b", .object([]))], seeds: [0])
        _ = try preset.writeMeanBandFigure(root: folder, plans: [("a", "a", 0), ("b", "b", 0)])
        return try String(contentsOf: folder.appendingPathComponent("figure.svg"), encoding: .utf8)
    }

    @Test func armsWhoseRoundsDifferInStepsAreDrawnAgainstEnvironmentSteps() throws {
        // A Diff-A2C round (25 × 60 steps) against a centralised one (25 × 5): by steps, to 60 000.
        let svg = try figure(stepsA: 1500, stepsB: 125)
        #expect(svg.contains(">60000 (environment steps)</text>"), "\(svg.prefix(2000))")
        // Equal rounds stay on the round axis.
        #expect(try figure(stepsA: 100, stepsB: 100).contains("40 (round)"))
    }
}
