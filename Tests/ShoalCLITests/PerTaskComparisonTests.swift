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
}
