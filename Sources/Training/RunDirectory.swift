import Envs
import Foundation
import NeuralNets

/// A training run on disk: `config.json` (fully resolved), `metrics.jsonl` and `metrics.csv`
/// (one line per logged round), `checkpoints/round-NNNNNN.safetensors`, and `summary.json`.
public struct RunDirectory {
    public let url: URL

    init(url: URL) { self.url = url }

    /// Files that mark a directory as a Shoal run (what `--force` may replace).
    static let runMarkers = ["config.json", "metrics.jsonl"]

    /// A new run directory. An existing non-empty directory is an error unless `force`, and
    /// `force` replaces only a directory that is a Shoal run (it holds `config.json` and
    /// `metrics.jsonl`); anything else is refused, so that no user file is ever deleted.
    public static func create(at path: String, force: Bool) throws -> RunDirectory {
        guard !path.isEmpty else { throw TrainingError("the run directory path is empty; name a directory with --out") }
        let url = URL(fileURLWithPath: path)
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw TrainingError("\(path) exists and is a file, not a run directory; choose another --out") }
            let contents = (try? fm.contentsOfDirectory(atPath: path)) ?? []
            if !contents.isEmpty {
                guard force else {
                    throw TrainingError("the run directory \(path) already exists and is not empty; pass --force to overwrite it or --resume to continue it")
                }
                guard runMarkers.allSatisfy({ contents.contains($0) }) else {
                    throw TrainingError("\(path) is not a Shoal run directory (it lacks \(runMarkers.joined(separator: " and "))), so --force will not delete it; choose another --out")
                }
                do { try fm.removeItem(at: url) } catch { throw TrainingError("cannot replace \(path): \(error.localizedDescription)") }
            }
        }
        do {
            try fm.createDirectory(at: url.appendingPathComponent("checkpoints"), withIntermediateDirectories: true)
        } catch {
            throw TrainingError("cannot create the run directory \(path): \(error.localizedDescription)")
        }
        let dir = RunDirectory(url: url)
        try dir.write("metrics.jsonl", "")
        try dir.write("metrics.csv", "")
        return dir
    }

    /// The directory at `path`, named without touching the disk: what the ranks other than 0 of
    /// a run across processes hold (rank 0 alone writes the run; the others read it on resume).
    public static func named(_ path: String) -> RunDirectory { RunDirectory(url: URL(fileURLWithPath: path)) }

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
        try write("config.json", prettyJSON(config.json) + "\n")
    }

    public func readConfig() throws -> RunConfig {
        let text = try read("config.json")
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw TrainingError("config.json in \(url.path) is not valid JSON: \(error)") }
        return try RunConfig.decode(json, context: "\(url.lastPathComponent)/config.json")
    }

    /// Appends one metrics line (JSON Lines, and a CSV row).
    public func appendMetrics(_ line: JSONValue) throws {
        try append("metrics.jsonl", line.description + "\n")
        try appendCSV(line)
    }

    /// Appends a line's CSV row; the header is written with the first row, from the line's
    /// agent and task counts.
    func appendCSV(_ line: JSONValue) throws {
        var csv = ""
        if (try? read("metrics.csv"))?.isEmpty ?? true {
            csv = MetricsLine.csvColumns(agents: line["train/agent_return"]?.arrayValue?.count ?? 0,
                                         tasks: line["train/task_return"]?.arrayValue?.count ?? 0).joined(separator: ",") + "\n"
        }
        try append("metrics.csv", csv + MetricsLine.csvRow(line) + "\n")
    }

    func append(_ name: String, _ text: String) throws {
        let file = url.appendingPathComponent(name)
        guard let handle = try? FileHandle(forWritingTo: file) else { throw TrainingError("cannot append to \(file.path)") }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
    }

    /// The metrics lines written so far. A torn last line (a kill during an append) is
    /// dropped with a warning; a malformed line elsewhere is an error naming its line number.
    public func metricsLines() throws -> [JSONValue] {
        let text = try read("metrics.jsonl")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [JSONValue] = []
        for (i, line) in lines.enumerated() where !line.isEmpty {
            do { out.append(try JSONValue.parse(String(line))) } catch {
                if i == lines.count - 1 && !text.hasSuffix("\n") {
                    warn("dropping the torn last line \(i + 1) of \(url.appendingPathComponent("metrics.jsonl").path)")
                    break
                }
                throw TrainingError("metrics.jsonl in \(url.path), line \(i + 1), is malformed: \(error)")
            }
        }
        return out
    }

    /// Keeps only the metric lines logged up to the checkpoint of `round` (a line's `round` counts
    /// the rounds completed); a resumed run rewrites what follows.
    public func truncateMetrics(after round: Int) throws {
        let kept = try metricsLines().filter { ($0["round"]?.doubleValue ?? 0) <= Double(round) }
        try write("metrics.jsonl", kept.map { $0.description + "\n" }.joined())
        try write("metrics.csv", "")
        for line in kept { try appendCSV(line) }
    }

    /// Writes a checkpoint of the state at the start of `round`.
    public func writeCheckpoint(round: Int, tensors: [CheckpointTensor], metadata: [String: String], name: String? = nil) throws {
        let file = try SafetensorsFile(tensors: tensors.map { try SafetensorsTensor(name: $0.name, shape: $0.shape, values: $0.values) },
                                       metadata: metadata.merging(["round": String(round)]) { $1 })
        // Written beside as `.NAME.partial` and renamed: a kill mid-write leaves only a partial
        // file, which the next start removes (``removePartialFiles()``).
        let target = name.map { url.appendingPathComponent("checkpoints/\($0).safetensors") } ?? checkpointURL(round: round)
        let partial = target.deletingLastPathComponent().appendingPathComponent("." + target.lastPathComponent + ".partial")
        do {
            try Data(file.serialized()).write(to: partial)
            if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
            try FileManager.default.moveItem(at: partial, to: target)
        } catch {
            throw TrainingError("cannot write the checkpoint \(target.path): \(error.localizedDescription)")
        }
    }

    /// Removes the partial files an interrupted checkpoint write left behind.
    public func removePartialFiles() {
        let folder = url.appendingPathComponent("checkpoints")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".partial") {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// Deletes round checkpoints beyond the `keep` newest (`best` is not a round checkpoint).
    public func pruneCheckpoints(keep: Int) {
        for round in checkpointRounds().dropFirst(keep) { try? FileManager.default.removeItem(at: checkpointURL(round: round)) }
    }

    /// A checkpoint by name (`best`, `round-000100`), or the latest valid one for `last`/nil.
    public func checkpoint(named name: String?) throws -> (round: Int, name: String, tensors: [String: [Float]], metadata: [String: String])? {
        guard let name, name != "last" else { return try latestValidCheckpoint() }
        let file = url.appendingPathComponent("checkpoints/\(name.hasSuffix(".safetensors") ? name : name + ".safetensors")")
        guard FileManager.default.fileExists(atPath: file.path) else {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: url.appendingPathComponent("checkpoints").path)) ?? [])
                .filter { $0.hasSuffix(".safetensors") }.map { String($0.dropLast(12)) }.sorted()
            throw TrainingError("\(url.path) has no checkpoint '\(name)'; it has: \((names + ["last"]).joined(separator: ", "))")
        }
        let c: SafetensorsFile
        do { c = try SafetensorsFile(contentsOf: file.path) } catch { throw TrainingError("the checkpoint \(file.path) is damaged: \(error)") }
        var tensors: [String: [Float]] = [:]
        for t in c.tensors { tensors[t.name] = t.values }
        return (Int(c.metadata["round"] ?? "0") ?? 0, file.lastPathComponent, tensors, c.metadata)
    }

    func checkpointURL(round: Int) -> URL {
        let digits = String(round)
        return url.appendingPathComponent("checkpoints/round-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".safetensors")
    }

    /// The rounds of the checkpoints on disk, newest first.
    public func checkpointRounds() -> [Int] {
        let folder = url.appendingPathComponent("checkpoints")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.compactMap { name -> Int? in
            guard name.hasPrefix("round-"), name.hasSuffix(".safetensors") else { return nil }
            return Int(name.dropFirst(6).dropLast(12))
        }.sorted(by: >)
    }

    /// The newest checkpoint that reads back whole: its round, file name, tensors and metadata.
    /// A damaged newer one (truncated, emptied, a corrupt header) is skipped with a warning
    /// naming it and the one used instead; nil when there is none.
    public func latestValidCheckpoint() throws -> (round: Int, name: String, tensors: [String: [Float]], metadata: [String: String])? {
        var skipped: [String] = []
        for round in checkpointRounds() {
            let file = checkpointURL(round: round)
            do {
                let c = try SafetensorsFile(contentsOf: file.path)
                var tensors: [String: [Float]] = [:]
                for t in c.tensors { tensors[t.name] = t.values }
                if !skipped.isEmpty {
                    warn("the checkpoint \(skipped.joined(separator: ", ")) is damaged; resuming from \(file.lastPathComponent) instead")
                }
                return (round, file.lastPathComponent, tensors, c.metadata)
            } catch {
                skipped.append(file.lastPathComponent)
            }
        }
        if !skipped.isEmpty { warn("every checkpoint (\(skipped.joined(separator: ", "))) is damaged; starting from the beginning") }
        return nil
    }

    /// The latest valid checkpoint (see ``latestValidCheckpoint()``).
    public func latestCheckpoint() throws -> (round: Int, tensors: [String: [Float]], metadata: [String: String])? {
        try latestValidCheckpoint().map { ($0.round, $0.tensors, $0.metadata) }
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

/// A warning on standard error (one line).
func warn(_ message: String) {
    FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
}
