import Envs
import Foundation
import Testing

/// `mpirun`, when it is installed.
enum MPIRun {
    static let url: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        return dirs.map { URL(fileURLWithPath: $0).appendingPathComponent("mpirun") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    static var available: Bool {
        if url == nil { print("MPI tests skipped: mpirun is not installed (Debian: apt-get install openmpi-bin libopenmpi-dev)") }
        return url != nil
    }

    /// `mpirun -np N shoal ARGS` (as root: `--allow-run-as-root`; more ranks than cores: `--oversubscribe`).
    /// `segments` gives several programs (MPMD, `A : B`), each with its own rank count and arguments.
    static func run(_ segments: [(ranks: Int, arguments: [String])], environment: [String: String] = [:]) throws -> ShoalBinary.Result {
        guard let url, let shoal = ShoalBinary.url else { throw CocoaError(.fileNoSuchFile) }
        var arguments = ["--allow-run-as-root", "--oversubscribe"]
        for (i, s) in segments.enumerated() {
            if i > 0 { arguments.append(":") }
            arguments += ["-np", String(s.ranks), shoal.path] + s.arguments
        }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ShoalBinary.Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                  stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func run(ranks: Int, _ arguments: [String], environment: [String: String] = [:]) throws -> ShoalBinary.Result {
        try run([(ranks, arguments)], environment: environment)
    }
}

/// What must be the same between two runs of one configuration: every metric line and the
/// summary without the wall-clock figures, and the last checkpoint's tensors, byte for byte.
struct RunFingerprint: Equatable {
    var metrics: [String]
    var summary: [String]
    var checkpointHeader: String
    var checkpointData: Data

    init(_ run: String) throws {
        let timing = try NSRegularExpression(pattern: "\"(wall_seconds|perf/env_steps_per_second)\":[^,]*,")
        metrics = try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8).split(separator: "\n").map { line in
            let s = String(line)
            return timing.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "")
        }
        summary = try String(contentsOfFile: run + "/summary.json", encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { !$0.contains("wall_seconds") && !$0.contains("env_steps_per_second") }
        let names = try FileManager.default.contentsOfDirectory(atPath: run + "/checkpoints").filter { $0.hasPrefix("round-") }.sorted()
        let file = try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoints/" + (names.last ?? "")))
        let n = Int(file.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        let header = try JSONValue.parse(String(decoding: file.subdata(in: 8..<(8 + n)), as: UTF8.self))
        checkpointHeader = (header.objectPairs ?? []).filter { $0.key != "__metadata__" }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
        checkpointData = file.subdata(in: (8 + n)..<file.count)
    }
}

@Suite("shoal train across MPI ranks: the same numbers as one process", .serialized, .enabled(if: MPIRun.available, "mpirun is not installed"))
struct MPITrainTests {
    /// Trains `arguments` in one process and under each rank count, and expects the same run.
    func expectSameRuns(_ arguments: [String], ranks: [Int], file: String = #fileID, line: Int = #line) throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let one = folder.appendingPathComponent("one").path
        let single = try ShoalBinary.run(["train"] + arguments + ["--out", one, "--quiet"])
        try #require(single.status == 0, "\(single.stderr)")
        let reference = try RunFingerprint(one)
        #expect(reference.metrics.count >= 2 && !reference.checkpointData.isEmpty)
        for k in ranks {
            let path = folder.appendingPathComponent("np\(k)").path
            let r = try MPIRun.run(ranks: k, ["train"] + arguments + ["--out", path, "--quiet"])
            try #require(r.status == 0, "mpirun -np \(k): \(r.stderr)")
            let got = try RunFingerprint(path)
            #expect(got.metrics == reference.metrics, "metrics under -np \(k) differ from one process")
            #expect(got.summary == reference.summary, "summary under -np \(k) differs from one process")
            #expect(got.checkpointHeader == reference.checkpointHeader && got.checkpointData == reference.checkpointData,
                    "final parameters under -np \(k) differ from one process")
            // The summary is printed once, by rank 0.
            #expect(r.stdout.components(separatedBy: "\"mean_train_return\"").count == 2, "\(r.stdout)")
        }
    }

    static let small = ["--task", "cart-pole-v1", "--agents", "5", "--rounds", "6", "--log-every", "3", "--eval-episodes", "1",
                        "--checkpoint-every", "3", "--threads", "1"]

    @Test func diffusionOverARandomGraphWithDropsAndNoise() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("noise.json")
        try Data(#"{"link_noise": 0.01}"#.utf8).write(to: config)
        try expectSameRuns(["--config", config.path] + Self.small + ["--topology", "random", "--degree", "3", "--link-drop", "0.2", "--set", "a2c.hidden=[16]"],
                           ranks: [2, 3])
    }

    @Test func consensus() throws {
        try expectSameRuns(Self.small + ["--strategy", "consensus", "--link-drop", "0.1", "--set", "a2c.hidden=[16]"], ranks: [2, 3])
    }

    @Test func lazyAggregation() throws {
        try expectSameRuns(Self.small + ["--algorithm", "reinforce", "--strategy", "lazy-aggregation", "--link-drop", "0.1",
                                        "--set", "reinforce.hidden=[16]", "--set", "reinforce.trajectories_per_update=2"], ranks: [2, 3])
    }

    @Test func evolutionStrategies() throws {
        try expectSameRuns(Self.small + ["--algorithm", "es", "--link-drop", "0.1"], ranks: [2, 3])
    }

    @Test func resumesAcrossRanksAndEvaluatesInOneProcess() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let args = ["--task", "cart-pole-v1", "--agents", "4", "--log-every", "2", "--eval-episodes", "1", "--checkpoint-every", "2", "--link-drop", "0.1",
                    "--set", "a2c.hidden=[16]"]
        let full = folder.appendingPathComponent("full").path, cut = folder.appendingPathComponent("cut").path
        try #require(try ShoalBinary.run(["train"] + args + ["--rounds", "8", "--out", full, "--quiet"]).status == 0)
        let first = try MPIRun.run(ranks: 2, ["train"] + args + ["--rounds", "4", "--out", cut, "--quiet"])
        try #require(first.status == 0, "\(first.stderr)")
        let resumed = try MPIRun.run(ranks: 2, ["train", "--resume", cut, "--rounds", "8", "--quiet"])
        try #require(resumed.status == 0, "\(resumed.stderr)")
        #expect(try RunFingerprint(cut) == RunFingerprint(full), "a -np 2 run resumed under -np 2 differs from an uninterrupted run")
        let eval = try ShoalBinary.run(["eval", cut, "--episodes", "2"])
        #expect(eval.status == 0 && eval.stdout.contains("cart-pole-v1"), "\(eval.stderr)")
    }

