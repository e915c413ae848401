import Envs
import Foundation
import Testing

@Suite("shoal train, eval and comm, run as a program")
struct TrainCommandTests {
    @Test func trainWritesARunAndEvalReadsIt() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = folder.appendingPathComponent("run").path
        let train = try ShoalBinary.run(["train", "--task", "testing/identity-v1", "--agents", "3", "--topology", "ring", "--rounds", "6",
                                         "--eval-episodes", "2", "--set", "a2c.hidden=[8]", "--out", run, "--quiet"])
        #expect(train.status == 0, "\(train.stderr)")
        let summary = try JSONValue.parse(train.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        for key in ["mean_train_return", "mean_eval_return", "relative_deviation", "messages", "bytes", "env_steps", "env_steps_per_second", "wall_seconds"] {
            #expect(summary[key] != nil, "summary lacks \(key)")
        }
        for file in ["config.json", "metrics.jsonl", "metrics.csv", "summary.json", "checkpoints/round-000006.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: run + "/" + file), "\(file) is missing")
        }
        // The resolved config repeats the run.
        let again = try ShoalBinary.run(["train", "--config", run + "/config.json", "--out", folder.appendingPathComponent("again").path, "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        func table(_ path: String) throws -> [[String]] {
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let keep = lines[0].indices.filter { !["wall_seconds", "perf/env_steps_per_second"].contains(lines[0][$0]) }
            return lines.map { row in keep.map { row[$0] } }
        }
        let a = try table(run + "/metrics.csv"), b = try table(folder.appendingPathComponent("again").path + "/metrics.csv")
        #expect(a.count == 2 && a[0].contains("loss/policy") && a[0].contains("train/agent_return/2"))
        #expect(a == b)

        // An existing run is not overwritten without --force.
        let clash = try ShoalBinary.run(["train", "--task", "testing/identity-v1", "--rounds", "1", "--out", run])
        #expect(clash.status != 0 && clash.stderr.contains("already exists and is not empty; pass --force"))
        let resumed = try ShoalBinary.run(["train", "--resume", run, "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
    }

    @Test("--force never deletes what is not a Shoal run; an empty --out is refused")
    func forceOnlyReplacesRuns() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mine = folder.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try "keep me".write(to: mine.appendingPathComponent("thesis.tex"), atomically: true, encoding: .utf8)
        let r = try ShoalBinary.run(["train", "--task", "testing/identity-v1", "--rounds", "1", "--out", mine.path, "--force", "--quiet"])
        #expect(r.status != 0 && r.stderr.contains("is not a Shoal run directory"), "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: mine.appendingPathComponent("thesis.tex").path))
        let empty = try ShoalBinary.run(["train", "--task", "testing/identity-v1", "--rounds", "1", "--out", ""])
        #expect(empty.status != 0 && empty.stderr.contains("--out is empty"), "\(empty.stderr)")
        // A run resumed with a flag it cannot honour is refused; --rounds extends it.
        let run = folder.appendingPathComponent("run").path
        _ = try ShoalBinary.run(["train", "--task", "testing/identity-v1", "--rounds", "2", "--eval-episodes", "0", "--out", run, "--quiet"])
        let bad = try ShoalBinary.run(["train", "--resume", run, "--seed", "3"])
        #expect(bad.status != 0 && bad.stderr.contains("'seed' cannot change in a run in progress"), "\(bad.stderr)")
        let more = try ShoalBinary.run(["train", "--resume", run, "--rounds", "4", "--quiet"])
        #expect(more.status == 0, "\(more.stderr)")
        #expect(try JSONValue.parse(more.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["rounds"] == .integer(4))
    }

    @Test func badTrainingInputGetsOneSentence() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let badKey = folder.appendingPathComponent("bad-key.json")
        try #"{"task": "acrobot-v1", "roundz": 3}"#.write(to: badKey, atomically: true, encoding: .utf8)
        let badType = folder.appendingPathComponent("bad-type.json")
        try #"{"task": "acrobot-v1", "rounds": "three"}"#.write(to: badType, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["train", "--config", badKey.path], "unknown key 'roundz'; did you mean 'rounds'?"),
            (["train", "--config", badType.path], "'rounds' must be an integer, got \"three\""),
            (["train", "--task-set", "acrobot-extrem-25"], "unknown task set 'acrobot-extrem-25'; did you mean acrobot-extreme-25?"),
            (["train", "--task", "acrobot-v1", "--architecture", "centralised", "--strategy", "consensus"], "does not communicate"),
            (["train", "--task", "acrobot-v1", "--algorithm", "siac", "--strategy", "central"], "algorithm siac cannot drive strategy 'central'; it supports: none, diffusion-atc"),
            (["train", "--task", "acrobot-v1", "--algorithm", "ppo", "--set", "siac.hidden=[8]"], "settings for siac do not apply to a run of algorithm ppo"),
            (["train", "--task", "acrobot-v1", "--algorithm", "ppp"], "unknown algorithm 'ppp'; did you mean 'ppo'?"),
            (["train", "--task", "acrobot-v1", "--architecture", "centralized"], "unknown architecture 'centralized'; did you mean 'centralised'?"),
            (["train", "--task", "acrobot-v1", "--topology", "rnig"], "unknown topology 'rnig'; did you mean 'ring'?"),
            (["train", "--task", "acrobot-v1", "--set", "lazy-aggregation.xi=[0.1]"], "settings for strategy lazy-aggregation do not apply to a run of strategy none"),
            (["train", "--task", "acrobot-v1", "--target-return", "-100", "--rounds", "-1"], "rounds must be at least 1, got -1"),
            (["train", "--task", "acrobot-v1", "--agents", "100000000000"], "of memory, more than the limit"),
            (["train", "--preset", "diffdac-link-drop", "--link-drop", "0.5"], "varies 'link_drop' across its arms"),
            (["train", "--task", "acrobot-v1", "--link-drop", "nan"], "'link_drop' must be a finite number"),
            (["eval", "--checkpoint", "best", "/nonexistent-run"], "is not a run directory"),
            (["train", "--task", "acrobot-v1", "--algorithm", "ppo", "--set", "ppo.hidden=[10000000,10000000]"], "of memory, more than the limit"),
            (["train", "--task", "acrobot-v1", "--seed", "18446744073709551615", "--rounds", "0"], "rounds must be at least 1, got 0"),
            (["train", "--task", "acrobot-v1", "--link-drop", "2"], "link_drop must lie in [0, 1], got 2"),
            (["train", "--task", "acrobot-v1", "--set", "a2c.learning_rat=0.1"], "unknown key 'learning_rat'; did you mean 'learning_rate'?"),
            (["train", "--preset", "diffdac-acrobt"], "unknown preset 'diffdac-acrobt'; did you mean diffdac-acrobot?"),
            (["eval", folder.path], "is not a run directory: it has no config.json"),
            (["train", "--resume", folder.path], "is not a run directory"),
            (["comm", "graph", "--topology", "regular", "--agents", "5", "--degree", "3"], "must be even"),
            (["comm", "graph", "--topology", "ring", "--agents", "5", "--probability", "1.5"], "must lie in [0, 1]"),
        ]
        for (args, expected) in cases {
            let out = args.first == "train" && !args.contains("--resume") ? ["--out", folder.appendingPathComponent("never").path] : []
            let result = try ShoalBinary.run(args + out)
            #expect(result.status != 0, "\(args) exited 0")
            #expect(result.stderr.contains(expected), "\(args): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"), "\(args) trapped")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("never").path), "a rejected run left a directory")
    }

    @Test func commGraphJSON() throws {
        let result = try ShoalBinary.run(["comm", "graph", "--topology", "ring", "--agents", "4", "--json"])
        #expect(result.status == 0)
        let json = try JSONValue.parse(result.stdout)
        #expect(json["agents"] == .integer(4) && json["edges"] == .integer(4) && json["connected"] == .bool(true))
        #expect(abs((json["slem"]?.doubleValue ?? 0) - 1.0 / 3.0) < 1e-9)
        #expect(json["weights"]?.arrayValue?.count == 4)
    }
}
