import Envs

/// One logged line: a value per ``Metric`` (absent when undefined, e.g. no episode ended),
/// each agent's recent training return and each task's return in the interval. The JSON Lines
/// record and the CSV row are both made here, from ``Metric``'s one list of names.
public struct MetricsLine: Sendable {
    public var values: [Metric: Double]
    public var agentReturns: [JSONValue]
    public var taskReturns: [JSONValue]
    /// Each task's evaluation return, when the interval evaluated (else empty).
    public var evalTaskReturns: [JSONValue]

    public init(values: [Metric: Double], agentReturns: [JSONValue], taskReturns: [JSONValue], evalTaskReturns: [JSONValue] = []) {
        self.values = values
        self.agentReturns = agentReturns
        self.taskReturns = taskReturns
        self.evalTaskReturns = evalTaskReturns
    }

    static let integerMetrics: Set<Metric> = [.round, .envSteps, .episodes, .rejectedUpdates, .messages, .scalars, .bytes, .missing, .uploads, .broadcasts]

    /// The JSON Lines record: every metric (null when undefined), then the per-agent and
    /// per-task arrays.
    public var json: JSONValue {
        var pairs: [(key: String, value: JSONValue)] = Metric.allCases.map { m in
            guard let v = values[m], v.isFinite else { return (m.rawValue, .null) }
            return (m.rawValue, Self.integerMetrics.contains(m) ? .integer(Int(v)) : .real(v))
        }
        pairs.append(("train/agent_return", .array(agentReturns)))
        pairs.append(("train/task_return", .array(taskReturns)))
        if !evalTaskReturns.isEmpty { pairs.append(("eval/task_return", .array(evalTaskReturns))) }
        return .object(pairs)
    }

    /// The CSV columns for a run of `agents` agents and `tasks` tasks.
    public static func csvColumns(agents: Int, tasks: Int) -> [String] {
        Metric.allCases.map(\.rawValue) + (0..<agents).map { "train/agent_return/\($0)" } + (0..<tasks).map { "train/task_return/\($0)" }
    }

    /// A JSON Lines record as a CSV row (empty cells where undefined).
    public static func csvRow(_ line: JSONValue) -> String {
        func cell(_ v: JSONValue?) -> String {
            guard let v, case .number(let d, _) = v else { return "" }
            return formatJSONNumber(d)
        }
        var cells = Metric.allCases.map { cell(line[$0.rawValue]) }
        cells += (line["train/agent_return"]?.arrayValue ?? []).map(cell)
        cells += (line["train/task_return"]?.arrayValue ?? []).map(cell)
        return cells.joined(separator: ",")
    }
}