    /// One sentence from rank 0 (not one per rank), a non-zero exit, and no run directory left behind.
    func expectRefused(_ r: ShoalBinary.Result, _ phrase: String, directory: String? = nil) {
        #expect(r.status != 0)
        #expect(r.stderr.components(separatedBy: phrase).count == 2, "expected '\(phrase)' once in: \(r.stderr)")
        if let directory { #expect(!FileManager.default.fileExists(atPath: directory), "\(directory) was created") }
    }

    @Test func refusesBadInputOnEveryRank() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("run").path
        let base = ["train", "--task", "cart-pole-v1", "--rounds", "2", "--out", out, "--quiet"]
        expectRefused(try MPIRun.run(ranks: 3, base + ["--agents", "2"]), "the run has 2 agents but was started on 3 ranks", directory: out)
        // Each rank builds its graph from its own arguments: a different degree, a different random graph.
        let graphs = try MPIRun.run([(1, base + ["--agents", "4", "--topology", "random", "--degree", "2"]),
                                     (1, base + ["--agents", "4", "--topology", "random", "--degree", "3"])])
        expectRefused(graphs, "the graph differs between ranks", directory: out)
        let configs = try MPIRun.run([(1, base + ["--agents", "4", "--seed", "1", "--strategy", "central"]),
                                      (1, base + ["--agents", "4", "--seed", "2", "--strategy", "central"])])
        expectRefused(configs, "the run configuration differs between ranks", directory: out)
        expectRefused(try MPIRun.run(ranks: 2, base + ["--agents", "4", "--transport", "memory"]), "--transport memory keeps every agent in one process",
                      directory: out)
        expectRefused(try MPIRun.run(ranks: 2, ["train", "--task", "grid-world/simple-5x5-v1", "--algorithm", "dql", "--agents", "4", "--out", out, "--quiet"]),
                      "algorithm dql runs in one process", directory: out)
    }

