import Envs
import Foundation
import Testing

/// Inputs that used to trap, hang, abort or print raw platform errors: each now exits non-zero
/// with one sentence (or works), run through the binary as a user would.
@Suite("bad input to envs, comm and bench: one sentence, never a trap")
struct RobustInputTests {
    /// Runs `shoal` and expects a clean failure: status 1 (not a signal), one `Error:` line
    /// containing every fragment.
    func expectError(_ args: [String], _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try ShoalBinary.run(args)
        #expect(r.status == 1 || r.status == 64, "\(args): status \(r.status) \(r.stderr)", sourceLocation: sourceLocation)
        let error = r.stderr.split(separator: "\n").first { $0.hasPrefix("Error:") }.map(String.init) ?? ""
        #expect(!error.isEmpty, "\(args): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.stderr.contains("NSCocoaErrorDomain") && !r.stderr.contains("Fatal error"), "\(r.stderr)", sourceLocation: sourceLocation)
        for f in fragments { #expect(error.contains(f), "\(args): \(error)", sourceLocation: sourceLocation) }
    }

    @Test func hugeBatchSizesAreRefusedWithTheEstimateAndTheLimit() throws {
        for n in ["9223372036854775807", "4000000000"] {
            try expectError(["envs", "bench", "cart-pole-v1", "--num-envs", n, "--steps", "1"], "copies", "memory", "limit", "physical memory")
        }
        try expectError(["envs", "bench", "navigation/indoor-v1", "--num-envs", "100000000", "--steps", "1"], "memory", "limit")
        try expectError(["comm", "graph", "--topology", "complete", "--agents", "1000000"], "--agents 1000000", "memory", "limit")
        try expectError(["bench", "comm", "--agents", "100000", "--parameters", "100000000"], "memory", "limit")
        // The limit can be set: 1 MB refuses 100 000 cart-poles.
        let r = try ShoalBinary.run(["envs", "bench", "cart-pole-v1", "--num-envs", "100000", "--steps", "1"], environment: ["SHOAL_MEMORY_LIMIT_MB": "1"])
        #expect(r.status == 1 && r.stderr.contains("SHOAL_MEMORY_LIMIT_MB"), "\(r.stderr)")
    }

    @Test func negativeNumbersAfterASpaceParseAndAreRangeChecked() throws {
        try expectError(["envs", "bench", "cart-pole-v1", "--steps", "-1"], "--steps must be at least 1, got -1")
        try expectError(["envs", "bench", "cart-pole-v1", "--num-envs", "-5"], "--num-envs must be at least 1, got -5")
        try expectError(["envs", "rollout", "cart-pole-v1", "--steps", "-1"], "--steps must be at least 0, got -1")
        try expectError(["bench", "comm", "--agents", "-3"], "--agents must be at least 2, got -3")
        try expectError(["comm", "graph", "--topology", "random", "--agents", "10", "--degree", "-2"], "degree -2")
        let r = try ShoalBinary.run(["envs", "rollout", "cart-pole-v1", "--state", "-0.01,0.02,-0.03,0.04", "--steps", "1"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func seedsAtOrAbove2To63Work() throws {
        for args in [["envs", "rollout", "pendulum-v1", "--steps", "2"], ["envs", "bench", "cart-pole-v1", "--num-envs", "8", "--steps", "2"],
                     ["comm", "graph", "--topology", "random", "--agents", "12"], ["bench", "comm", "--agents", "4", "--parameters", "8", "--repeats", "1"]] {
            for seed in ["9223372036854775808", "18446744073709551615"] {
                let r = try ShoalBinary.run(args + ["--seed", seed])
                #expect(r.status == 0, "\(args) --seed \(seed): \(r.stderr)")
            }
        }
        // Different seeds above 2^63 give different random graphs.
        let a = try ShoalBinary.run(["comm", "graph", "--topology", "random", "--agents", "12", "--json", "--seed", "9223372036854775808"])
        let b = try ShoalBinary.run(["comm", "graph", "--topology", "random", "--agents", "12", "--json", "--seed", "18446744073709551615"])
        #expect(a.stdout != b.stdout)
    }

    @Test func nonFiniteDegreesAreErrors() throws {
        for d in ["inf", "nan", "1e308", "-inf"] {
            try expectError(["comm", "graph", "--topology", "random", "--agents", "10", "--degree", d], "random connected", "degree")
            try expectError(["bench", "comm", "--topology", "random", "--agents", "10", "--degree", d], "random connected", "degree")
        }
    }

    @Test func acrobotWithHugeOrRunawayAnglesEnds() throws {
        let start = Date()
        let r = try ShoalBinary.run(["envs", "rollout", "acrobot-v1", "--state=1e20,0,0,0", "--steps", "3"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").count == 3)
        #expect(!r.stdout.contains("null"))
        let fast = try ShoalBinary.run(["envs", "rollout", "acrobot-v1", "--param", "dt=2", "--param", "max_vel_1=10000",
                                        "--param", "max_vel_2=10000", "--steps", "50"])
        #expect(fast.status == 0, "\(fast.stderr)")
        #expect(fast.stdout.split(separator: "\n").count == 50)
        #expect(!fast.stdout.contains("null"))
        #expect(Date().timeIntervalSince(start) < 60)
    }

    @Test func statesAFloatObservationCannotHoldAreErrors() throws {
        try expectError(["envs", "rollout", "cart-pole-v1", "--state=0,1e39,0,0"], "x_dot", "Float")
        try expectError(["envs", "rollout", "cart-pole/swing-up-v1", "--state=0,0,-1e39,0"], "theta", "Float")
    }

    @Test func filesAreReadAndWrittenWithOneSentence() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try expectError(["envs", "rollout", "cart-pole-v1", "--actions-file", "/dev/null"], "/dev/null", "is empty")
        try expectError(["envs", "rollout", "cart-pole-v1", "--actions-file", folder.path], "directory")
        try expectError(["envs", "rollout", "cart-pole-v1", "--actions-file", folder.appendingPathComponent("missing.json").path], "does not exist")
        try expectError(["envs", "render", "grid-world/simple-5x5-v1", "--out", folder.path], "directory")
        try expectError(["envs", "render", "grid-world/simple-5x5-v1", "--out", "/dev/full"], "the disk is full")
        try expectError(["envs", "render", "grid-world/simple-5x5-v1", "--out", folder.appendingPathComponent("no/such/x.svg").path], "folder does not exist")
        try expectError(["comm", "graph", "--topology", "ring", "--agents", "5", "--out", folder.path], "directory")
        try expectError(["comm", "graph", "--topology", "file", "--file", folder.path], "directory")
        try expectError(["mdp", "evaluate", "grid-world/sutton-barto-4x4-v1", "--discount", "0.9", "--policy", folder.path], "directory")
        try expectError(["envs", "list", "--data-dir", folder.appendingPathComponent("nope").path], "does not exist")
    }

    @Test func graphFilesAreValidatedNotNormalised() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(_ text: String) throws -> String {
            let url = folder.appendingPathComponent("g\(UUID().uuidString).json")
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        try expectError(["comm", "graph", "--topology", "file", "--file", try file(#"{"agents": 3, "edges": [[0, 0], [0, 1], [1, 2]]}"#)], "self-loop")
        try expectError(["comm", "graph", "--topology", "file", "--file", try file(#"{"agents": 3, "edges": [[0, 1], [1, 0], [1, 2]]}"#)], "twice")
        try expectError(["comm", "graph", "--topology", "file", "--file", try file(#"{"adjacency": [[0, 2], [2, 0]]}"#)], "0 or 1")
        try expectError(["comm", "graph", "--topology", "file", "--file", try file(#"{"adjacency": [[1, 1], [1, 0]]}"#)], "diagonal")
        try expectError(["comm", "graph", "--topology", "file", "--file", try file("{\"agents\": 4,\n \"edges\": [[0, 1], [1,")], "line 2", "column")
        try expectError(["comm", "graph", "--topology", "ring", "--agents", "5", "--file", try file(#"{"agents": 5, "edges": [[0, 1]]}"#)],
                        "--file", "only read with --topology file")
    }

    @Test func largeRingGraphReportsQuickly() throws {
        let start = Date()
        let r = try ShoalBinary.run(["comm", "graph", "--topology", "ring", "--agents", "2000", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONValue.parse(r.stdout)
        let expected = 1.0 / 3 + 2.0 / 3 * cos(2 * Double.pi / 2000)
        #expect(abs((json["slem"]?.doubleValue ?? 0) - expected) < 1e-7)
        #expect(json["slem_converged"] == .bool(true))
        #expect(Date().timeIntervalSince(start) < 120)
    }

    @Test func renderStepsAreChecked() throws {
        try expectError(["envs", "render", "grid-world/simple-5x5-v1", "--out", "x.svg", "--steps", "-2"], "--steps must be at least 0, got -2")
        try expectError(["envs", "render", "hopper-v1", "--out", "x.svg", "--steps", "9223372036854775807"], "--steps", "memory", "limit")
    }

    @Test func messagesAreSentences() throws {
        try expectError(["comm", "graph", "--topology", "torus", "--agents", "4"], "valid topologies are")
        try expectError(["bench", "nn", "--activation", "sigmoid"], "tanh", "relu")
    }
}
