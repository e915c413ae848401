import Envs
import Foundation
import Testing

@Suite("shoal mdp, run as a program")
struct MDPCommandTests {
    @Test func evaluateAndSolvePrintValuesAndPolicy() throws {
        let r = try ShoalBinary.run(["mdp", "evaluate", "grid-world/sutton-barto-4x4-v1", "--policy", "uniform", "--discount", "1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONValue.parse(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let values = try #require(json["values"]?.arrayValue).compactMap { $0.doubleValue }
        #expect(values.count == 16 && abs(values[3] + 22) < 1e-9 && abs(values[5] + 18) < 1e-9)
        #expect(json["policy"]?.arrayValue?.count == 16)

        // The solved policy, fed back to evaluate, gives the optimal values.
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let solved = try ShoalBinary.run(["mdp", "solve", "grid-world/two-task-chain-v1", "--variant", "task-2", "--discount", "0.9", "--json"])
        #expect(solved.status == 0, "\(solved.stderr)")
        let file = folder.appendingPathComponent("policy.json")
        try solved.stdout.write(to: file, atomically: true, encoding: .utf8)
        let again = try ShoalBinary.run(["mdp", "evaluate", "grid-world/two-task-chain-v1", "--variant", "task-2", "--policy", file.path, "--discount", "0.9", "--json"])
        let first = try JSONValue.parse(solved.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let second = try JSONValue.parse(again.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(second["values"] == first["values"])
    }

    @Test func sharedPlanningOnATaskSet() throws {
        let r = try ShoalBinary.run(["mdp", "shared", "dcpg-resolvable", "--discount", "0.9", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONValue.parse(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let sum = try #require(json["sum_of_optima"]?.doubleValue), bound = try #require(json["shared_optimum_bound"]?.doubleValue)
        #expect(abs(sum - bound) < 1e-9)
    }

    @Test func badInputGetsOneClearSentence() throws {
        let cases: [([String], String)] = [
            (["mdp", "solve", "cart-pole-v1", "--discount", "0.9"], "task cart-pole-v1 is not finite"),
            (["mdp", "solve", "frozen-lake/4x4-v1", "--discount", "1.5"], "the discount must be in [0, 1], got 1.5"),
            (["mdp", "evaluate", "frozen-lake/4x4-v1", "--policy", "/no/such/file.json", "--discount", "0.9"], "cannot read policy file"),
            (["mdp", "solve", "grid-world/windy-5x5-v1", "--param", "wind_up=1.5", "--discount", "0.9"], "wind_up must be a number in [0, 1]"),
        ]
        for (args, expected) in cases {
            let r = try ShoalBinary.run(args)
            #expect(r.status != 0)
            #expect(r.stderr.contains(expected), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
    }
}