    @Test func asksForMPIWithoutMPIRun() throws {
        let r = try ShoalBinary.run(["train", "--task", "cart-pole-v1", "--agents", "2", "--rounds", "1", "--transport", "mpi", "--out", "/nonexistent/x"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--transport mpi needs the command started by mpirun"), "\(r.stderr)")
    }

    @Test func aRankThatStopsAnsweringEndsTheJob() throws {
        // Rank 1 stops (SIGSTOP) mid-run: rank 0 waits in a collective, its watchdog ends it after
        // SHOAL_MPI_TIMEOUT seconds, and mpirun then ends the job. No hang.
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let url = MPIRun.url, let shoal = ShoalBinary.url else { return }
        let process = Process()
        process.executableURL = url
        process.arguments = ["--allow-run-as-root", "--oversubscribe", "-np", "2", shoal.path, "train", "--task", "cart-pole-v1", "--agents", "2",
                             "--rounds", "1000000", "--checkpoint-every", "1000000", "--out", folder.appendingPathComponent("run").path, "--quiet"]
        process.environment = ProcessInfo.processInfo.environment.merging(["SHOAL_MPI_TIMEOUT": "2"]) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let start = Date()
        var rank1: Int32?
        while rank1 == nil && -start.timeIntervalSinceNow < 20 {
            Thread.sleep(forTimeInterval: 0.2)
            rank1 = childRank(of: process.processIdentifier, rank: 1)
        }
        try #require(rank1 != nil, "rank 1 never started")
        Thread.sleep(forTimeInterval: 1)
        kill(rank1!, SIGSTOP)
        let stopped = Date()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: stderr, as: UTF8.self)
        #expect(process.terminationStatus != 0)
        #expect(-stopped.timeIntervalSinceNow < 30, "the job took \(-stopped.timeIntervalSinceNow) s to end")
        #expect(text.contains("rank 0 waited") && text.contains("timeout 2 s"), "\(text)")
    }

    @Test func aRankThatDiesEndsTheJobAndTheLastCheckpointResumes() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let url = MPIRun.url, let shoal = ShoalBinary.url else { return }
        let run = folder.appendingPathComponent("run").path
        let process = Process()
        process.executableURL = url
        process.arguments = ["--allow-run-as-root", "--oversubscribe", "-np", "2", shoal.path, "train", "--task", "cart-pole-v1", "--agents", "2",
                             "--rounds", "1000000", "--checkpoint-every", "5", "--set", "a2c.hidden=[8]", "--out", run, "--quiet"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let start = Date()
        var rank1: Int32?
        // Wait for rank 1 and for a complete checkpoint.
        while -start.timeIntervalSinceNow < 30 {
            Thread.sleep(forTimeInterval: 0.2)
            rank1 = rank1 ?? childRank(of: process.processIdentifier, rank: 1)
            let checkpoints = (try? FileManager.default.contentsOfDirectory(atPath: run + "/checkpoints")) ?? []
            if rank1 != nil && checkpoints.contains(where: { $0.hasPrefix("round-") && $0.hasSuffix(".safetensors") }) { break }
        }
        try #require(rank1 != nil, "rank 1 never started")
        kill(rank1!, SIGKILL)
        let killed = Date()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(-killed.timeIntervalSinceNow < 20, "the job took \(-killed.timeIntervalSinceNow) s to end")
        #expect(String(decoding: stderr, as: UTF8.self).contains("exited on signal 9"))
        let rounds = try FileManager.default.contentsOfDirectory(atPath: run + "/checkpoints").compactMap { name -> Int? in
            guard name.hasPrefix("round-"), name.hasSuffix(".safetensors") else { return nil }
            return Int(name.dropFirst(6).prefix(6))
        }
        let last = try #require(rounds.max())
        let resumed = try MPIRun.run(ranks: 2, ["train", "--resume", run, "--rounds", String(last + 2), "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("\"rounds\": \(last + 2)") || resumed.stdout.contains("\"rounds\":\(last + 2)"), "\(resumed.stdout)")
    }

    /// The process id of `rank` among the children of `parent` (mpirun starts the ranks as its children).
    func childRank(of parent: Int32, rank: Int) -> Int32? {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(name),
                  let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[1]) == parent,
                  let environ = FileManager.default.contents(atPath: "/proc/\(name)/environ") else { continue }
            let vars = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if vars.contains("OMPI_COMM_WORLD_RANK=\(rank)") { return pid }
        }
        return nil
    }
}
