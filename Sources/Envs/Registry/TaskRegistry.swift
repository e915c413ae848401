import Foundation

/// The catalogue of tasks and task sets: a value, built from an explicit list (nothing is
/// registered as a side effect of importing a module).
///
/// ```swift
/// let registry = try TaskRegistry.standard
/// var env = try registry.make("cart-pole-v1", count: 4096, threads: 2)
/// ```
public struct TaskRegistry: Sendable {
    public private(set) var tasks: [TaskID: any RegisteredTask] = [:]
    public private(set) var taskSets: [String: TaskSet] = [:]

    /// An empty registry.
    public init() {}

    /// Task ids in sorted order.
    public var ids: [TaskID] { tasks.keys.sorted() }

    /// This registry with `task` added; a duplicate id is an error.
    public func adding(_ task: any RegisteredTask) throws(RegistryError) -> TaskRegistry {
        guard tasks[task.id] == nil else { throw RegistryError("task \(task.id) is registered twice") }
        var copy = self
        copy.tasks[task.id] = task
        return copy
    }

    /// This registry with every task of `list` added.
    public func adding(_ list: [any RegisteredTask]) throws(RegistryError) -> TaskRegistry {
        var r = self
        for t in list { r = try r.adding(t) }
        return r
    }

    /// This registry with `set` added; a duplicate name is an error.
    public func adding(taskSet set: TaskSet) throws(RegistryError) -> TaskRegistry {
        guard taskSets[set.name] == nil else { throw RegistryError("task set \(set.name) is defined twice") }
        guard tasks[set.task] != nil else { throw RegistryError("task set \(set.name) names an unknown task \(set.task)") }
        var copy = self
        copy.taskSets[set.name] = set
        return copy
    }

    /// Looks a task up by id text; an unknown or malformed id gets a "did you mean" answer.
    public func task(_ text: String) throws(RegistryError) -> any RegisteredTask {
        if let id = TaskID(text), let t = tasks[id] { return t }
        let names = ids.map(\.description)
        var message = "unknown task '\(text)'"
        if let guess = closestName(to: text, among: names) {
            message += "; did you mean \(guess)?"
        } else if TaskID(text) == nil {
            message += ": task ids look like cart-pole-v1 or cart-pole/swing-up-v1"
        }
        throw RegistryError(message + " Run 'shoal envs list' to see every task.")
    }

    /// Looks a task set up by name, with a "did you mean" answer.
    public func taskSet(_ name: String) throws(RegistryError) -> TaskSet {
        if let s = taskSets[name] { return s }
        var message = "unknown task set '\(name)'"
        if let guess = closestName(to: name, among: Array(taskSets.keys)) { message += "; did you mean \(guess)?" }
        throw RegistryError(message + " Valid task sets: \(taskSets.keys.sorted().joined(separator: ", ")).")
    }

    /// A batch of `count` copies of one task, with an optional variant and `NAME=VALUE` overrides.
    public func make(_ id: String, count: Int, variant: String? = nil, overrides: JSONValue = .object([]),
                     threads: Int = 1) throws -> any VectorEnvironment {
        guard count >= 1 else { throw RegistryError("the number of copies must be at least 1, got \(count)") }
        guard threads >= 1 else { throw RegistryError("the number of threads must be at least 1, got \(threads)") }
        let task = try task(id)
        var assignment = JSONValue.object([])
        if let variant { assignment = try task.variant(variant) }
        assignment = assignment.merging(overrides)
        let resolved = try task.resolve(assignment, context: "task \(task.id)")
        let probe = try task.makeVector(repeating: resolved, count: 1, threads: 1)
        try MemoryBudget.standard.check(MemoryBudget.bytes(count, perItem: probe.estimatedBytesPerCopy),
                                        for: "a batch of \(count) copies of \(task.id)")
        if count == 1 && threads <= 1 { return probe }
        return try task.makeVector(repeating: resolved, count: count, threads: threads)
    }

    /// A batch holding every task of a task set, `copiesPerTask` consecutive rows each
    /// (rows `k·copiesPerTask ..< (k+1)·copiesPerTask` are task `k`).
    public func make(taskSet name: String, copiesPerTask: Int = 1, threads: Int = 1) throws -> any VectorEnvironment {
        guard copiesPerTask >= 1 else { throw RegistryError("copies per task must be at least 1, got \(copiesPerTask)") }
        let set = try taskSet(name)
        let task = try task(set.task.description)
        if let first = set.tasks.first {
            let probe = try task.makeVector(repeating: first, count: 1, threads: 1)
            let copies = Double(set.tasks.count) * Double(copiesPerTask)
            try MemoryBudget.standard.check(copies * probe.estimatedBytesPerCopy,
                                            for: "a batch of \(set.tasks.count) tasks × \(copiesPerTask) copies of task set \(name)")
        }
        let rows = set.tasks.flatMap { [JSONValue](repeating: $0, count: copiesPerTask) }
        return try task.makeVector(rows, threads: threads)
    }
}

