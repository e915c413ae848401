import Envs
import Foundation
import Testing
import Training
@testable import ShoalCLI

/// The Diff-DAC acrobot comparison (paper 000, §VI-C): budgets per arm, Table I's metric,
/// Tables II–III's protocol.
@Suite("diffdac presets: budgets per copy, Table I, Tables II–III")
struct DiffDACPresetTests {
    @Test func eachSpecialisedAgentGetsTheCentralisedAgentsResources() throws {
        let preset = try ExperimentPreset.named("diffdac-acrobot")
        let budget = try #require(preset.budget)
        let registry = try cliRegistry()
        var totals: [String: (copies: Int, steps: Int)] = [:]
        for (arm, json) in preset.arms {
            var config = try RunConfig.decode(preset.base, context: "base")
            config = try RunConfig.decode(json, context: arm, base: config)
            let (c, copies) = try budget.applied(to: config, registry: registry)
            totals[arm] = (copies, c.maxEnvironmentSteps)
        }
        let s = budget.stepsPerCopy
        #expect(totals["Diff-A2C (ring)"]! == (25, 25 * s))
        #expect(totals["Centralised A2C"]! == (25, 25 * s))
        // 25 specialised agents, each with 25 copies of its task: the centralised agent's budget each.
        #expect(totals["Specialised A2C"]! == (625, 625 * s))
    }

    @Test func aBudgetPresetRefusesATotalCap() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("both.json")
        try #"{"name": "both", "budget": {"environment_steps_per_copy": 10}, "base": {"task": "acrobot-v1", "max_environment_steps": 5}, "arms": [{"name": "a", "config": {}}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let e = #expect(throws: CLIError.self) { try ExperimentPreset.load(file) }
        #expect(e?.description.contains("'budget' sets every arm's max_environment_steps from its environment copies, so base must not set max_environment_steps") == true)
        let r = try ShoalBinary.run(["train", "--preset", "diffdac-acrobot-demo", "--max-environment-steps", "100", "--out", folder.appendingPathComponent("never").path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("counts each arm's budget per environment copy"), "\(r.stderr)")
    }

    @Test func tableThreeFollowsFromTableTwoAsThePaperComputesIt() {
        // Paper 000, Table II (hard acrobot) and Table III: Diff-A2C −122.6 (−142.9, −102.3) and
        // Centralised A2C −141.8 (−166.2, −117.3) against the specialised agents' −163.8 give
        // 25.1 % (12.8 %, 37.5 %) and 13.4 % (−1.5 %, 28.4 %).
        let diff = relativeInterval((-122.6, -142.9, -102.3), baseline: -163.8)
        #expect(abs(100 * diff.mean - 25.1) < 0.06 && abs(100 * diff.lower - 12.8) < 0.06 && abs(100 * diff.upper - 37.5) < 0.06)
        let central = relativeInterval((-141.8, -166.2, -117.3), baseline: -163.8)
        #expect(abs(100 * central.mean - 13.4) < 0.06 && abs(100 * central.lower + 1.5) < 0.06 && abs(100 * central.upper - 28.4) < 0.06)
        // Training environment: −109.4 (−128.0, −90.9) vs −82.1 → −33.2 % (−55.9 %, −10.6 %).
        let train = relativeInterval((-109.4, -128.0, -90.9), baseline: -82.1)
        #expect(abs(100 * train.mean + 33.2) < 0.1 && abs(100 * train.lower + 55.9) < 0.1 && abs(100 * train.upper + 10.6) < 0.15)
        #expect(relativeChange(1, baseline: 0).isNaN)
    }

    @Test func tablesTwoAndThreeAverageOverSeedsWithStudentIntervals() throws {
        let p = ZeroShotProtocol(episodes: 10, baseline: "S", subject: "D")
        func run(_ arm: String, _ seed: UInt64, _ t: Double, _ easy: Double) -> ZeroShotProtocol.RunResult {
            .init(arm: arm, seed: seed, task: 0, agent: 0, returns: [("training", t), ("easy", easy)], ownTaskGain: nil)
        }
        let results = [run("D", 0, -100, -50), run("D", 1, -120, -70), run("S", 0, -80, -90), run("S", 1, -80, -110)]
        let (text, json) = p.report(results, arms: ["D", "S"])
        // D training: mean −110, s = 14.142, half-width 12.706 · 14.142 / √2 = 127.06.
        let table2 = json["table_ii"]?["D"]?["training"]?.arrayValue?.compactMap { $0.doubleValue }
        let cells = try #require(table2)
        #expect(abs(cells[0] + 110) < 1e-9 && abs(cells[1] + 237.06) < 1e-9 && abs(cells[2] - 17.06) < 1e-9)
        // Table III, easy: (−60 − (−100)) / 100 = 40 %.
        let table3 = json["table_iii"]?["D"]?["easy"]?.arrayValue?.compactMap { $0.doubleValue }
        let easy = try #require(table3)
        #expect(abs(easy[0] - 0.4) < 1e-12)
        #expect(text.contains("-110.0 (-237.1, 17.1)"))
        #expect(text.contains("40.0 %"))
    }

    @Test func theEvaluatedTaskIsSeededAndSharedByTheArms() {
        let picks = (0..<40).map { ZeroShotProtocol.task(seed: UInt64($0), tasks: 25) }
        #expect(picks == (0..<40).map { ZeroShotProtocol.task(seed: UInt64($0), tasks: 25) })
        #expect(Set(picks).count > 10)
        #expect(picks.allSatisfy { (0..<25).contains($0) })
    }

    @Test func theTablePrintsTableOnesDeviationAndTheWeightedOneLabelled() {
        let preset = ExperimentPreset(name: "t", summary: "", source: "", base: .object([]), arms: [], seeds: [0])
        let summary = JSONValue.object([("agents", .integer(25)), ("policy_relative_deviation", .real(0.0356)),
                                        ("policy_relative_deviation_weighted", .real(0.012)), ("relative_deviation", .real(0.5))])
        let single = JSONValue.object([("agents", .integer(1)), ("policy_relative_deviation", .real(0)), ("policy_relative_deviation_weighted", .real(0))])
        let table = preset.comparisonTable([("Diff", summary), ("Central", single)])
        let lines = table.text.split(separator: "\n").map(String.init)
        #expect(lines[0].contains("REL. DEV. (TABLE I)") && lines[0].contains("REL. DEV. (WEIGHTED)"))
        #expect(lines[1].contains("3.56 %") && lines[1].contains("1.20 %"))
        #expect(!lines[2].contains("%"))
    }
}
