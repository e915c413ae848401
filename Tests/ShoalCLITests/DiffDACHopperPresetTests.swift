import ActorCritic
import Envs
import Foundation
import Testing
import Training
@testable import ShoalCLI

/// Paper 000's Hopper experiments: `diffdac-hopper` (Fig. 5, Table I's Hopper rows) and the
/// Hopper panel of `diffdac-link-drop` (Fig. 7), and the preset pieces they use: the paper's
/// Table I cells beside ours and an arm's own budget.
@Suite("diffdac hopper presets: Fig. 5, Table I's Hopper rows, Fig. 7's Hopper panel")
struct DiffDACHopperPresetTests {
    @Test func theHopperPresetComparesTheThreeArchitecturesOnBothTaskSets() throws {
        let preset = try ExperimentPreset.named("diffdac-hopper")
        let registry = try cliRegistry()
        #expect(preset.figure == "mean-band")
        #expect(Set(preset.panels.values) == ["random mass", "wind"])
        #expect(preset.arms.count == 6)
        var seen: [String: (taskSet: String, architecture: Architecture, copies: Int, steps: Int)] = [:]
        for (arm, json) in preset.arms {
            var config = try RunConfig.decode(preset.base, context: "base")
            config = try RunConfig.decode(json, context: arm, base: config)
            #expect(config.redrawTasks, "\(arm) must draw its tasks per seed")
            let budget = try #require(preset.budget(for: arm))
            let (c, copies) = try budget.applied(to: config, registry: registry)
            seen[arm] = (c.taskSet, c.architecture, copies, c.maxEnvironmentSteps)
            // The paper's agent (appendix A.3): the defaults hold everything but the learning
            // rate and steps per update, which each arm sets.
            let lr = config.algorithmSettings["learning_rate"]?.doubleValue
            let steps = config.algorithmSettings["steps_per_update"]?.doubleValue
            if arm.hasPrefix("Diff-A2C") {
                #expect(config.topology == .ring && config.strategy == "diffusion-atc")
                #expect(lr == 0.0007 && steps == 60)
            } else {
                #expect(abs((lr ?? 0) - 0.002) < 1e-12 && steps == 5)
            }
        }
        let defaults = A2CConfig()
        #expect(defaults.hidden == [64, 64] && defaults.activation == .tanh && defaults.rmspropAlpha == 0.99
                && defaults.rmspropEpsilon == 1e-5 && defaults.entropyCoefficient == 0.01 && defaults.discount == 0.99)
        for (panel, set) in [("random mass", "hopper/random-mass-25"), ("wind", "hopper/wind-25")] {
            let s = 40_000
            #expect(seen["Diff-A2C (ring), \(panel)"].map { ($0.taskSet, $0.copies, $0.steps) } ?? ("", 0, 0) == (set, 25, 25 * s))
            #expect(seen["Centralised A2C, \(panel)"].map { ($0.taskSet, $0.architecture, $0.copies, $0.steps) } ?? ("", .decentralised, 0, 0)
                    == (set, .centralised, 25, 25 * s))
            // The specialised arm's stated smaller budget: 25 agents × 25 copies × 4 000 steps.
            #expect(seen["Specialised A2C, \(panel)"].map { ($0.taskSet, $0.architecture, $0.copies, $0.steps) } ?? ("", .decentralised, 0, 0)
                    == (set, .specialised, 625, 625 * 4_000))
        }
        #expect(preset.source.contains("S = 4 000 per copy"))
        // Table I's Hopper rows as the paper prints them.
        let paper = try #require(preset.paperTableI)
        #expect(paper.cells == ["Diff-A2C (ring), random mass": 3.10, "Specialised A2C, random mass": 114.08,
                                "Diff-A2C (ring), wind": 3.14, "Specialised A2C, wind": 116.23])
    }

    @Test func thePaperTableICellsPrintBesideOurs() throws {
        var preset = ExperimentPreset(name: "t", summary: "", source: "", base: .object([]), arms: [], seeds: [0])
        preset.paperTableI = PresetPaperTableI(cells: ["Diff": 3.10, "Spec": 114.08])
        let diff = JSONValue.object([("agents", .integer(25)), ("policy_relative_deviation", .real(0.2)), ("policy_relative_deviation_weighted", .real(0.01))])
        let central = JSONValue.object([("agents", .integer(1)), ("policy_relative_deviation", .real(0))])
        let spec = JSONValue.object([("agents", .integer(25)), ("policy_relative_deviation", .real(1.5))])
        let table = preset.comparisonTable([("Diff", diff), ("Central", central), ("Spec", spec)])
        let lines = table.text.split(separator: "\n").map(String.init)
        let header = lines[0]
        let ours = try #require(header.range(of: "REL. DEV. (TABLE I)")), theirs = try #require(header.range(of: "PAPER TABLE I"))
        let weighted = try #require(header.range(of: "REL. DEV. (WEIGHTED)"))
        #expect(ours.lowerBound < theirs.lowerBound && theirs.lowerBound < weighted.lowerBound)
        // Each row's paper cell sits in the PAPER TABLE I column.
        let column = header.distance(from: header.startIndex, to: theirs.lowerBound)
        #expect(lines[1].dropFirst(column).hasPrefix("3.10 %"), "\(lines[1])")
        #expect(lines[2].dropFirst(column).hasPrefix("—"), "\(lines[2])")
        #expect(lines[3].dropFirst(column).hasPrefix("114.08 %"), "\(lines[3])")
        #expect(lines[1].contains("20.00 %") && lines[3].contains("150.00 %"))
        let rows = try #require(table.json["rows"]?.arrayValue)
        #expect(rows[0]["paper_relative_deviation"]?.doubleValue.map { abs($0 - 0.031) < 1e-12 } == true)
        #expect(rows[1]["paper_relative_deviation"] == .null)
        // Without the key the column is absent.
        let plain = ExperimentPreset(name: "t", summary: "", source: "", base: .object([]), arms: [], seeds: [0]).comparisonTable([("Diff", diff)])
        #expect(!plain.text.contains("PAPER TABLE I"))
    }

    @Test func badPaperTableIAndArmBudgetsGetOneSentence() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [(String, String)] = [
            (#""paper_table_i": {"b": 3.1}, "budget": {"environment_steps_per_copy": 10}, "arms": [{"name": "a", "config": {}}]"#,
             "paper_table_i names arm 'b', but the arms are a"),
            (#""paper_table_i": {"a": -1}, "arms": [{"name": "a", "config": {}}]"#, "paper_table_i.a must be a non-negative number of per cent, got -1"),
            (#""paper_table_i": [3.1], "arms": [{"name": "a", "config": {}}]"#, "'paper_table_i' must map arm names to the paper's relative deviation in per cent"),
            (#""arms": [{"name": "a", "budget": {"environment_steps_per_copy": 10}, "config": {}}]"#,
             "arm 'a' sets a 'budget', which needs the preset's own 'budget' too"),
            (#""budget": {"environment_steps_per_copy": 10}, "arms": [{"name": "a", "budget": {"environment_steps_per_copy": 0}, "config": {}}]"#,
             "budget.environment_steps_per_copy must be a positive integer, got 0"),
        ]
        for (i, (body, expected)) in cases.enumerated() {
            let file = folder.appendingPathComponent("p\(i).json")
            try "{\"name\": \"p\", \"base\": {\"task\": \"acrobot-v1\"}, \(body)}".write(to: file, atomically: true, encoding: .utf8)
            let e = #expect(throws: CLIError.self) { try ExperimentPreset.load(file) }
            #expect(e?.description.contains(expected) == true, "\(body): \(e?.description ?? "no error")")
        }
    }

    @Test func linkDropHasAnAcrobotAndAHopperPanel() throws {
        let preset = try ExperimentPreset.named("diffdac-link-drop")
        #expect(preset.figure == "mean-band")
        var byPanel: [String: [Double]] = [:]
        for (arm, json) in preset.arms {
            var config = try RunConfig.decode(preset.base, context: "base")
            config = try RunConfig.decode(json, context: arm, base: config)
            let panel = try #require(preset.panels[arm])
            #expect(config.task == (panel == "Hopper" ? "hopper-v1" : "acrobot-v1"))
            #expect(config.agents == 14 && config.topology == .ring && config.strategy == "diffusion-atc" && config.architecture == .decentralised)
            #expect(config.algorithmSettings["learning_rate"]?.doubleValue == 0.0007 && config.algorithmSettings["steps_per_update"]?.doubleValue == 60)
            // Each row is labelled with the p it runs.
            #expect(arm == "\(panel), p = \(config.linkDrop == 0 ? "0" : String(config.linkDrop))")
            byPanel[panel, default: []].append(config.linkDrop)
        }
        #expect(byPanel == ["Acrobot": [0, 0.2, 0.5, 0.8], "Hopper": [0, 0.2, 0.5, 0.8]])
    }

    /// A command-line `--link-drop` would run every arm at that p while the rows keep the arms'
    /// own labels, so the preset refuses it, in one sentence, before it writes anything.
    @Test func aCommandLineLinkDropIsRefusedInOneSentence() throws {
        let preset = try ExperimentPreset.named("diffdac-link-drop")
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("never").path
        let e = #expect(throws: CLIError.self) {
            try preset.run(registry: try cliRegistry(), out: out, force: false, overrides: .object([("link_drop", .real(0.5))]), seeds: nil, progress: nil)
        }
        let message = try #require(e?.description)
        #expect(message == "preset diffdac-link-drop varies 'link_drop' across its arms (arm 'Acrobot, p = 0' sets it), so it cannot be set for the whole preset on the command line; copy the preset file and edit its arms instead")
        #expect(!message.dropLast().contains(". "), "one sentence: \(message)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