extension TaskRegistry {
    /// This registry with the tasks, variants and task sets of one family data file added.
    ///
    /// The file is decoded strictly: a syntax error names the file, line and column; an unknown
    /// key, a wrong type or an out-of-range value names the file, the field and the valid range.
    ///
    /// ```json
    /// {
    ///   "family": "pendulum",
    ///   "tasks": {"pendulum/heavy-v1": {"from": "pendulum-v1", "summary": "…", "parameters": {"mass": 2.0},
    ///                                   "variants": {"short": {"length": 0.5}}}},
    ///   "task_sets": {"pendulum-25": {…}}
    /// }
    /// ```
    public func loadingFamilyFile(_ url: URL) throws(RegistryError) -> TaskRegistry {
        let file = url.lastPathComponent
        let text: String
        do { text = try TextFile.read(url.path) } catch {
            throw RegistryError("cannot read family file \(error.path): \(error.reason)")
        }
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw RegistryError("family file \(file) is not valid JSON: \(error)") }
        return try loadingFamily(json, context: "family file \(file)")
    }

    /// This registry with a family document (already parsed) added; `context` names its origin.
    public func loadingFamily(_ json: JSONValue, context: String) throws(RegistryError) -> TaskRegistry {
        guard let pairs = json.objectPairs else { throw RegistryError("\(context): the top level must be a JSON object") }
        let allowed = ["family", "summary", "tasks", "task_sets"]
        for (k, _) in pairs where !allowed.contains(k) {
            var message = "\(context): unknown key '\(k)'"
            if let g = closestName(to: k, among: allowed) { message += "; did you mean '\(g)'?" }
            throw RegistryError(message + " Valid keys: \(allowed.joined(separator: ", ")).")
        }
        guard let family = json["family"]?.stringValue else { throw RegistryError("\(context): 'family' (a family name such as pendulum) is required") }
        guard tasks.keys.contains(where: { $0.family == family }) else {
            let families = Set(tasks.keys.map(\.family)).sorted()
            var message = "\(context): unknown family '\(family)'"
            if let g = closestName(to: family, among: families) { message += "; did you mean '\(g)'?" }
            throw RegistryError(message + " Families: \(families.joined(separator: ", ")).")
        }
        var registry = self
        for (idText, body) in json["tasks"]?.objectPairs ?? [] {
            let here = "\(context), task \(idText)"
            guard let id = TaskID(idText) else { throw RegistryError("\(here): '\(idText)' is not a task id (ids look like pendulum/heavy-v1)") }
            guard id.family == family else { throw RegistryError("\(here): the id must start with the file's family '\(family)'") }
            for (k, _) in body.objectPairs ?? [] where !["from", "summary", "parameters", "variants"].contains(k) {
                throw RegistryError("\(here): unknown key '\(k)' (valid: from, summary, parameters, variants)")
            }
            guard let from = body["from"]?.stringValue else { throw RegistryError("\(here): 'from' (the task whose physics it uses) is required") }
            let base = try registry.task(from)
            let variants = (body["variants"]?.objectPairs ?? []).map { (name: $0.key, parameters: $0.value) }
            do {
                let task = try base.derived(id: id, summary: body["summary"]?.stringValue, preset: body["parameters"] ?? .object([]),
                                            variants: variants, context: here)
                registry = try registry.adding(task)
            } catch let error as ParameterError {
                throw RegistryError(error.message)
            } catch let error as RegistryError {
                throw error
            } catch {
                throw RegistryError("\(here): \(error)")
            }
        }
        for (name, body) in json["task_sets"]?.objectPairs ?? [] {
            let set = try TaskSet.decode(name: name, from: body, registry: registry, context: context)
            registry = try registry.adding(taskSet: set)
        }
        return registry
    }

    /// This registry with every `*.json` family file of a folder added (in file-name order).
    public func loadingFamilyFiles(in directory: URL) throws(RegistryError) -> TaskRegistry {
        let names: [String]
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw RegistryError("cannot list family files in \(directory.path): the folder does not exist")
        }
        guard isDirectory.boolValue else { throw RegistryError("cannot list family files in \(directory.path): it is a file, not a folder") }
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory.path) } catch {
            throw RegistryError("cannot list family files in \(directory.path): permission denied or unreadable folder")
        }
        var registry = self
        for name in names.sorted() where name.hasSuffix(".json") {
            registry = try registry.loadingFamilyFile(directory.appendingPathComponent(name))
        }
        return registry
    }
}
