import Foundation
import Testing

@Suite("DCPG presets through the binary: analysis, figure, bad input")
struct DCPGPresetTests {
    func temporary() -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("shoal-dcpg-cli-\(UUID().uuidString)") }

    @Test func chainAnalysisPrintsThePaperBesideOursAndDrawsAFigure() throws {
        let folder = temporary()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let preset = folder.appendingPathComponent("tiny.json")
        try """
        {"name": "tiny-chain", "analysis": "dcpg-chain",
         "base": {"task_set": "two-task-chain", "algorithm": "dcpg", "weights": "lazy-metropolis", "rounds": 50, "checkpoint_every": 50,
                  "log_every": 10, "eval_episodes": 0, "threads": 1,
                  "dcpg": {"gradient": "monte-carlo", "discount": 0.9, "step_size": 0.05, "episodes_per_update": 4}},
         "arms": [{"name": "DCPG", "config": {"architecture": "decentralised", "strategy": "consensus"}},
                  {"name": "SA", "config": {"architecture": "specialised", "strategy": "none"}}]}
        """.write(to: preset, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        guard ShoalBinary.url != nil else { return }
        let r = try ShoalBinary.run(["train", "--preset", preset.path, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Paper 001 §2.2 (Fig. 1)"))
        #expect(r.stdout.contains("π(L|S3) 0.5, V1+V2 1.5126"))
        #expect(r.stdout.contains("deterministic, V2 0.9000"))
        let svg = try String(contentsOf: out.appendingPathComponent("figure.svg"), encoding: .utf8)
        #expect(svg.contains("<polyline") && svg.contains("DCPG") && svg.contains("SA"))
    }

    @Test func navigationAnalysisPrintsTable1BesideThePaper() throws {
        let folder = temporary()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let preset = folder.appendingPathComponent("tiny-nav.json")
        try """
        {"name": "tiny-navigation", "analysis": "dcpg-navigation",
         "base": {"task_set": "navigation-indoor-4-scan", "parameters": {"max_episode_steps": 20}, "algorithm": "dcpg", "weights": "lazy-metropolis",
                  "rounds": 4, "checkpoint_every": 4, "log_every": 2, "eval_episodes": 2, "threads": 1, "tensorboard": false,
                  "dcpg": {"gradient": "a2c", "lambda": 0.01, "a2c": {"hidden": [8]}}},
         "arms": [{"name": "A2C DCPG", "config": {"architecture": "decentralised", "strategy": "consensus"}},
                  {"name": "A2C SA", "config": {"architecture": "specialised", "strategy": "none"}}]}
        """.write(to: preset, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        guard ShoalBinary.url != nil else { return }
        let r = try ShoalBinary.run(["train", "--preset", preset.path, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Paper 001 §5.2 (Table 1)") && r.stdout.contains("Table 1 (a2c): MSF in metres, ours (paper)"), "\(r.stdout)")
        // The paper's cells beside ours: SA-0 in Env0 (21.8), DCPG's sum (380.7).
        #expect(r.stdout.contains("(21.8)") && r.stdout.contains("(380.7)"))
        #expect(r.stdout.contains("a2c: each SA-i best among the SAs on its own world:") && r.stdout.contains("a2c: DCPG's summed MSF"))
        let svg = try String(contentsOf: out.appendingPathComponent("figure.svg"), encoding: .utf8)
        #expect(svg.contains("train/safe_flight") && svg.contains("A2C DCPG"))
    }

    @Test func badInputBeforeAnythingRuns() throws {
        let folder = temporary()
        guard ShoalBinary.url != nil else { return }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let apart = folder.appendingPathComponent("apart.json")
        try #"{"algorithm": "dcpg", "task_set": "dcpg-no-conflict", "topology": "erdos-renyi", "edge_probability": 0}"#
            .write(to: apart, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["train", "--algorithm", "dcpg", "--task-set", "two-task-chain", "--weights", "lazy-metropolis", "--set", "dcpg.step_size=0.01"],
             "is not below the bound of paper 001 eq. (10), 3.125e-05"),
            (["train", "--algorithm", "dcpg", "--task-set", "two-task-chain", "--set", "dcpg.lambda=-1"], "lambda (λ) must be a finite number ≥ 0, got -1"),
            (["train", "--config", apart.path], "is not connected"),
            (["train", "--algorithm", "dcpg", "--task-set", "two-task-chain", "--set", "dcpg.gradient=ppo"], "dcpg's neural ppo gradient needs observation vectors for a network"),
            (["train", "--algorithm", "dcpg", "--task-set", "navigation-indoor-4-scan", "--set", "dcpg.gradient=exact"],
             "needs a finite task observed by its state index"),
        ]
        for (args, expected) in cases {
            let out = folder.appendingPathComponent("never")
            let r = try ShoalBinary.run(args + ["--out", out.path])
            #expect(r.status != 0, "\(args) exited 0")
            #expect(r.stderr.contains(expected), "\(args): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "\(args) created its run directory")
        }
    }
}
