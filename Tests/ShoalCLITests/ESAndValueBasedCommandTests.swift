import Envs
import Foundation
import Testing

@Suite("shoal train with ES and the value-based algorithms, run as a program")
struct ESAndValueBasedCommandTests {
    @Test func esTrainsOnCartPoleAndRepeatsFromItsConfig() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = folder.appendingPathComponent("es").path
        let r = try ShoalBinary.run(["train", "--task", "cart-pole-v1", "--algorithm", "espc", "--agents", "8", "--rounds", "4",
                                     "--set", "espc.expected_senders=4", "--set", "espc.hidden=[4]", "--eval-episodes", "1", "--out", run, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try JSONValue.parse(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(summary["strategy"] == .string("espc"))
        let config = try JSONValue.parse(try String(contentsOfFile: run + "/config.json", encoding: .utf8))
        #expect(config["espc"]?["expected_senders"] == .integer(4))
        #expect(config["espc"]?["hidden"] == .array([.integer(4)]))
        let again = folder.appendingPathComponent("again").path
        let r2 = try ShoalBinary.run(["train", "--config", run + "/config.json", "--out", again, "--quiet"])
        #expect(r2.status == 0, "\(r2.stderr)")
        func table(_ path: String) throws -> [[String]] {
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let keep = lines[0].indices.filter { !["wall_seconds", "perf/env_steps_per_second"].contains(lines[0][$0]) }
            return lines.map { row in keep.map { row[$0] } }
        }
        let a = try table(run + "/metrics.csv")
        #expect(a[0].contains("comm/message_frequency") && a[0].contains("train/discounted_return"))
        #expect(a == (try table(again + "/metrics.csv")))
        // An ES run with a strategy it cannot drive is one sentence.
        let bad = try ShoalBinary.run(["train", "--task", "cart-pole-v1", "--algorithm", "es", "--agents", "4", "--strategy", "consensus",
                                       "--out", folder.appendingPathComponent("bad").path])
        #expect(bad.status != 0 && bad.stderr.contains("algorithm es cannot drive strategy 'consensus'; it supports: es, espc"), "\(bad.stderr)")
    }

    @Test func dqlLearnsSimpleGridFromTheCommandLine() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = folder.appendingPathComponent("dql").path
        let r = try ShoalBinary.run(["train", "--task", "grid-world/simple-5x5-v1", "--algorithm", "dql", "--agents", "5", "--rounds", "150",
                                     "--eval-episodes", "1", "--out", run, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try JSONValue.parse(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(summary["mean_eval_return"]?.doubleValue == -7)
        #expect(summary["strategy"] == .string("central"))
        let eval = try ShoalBinary.run(["eval", run])
        #expect(eval.status == 0, "\(eval.stderr)")
        let bad = try ShoalBinary.run(["train", "--task", "grid-world/simple-5x5-v1", "--algorithm", "dql", "--agents", "5",
                                       "--set", "dql.exploration=2", "--out", folder.appendingPathComponent("bad").path])
        #expect(bad.status != 0 && bad.stderr.contains("exploration ε must lie in [0, 1], got 2.0"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("bad").path))
    }
}
