/// What a multi-task experiment trains on: one parameter assignment per task, all of one
/// registered task's physics, plus optional held-out tasks for zero-shot evaluation.
///
/// Task sets live in family data files (`Environments/families/*.json`) under `task_sets`:
///
/// ```json
/// "pendulum-25": {
///   "task": "pendulum-v1", "summary": "…", "source": "paper 000, appendix A.1",
///   "grid": {"mass": [0.8, 0.9, 1.0, 1.1, 1.2], "length": [0.8, 0.9, 1.0, 1.1, 1.2]}
/// }
/// ```
///
/// Exactly one of `grid` (the product of the listed values, first key outermost), `draw`
/// (`{"count": 25, "seed": 7, "parameters": {name: distribution}}`, see
/// ``ParameterDistribution``) or `list` (explicit assignments) gives the tasks; `base` is applied
/// under every task; `held_out` names extra tasks (`{"easy": {…}, "hard": {…}}`).
public struct TaskSet: Sendable {
    public var name: String
    public var task: TaskID
    public var summary: String
    public var source: String
    /// One JSON object of parameters per task (fully resolved against the task's parameters).
    public var tasks: [JSONValue]
    /// Named held-out tasks, fully resolved.
    public var heldOut: [(name: String, parameters: JSONValue)]

    public init(name: String, task: TaskID, summary: String, source: String, tasks: [JSONValue],
                heldOut: [(name: String, parameters: JSONValue)] = []) {
        self.name = name
        self.task = task
        self.summary = summary
        self.source = source
        self.tasks = tasks
        self.heldOut = heldOut
    }
}

extension TaskSet {
    /// Builds a task set from its data-file form; every assignment is resolved strictly
    /// against `task`, so an error names the file, the set and the field.
    /// Each task of a set is a resolved JSON object of its parameters (about 4 kB with its
    /// decoded copy): a grid's product of axis lengths or a draw's count is checked against
    /// ``MemoryBudget`` before any task is made.
    static func checkSize(_ tasks: Double, _ where_: String) throws(RegistryError) {
        do { try MemoryBudget.standard.check(tasks * 4096, for: "\(where_): \(formatJSONNumber(tasks)) tasks") } catch {
            throw RegistryError(error.description)
        }
    }

    public static func decode(name: String, from json: JSONValue, registry: TaskRegistry, context: String) throws(RegistryError) -> TaskSet {
        let where_ = "\(context), task set \(name)"
        guard let pairs = json.objectPairs else { throw RegistryError("\(where_): a task set is a JSON object") }
        let allowed = ["task", "summary", "source", "base", "grid", "draw", "list", "held_out"]
        for (k, _) in pairs where !allowed.contains(k) {
            var message = "\(where_): unknown key '\(k)'"
            if let g = closestName(to: k, among: allowed) { message += "; did you mean '\(g)'?" }
            throw RegistryError(message + " Valid keys: \(allowed.joined(separator: ", ")).")
        }
        guard let idText = json["task"]?.stringValue else { throw RegistryError("\(where_): 'task' (a task id such as pendulum-v1) is required") }
        let task = try registry.task(idText)
        let base = json["base"] ?? .object([])
        guard base.objectPairs != nil else { throw RegistryError("\(where_): 'base' must be an object of parameters") }

        let sources = ["grid", "draw", "list"].filter { json[$0] != nil }
        guard sources.count == 1 else {
            throw RegistryError("\(where_): give exactly one of 'grid', 'draw' or 'list' (found \(sources.isEmpty ? "none" : sources.joined(separator: ", ")))")
        }
        var assignments: [JSONValue] = []
        switch sources[0] {
        case "grid":
            guard let axes = json["grid"]?.objectPairs, !axes.isEmpty else { throw RegistryError("\(where_): 'grid' must map parameter names to lists of values") }
            var total = 1.0
            for (key, values) in axes {
                guard let list = values.arrayValue, !list.isEmpty else { throw RegistryError("\(where_): grid axis '\(key)' must be a non-empty list") }
                total *= Double(list.count)
            }
            try TaskSet.checkSize(total, where_)
            assignments = [base]
            for (key, values) in axes {
                let list = values.arrayValue!
                assignments = assignments.flatMap { a in list.map { a.setting(key, to: $0) } }
            }
        case "draw":
            let draw = json["draw"]!
            guard let count = draw["count"]?.doubleValue, count >= 1, count == count.rounded() else {
                throw RegistryError("\(where_): draw needs 'count', a positive integer")
            }
            guard let seed = draw["seed"]?.doubleValue, seed >= 0, seed == seed.rounded(), seed < 18_446_744_073_709_551_616.0 else {
                throw RegistryError("\(where_): draw needs 'seed', an integer in 0 ... 2^64 − 1")
            }
            try TaskSet.checkSize(count, where_)
            guard let laws = draw["parameters"]?.objectPairs else { throw RegistryError("\(where_): draw needs 'parameters', an object of name → distribution") }
            for (k, _) in draw.objectPairs ?? [] where !["count", "seed", "parameters"].contains(k) {
                throw RegistryError("\(where_): draw has an unknown key '\(k)' (valid: count, seed, parameters)")
            }
            var distributions: [(String, ParameterDistribution)] = []
            for (key, law) in laws {
                do { distributions.append((key, try ParameterDistribution.decode(law, context: "\(where_), parameter \(key)"))) } catch { throw RegistryError(error.message) }
            }
            var g = RandomGenerator(seed: UInt64(seed), index: 0)
            for _ in 0..<Int(count) {
                var a = base
                for (key, law) in distributions { a = a.setting(key, to: .real(law.sample(&g))) }
                assignments.append(a)
            }
        default:
            guard let list = json["list"]?.arrayValue, !list.isEmpty else { throw RegistryError("\(where_): 'list' must be a non-empty list of parameter objects") }
            assignments = list.map { base.merging($0) }
        }
        var resolved: [JSONValue] = []
        for (i, a) in assignments.enumerated() {
            do { resolved.append(try task.resolve(a, context: "\(where_), task \(i)")) } catch { throw RegistryError(error.message) }
        }
        var heldOut: [(name: String, parameters: JSONValue)] = []
        if let held = json["held_out"] {
            guard let pairs = held.objectPairs else { throw RegistryError("\(where_): 'held_out' must map names to parameter objects") }
            for (k, v) in pairs {
                do { heldOut.append((k, try task.resolve(base.merging(v), context: "\(where_), held-out task \(k)"))) } catch { throw RegistryError(error.message) }
            }
        }
        return TaskSet(name: name, task: task.id, summary: json["summary"]?.stringValue ?? "", source: json["source"]?.stringValue ?? context,
                       tasks: resolved, heldOut: heldOut)
    }
}
