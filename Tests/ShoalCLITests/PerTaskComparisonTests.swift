import Foundation
import Testing
@testable import ShoalCLI

/// Paper 000's "specialised agents are best on their own tasks", counted task by task.
@Suite("per-task comparison of fairly budgeted arms")
struct PerTaskComparisonTests {
    @Test func winsAndMediansByHand() throws {
        // Seed 0: the specialist wins tasks 0 and 2 and fails task 1 (−500); seed 1: a tie on task 0.
        let runs: [(arm: String, seed: UInt64, taskReturns: [Double])] = [
            ("diff", 0, [-90, -120, -80]), ("spec", 0, [-70, -500, -60]),
            ("diff", 1, [-80, -100, -95]), ("spec", 1, [-80, -90, -99]),
        ]
        let c = try #require(PerTaskComparison(runs))
        #expect(c.pairs == 6)
        // diff: best on seed 0 task 1 and seed 1 task 2; spec: seed 0 tasks 0, 2 and seed 1 task 1; the tie counts for nobody.
        #expect(c.rows == [.init(arm: "diff", wins: 2, median: -92.5), .init(arm: "spec", wins: 3, median: -85)])
        #expect(c.text.contains("spec  3 of 6       -85.0"))
    }

    @Test func needsTwoArmsWithMatchingTaskCounts() {
        #expect(PerTaskComparison([("a", 0, [1, 2]), ("a", 1, [1, 2])]) == nil)
        #expect(PerTaskComparison([("a", 0, [1, 2]), ("b", 0, [1, 2, 3])]) == nil)
        // A single-task run has nothing to compare task by task.
        #expect(PerTaskComparison([("a", 0, [1]), ("b", 0, [2])]) == nil)
    }

    @Test func aBudgetedPresetComparesTasksWithinEachPanel() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("panels.json")
        try #"""
        {"name": "panels", "budget": {"environment_steps_per_copy": 400}, "figure": "mean-band",
         "base": {"algorithm": "a2c", "rounds": 1000, "eval_episodes": 0, "threads": 1, "tensorboard": false, "checkpoint_every": 1000},
         "arms": [
          {"name": "a, diff", "panel": "a", "config": {"task_set": "dcpg-no-conflict", "strategy": "diffusion-atc"}},
          {"name": "a, central", "panel": "a", "config": {"task_set": "dcpg-no-conflict", "architecture": "centralised", "strategy": "none"}},
          {"name": "b, diff", "panel": "b", "config": {"task_set": "dcpg-resolvable", "strategy": "diffusion-atc"}},
          {"name": "b, central", "panel": "b", "config": {"task_set": "dcpg-resolvable", "architecture": "centralised", "strategy": "none"}}],
         "seeds": [0]}
        """#.write(to: file, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let r = try ShoalBinary.run(["train", "--preset", file.path, "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOf: out.appendingPathComponent("comparison.txt"), encoding: .utf8)
        // One comparison per panel, each over that panel's 4 tasks, never across task sets.
        #expect(text.contains("a: Per task (4 (seed, task) pairs)"), "\(text)")
        #expect(text.contains("b: Per task (4 (seed, task) pairs)"), "\(text)")
        #expect(!text.contains("(8 (seed, task) pairs)"))
    }
}
