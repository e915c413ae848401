import Envs
import Foundation

/// One run directory's `metrics.jsonl` (one JSON object per logged round), for plotting.
struct RunMetrics {
    /// The run directory as the user named it (or as found under a preset directory).
    var path: String
    var lines: [JSONValue]
    /// `task_set` or `task` of the run's `config.json`, if readable.
    var task: String?

    /// Reads `directory/metrics.jsonl`; a malformed line is one sentence naming the file and line.
    static func load(_ directory: String) throws -> RunMetrics {
        let url = URL(fileURLWithPath: directory).appendingPathComponent("metrics.jsonl")
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw CLIError("cannot read \(url.path): \(error.localizedDescription)")
        }
        var lines: [JSONValue] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do { lines.append(try JSONValue.parse(String(line))) } catch {
                throw CLIError("\(url.path) line \(n + 1) is not valid JSON: \(error)")
            }
        }
        var task: String?
        if let data = try? String(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent("config.json"), encoding: .utf8),
           let config = try? JSONValue.parse(data) {
            task = [config["task_set"]?.stringValue, config["task"]?.stringValue].compactMap { $0 }.first { !$0.isEmpty }
        }
        return RunMetrics(path: directory, lines: lines, task: task)
    }

    /// The keys that hold a number on some line, in first-seen order.
    var scalarKeys: [String] {
        var keys: [String] = [], seen = Set<String>()
        for line in lines {
            for (key, value) in line.objectPairs ?? [] where value.doubleValue != nil && !seen.contains(key) {
                seen.insert(key)
                keys.append(key)
            }
        }
        return keys
    }

    /// The keys that hold an array (per agent or per task) on some line.
    var arrayKeys: Set<String> {
        Set(lines.flatMap { ($0.objectPairs ?? []).filter { $0.value.arrayValue != nil }.map(\.key) })
    }

    /// (x, y) on every line where both keys hold numbers (a round with no finished episode logs
    /// a null return and is skipped).
    func points(x: String, y: String) -> [(x: Double, y: Double)] {
        lines.compactMap { line in
            guard let a = line[x]?.doubleValue, let b = line[y]?.doubleValue else { return nil }
            return (a, b)
        }
    }
}
