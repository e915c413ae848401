import Envs
import Foundation
import Training
@testable import ShoalCLI
import Testing

@Suite("Preset communication figures")
struct PresetCommunicationFiguresTests {
    @Test("the message frequency is averaged over the whole run and over its second half")
    func wholeRunAndSecondHalf() throws {
        let preset = try ExperimentPreset.named("espc-cart-pole")
        // Rounds 10 … 40: the rate climbs to 0.7, then settles at 0.5 in the second half.
        func lines(returnScale: Double) -> [JSONValue] {
            [(10, 0.6), (20, 0.7), (30, 0.5), (40, 0.5)].map { round, f in
                .object([("round", .integer(round)), ("comm/message_frequency", .real(f)), ("comm/message_size", .real(1)),
                         ("train/episode_return", .real(returnScale * Double(round / 10))), ("train/discounted_return", .real(Double(round)))])
            }
        }
        let summary = preset.withCommunicationFigures(.object([]), lines: lines(returnScale: 1))
        let whole = try #require(summary["message_frequency"]?.doubleValue)
        let later = try #require(summary["message_frequency_second_half"]?.doubleValue)
        #expect(abs(whole - 0.575) < 1e-12)
        #expect(abs(later - 0.5) < 1e-12)
        #expect(summary["final_discounted_return"]?.doubleValue == 40)
        // Each line covers the 10 rounds since the last: 10 · (1 + 2 + 3 + 4).
        #expect(summary["cumulative_return"]?.doubleValue == 100)

        // Two seeds, cumulative returns 100 and 200: mean 150, t(0.975, 1) · 70.71 / √2 = 12.706 · 50 = 635.3.
        let other = preset.withCommunicationFigures(.object([]), lines: lines(returnScale: 2))
        let table = preset.comparisonTable([("ESPC", summary), ("ESPC", other)])
        #expect(table.text.contains("2ND HALF") && table.text.contains("CUM. RETURN"))
        #expect(table.text.contains("0.575") && table.text.contains("0.500"))
        #expect(table.text.contains("150.0 ± 635.3"), "\(table.text)")
    }

    @Test("the report figure has a pair of panels per task when the arms run on several")
    func reportPanelsPerTask() throws {
        let preset = try ExperimentPreset.named("gunn-grids")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-report-panels-\(UInt64.random(in: 0 ... .max))")
        defer { try? FileManager.default.removeItem(at: root) }
        let arms = [("Simple DQL", "grid-world/simple-5x5-v1"), ("Simple ES", "grid-world/simple-5x5-v1"), ("Lake DQL", "frozen-lake/5x5-v1")]
        var plans: [(arm: String, slug: String, seed: UInt64)] = []
        for (arm, task) in arms {
            let slug = preset.slug(arm)
            let dir = try RunDirectory.create(at: root.appendingPathComponent(slug).appendingPathComponent("seed-0").path, force: false)
            var config = RunConfig()
            config.task = task
            try dir.writeConfig(config)
            for round in [10, 20] {
                try dir.appendMetrics(.object([("round", .integer(round)), ("env_steps", .integer(100 * round)), ("train/episode_return", .real(-5)),
                                               ("train/discounted_return", .real(-4)), ("comm/message_frequency", .real(1))]))
            }
            plans.append((arm, slug, 0))
        }
        try preset.writeCurves(root: root, plans: plans)
        let svg = try String(contentsOf: root.appendingPathComponent("figure-report.svg"), encoding: .utf8)
        for panel in ["grid-world/simple-5x5-v1: mean discounted return", "grid-world/simple-5x5-v1: message frequency",
                      "frozen-lake/5x5-v1: mean discounted return", "frozen-lake/5x5-v1: message frequency"] {
            #expect(svg.contains(panel), "\(panel)")
        }
        // Each arm's 10–90 % band under its line: 3 arms × (return, frequency).
        #expect(svg.components(separatedBy: "<polygon").count - 1 == 6)
    }
}
