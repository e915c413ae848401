import Envs
import Foundation
import NeuralNets

/// A training run on disk: `config.json` (fully resolved), `metrics.jsonl` and `metrics.csv`
/// (one line per logged round), `checkpoints/round-NNNNNN.safetensors`, and `summary.json`.
public struct RunDirectory {
    public let url: URL

    /// The columns of `metrics.csv` (every scalar of a metrics line).
    public static let csvColumns = ["round", "env_steps", "wall_seconds", "train/episode_return", "train/episodes", "comm/messages",
                                    "comm/scalars", "comm/bytes", "comm/missing", "params/relative_deviation",
                                    "params/consensus_distance", "perf/env_steps_per_second"]

    init(url: URL) { self.url = url }

    /// A new run directory. An existing non-empty directory is an error unless `force`, which
    /// removes it first; nothing is overwritten silently.
    public static func create(at path: String, force: Bool) throws -> RunDirectory {
        let url = URL(fileURLWithPath: path)
        let fm = FileManager.default
        if let contents = try? fm.contentsOfDirectory(atPath: path), !contents.isEmpty {
            guard force else {
                throw TrainingError("the run directory \(path) already exists and is not empty; pass --force to overwrite it or --resume to continue it")
            }
            try fm.removeItem(at: url)
        }
        do {
            try fm.createDirectory(at: url.appendingPathComponent("checkpoints"), withIntermediateDirectories: true)
        } catch {
            throw TrainingError("cannot create the run directory \(path): \(error.localizedDescription)")
        }
        let dir = RunDirectory(url: url)
        try dir.write("metrics.jsonl", "")
        try dir.write("metrics.csv", csvColumns.joined(separator: ",") + "\n")
        return dir
    }

    /// An existing run directory (it must hold `config.json`).
    public static func open(at path: String) throws -> RunDirectory {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
            throw TrainingError("\(path) is not a run directory: it has no config.json")
        }
        return RunDirectory(url: url)
    }

    func write(_ name: String, _ text: String) throws {
        do { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) } catch {
            throw TrainingError("cannot write \(name) in \(url.path): \(error.localizedDescription)")
        }
    }

    func read(_ name: String) throws -> String {
        do { return try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8) } catch {
            throw TrainingError("cannot read \(name) in \(url.path): \(error.localizedDescription)")
        }
    }

    public func writeConfig(_ config: RunConfig) throws {
        try write("config.json", prettyJSON(try encodeJSON(config)) + "\n")
    }

    public func readConfig() throws -> RunConfig {
        let text = try read("config.json")
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw TrainingError("config.json in \(url.path) is not valid JSON: \(error)") }
        return try RunConfig.decode(json, context: "\(url.lastPathComponent)/config.json")
    }

    /// Appends one metrics line (JSON Lines, and the scalar columns to the CSV file).
    public func appendMetrics(_ line: JSONValue) throws {
        try append("metrics.jsonl", line.description + "\n")
        let cells = Self.csvColumns.map { key -> String in
            guard let v = line[key] else { return "" }
            if case .number(let d, _) = v { return formatJSONNumber(d) }
            return v.description
        }
        try append("metrics.csv", cells.joined(separator: ",") + "\n")
    }

    func append(_ name: String, _ text: String) throws {
        let file = url.appendingPathComponent(name)
        guard let handle = try? FileHandle(forWritingTo: file) else { throw TrainingError("cannot append to \(file.path)") }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
    }

    /// The metrics lines written so far.
    public func metricsLines() throws -> [JSONValue] {
        try read("metrics.jsonl").split(separator: "\n").map { line in
            do { return try JSONValue.parse(String(line)) } catch { throw TrainingError("metrics.jsonl in \(url.path) has a malformed line: \(error)") }
        }
    }

    /// Keeps only the metrics of rounds before `round` (a resumed run rewrites what follows).
    public func truncateMetrics(before round: Int) throws {
        let kept = try metricsLines().filter { ($0["round"]?.doubleValue ?? 0) < Double(round) }
        try write("metrics.jsonl", kept.map { $0.description + "\n" }.joined())
        try write("metrics.csv", Self.csvColumns.joined(separator: ",") + "\n")
        for line in kept {
            let cells = Self.csvColumns.map { key -> String in
                guard let v = line[key] else { return "" }
                if case .number(let d, _) = v { return formatJSONNumber(d) }
                return v.description
            }
            try append("metrics.csv", cells.joined(separator: ",") + "\n")
        }
    }

    /// Writes a checkpoint of the state at the start of `round`.
    public func writeCheckpoint(round: Int, tensors: [(name: String, values: [Float])], metadata: [String: String]) throws {
        let file = try SafetensorsFile(tensors: tensors.map { try SafetensorsTensor(name: $0.name, shape: [$0.values.count], values: $0.values) },
                                       metadata: metadata.merging(["round": String(round)]) { $1 })
        try file.write(to: checkpointURL(round: round).path)
    }

    func checkpointURL(round: Int) -> URL {
        let digits = String(round)
        return url.appendingPathComponent("checkpoints/round-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".safetensors")
    }

    /// The latest checkpoint, if any: its round, tensors and metadata.
    public func latestCheckpoint() throws -> (round: Int, tensors: [String: [Float]], metadata: [String: String])? {
        let folder = url.appendingPathComponent("checkpoints")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let rounds = names.compactMap { name -> Int? in
            guard name.hasPrefix("round-"), name.hasSuffix(".safetensors") else { return nil }
            return Int(name.dropFirst(6).dropLast(12))
        }
        guard let round = rounds.max() else { return nil }
        let file = try SafetensorsFile(contentsOf: checkpointURL(round: round).path)
        var tensors: [String: [Float]] = [:]
        for t in file.tensors { tensors[t.name] = t.values }
        return (round, tensors, file.metadata)
    }

    public func writeSummary(_ json: JSONValue) throws { try write("summary.json", prettyJSON(json) + "\n") }

    public func readSummary() throws -> JSONValue {
        do { return try JSONValue.parse(try read("summary.json")) } catch let e as TrainingError { throw e } catch {
            throw TrainingError("summary.json in \(url.path) is not valid JSON: \(error)")
        }
    }

    public func writeJSON(_ name: String, _ json: JSONValue) throws { try write(name, prettyJSON(json) + "\n") }
}

/// JSON text with one key per line at the top level (readable config and summary files).
public func prettyJSON(_ json: JSONValue) -> String {
    guard let pairs = json.objectPairs, !pairs.isEmpty else { return json.description }
    return "{\n" + pairs.map { "  \(quoteJSONString($0.key)): \($0.value.description)" }.joined(separator: ",\n") + "\n}"
}
