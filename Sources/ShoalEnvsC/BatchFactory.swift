import Envs

/// Builds batches from what crosses the C boundary: an id, parameters as JSON text, sizes.
enum BatchFactory {
    /// Copies and threads beyond these are refused rather than risking an allocation failure.
    static let maximumCopies = 1 << 24
    static let maximumThreads = 256
    /// The most memory a batch's buffers (observations and final observations, the per-row
    /// flags and statistics) may take.
    static let maximumBufferBytes = 1 << 31

    static func checkSizes(count: Int64, threads: Int64, what: String = "the number of copies") throws(CAPIFailure) {
        guard count >= 1 && count <= Int64(maximumCopies) else {
            throw CAPIFailure(.invalidArgument, "\(what) must be in [1, \(maximumCopies)], got \(count)")
        }
        guard threads >= 1 && threads <= Int64(maximumThreads) else {
            throw CAPIFailure(.invalidArgument, "the number of threads must be in [1, \(maximumThreads)], got \(threads)")
        }
    }

    /// A batch of `count` copies of `id`; `parametersJSON` is an object (every copy) or an array
    /// of k objects (k tasks, `count / k` consecutive rows each), or nil for the defaults.
    static func make(id: String, parametersJSON: String?, count: Int64, threads: Int64, seed: UInt64) throws(CAPIFailure) -> BatchHandle {
        try checkSizes(count: count, threads: threads)
        let registry = try CAPIRegistry.registry()
        let task: any RegisteredTask
        do { task = try registry.task(id) } catch { throw CAPIFailure(.unknownTask, error.message) }
        guard !(task is any MultiAgentRegisteredTask) else {
            throw CAPIFailure(.invalidArgument, "task \(task.id) is a multi-agent task: create its batches with shoal_multi_agent_create")
        }
        var perTask: [JSONValue] = [.object([])]
        if let text = parametersJSON, !text.allSatisfy(\.isWhitespace) {
            let json: JSONValue
            do { json = try JSONValue.parse(text) } catch {
                throw CAPIFailure(.invalidArgument, "the parameters are not valid JSON: \(error)")
            }
            switch json {
            case .object: perTask = [json]
            case .array(let items):
                guard !items.isEmpty else { throw CAPIFailure(.badParameters, "the parameters array is empty: give one object per task") }
                perTask = items
            default:
                throw CAPIFailure(.badParameters, "the parameters must be a JSON object (every copy) or an array of objects (one per task), not \(json.typeName)")
            }
        }
        let n = Int(count), k = perTask.count
        guard n % k == 0 else {
            throw CAPIFailure(.invalidArgument, "\(n) copies cannot be split evenly over \(k) tasks: the number of copies must be a multiple of \(k)")
        }
        var runs: [(rows: Range<Int>, parameters: JSONValue)] = []
        for (j, assignment) in perTask.enumerated() {
            let context = k == 1 ? "task \(task.id)" : "task \(task.id), parameters \(j)"
            do {
                runs.append((j * (n / k)..<(j + 1) * (n / k), try task.resolve(assignment, context: context)))
            } catch {
                throw CAPIFailure(.badParameters, error.message)
            }
        }
        return try build(task: task, runs: runs, threads: Int(threads), seed: seed)
    }

    /// A batch of every task of a task set, `copiesPerTask` consecutive rows each.
    static func make(taskSet name: String, copiesPerTask: Int64, threads: Int64, seed: UInt64) throws(CAPIFailure) -> BatchHandle {
        try checkSizes(count: copiesPerTask, threads: threads, what: "copies per task")
        let registry = try CAPIRegistry.registry()
        let set: TaskSet
        do { set = try registry.taskSet(name) } catch { throw CAPIFailure(.unknownTask, error.message) }
        guard Int64(set.tasks.count) * copiesPerTask <= Int64(maximumCopies) else {
            throw CAPIFailure(.invalidArgument, "task set \(name) has \(set.tasks.count) tasks: at most \(maximumCopies / set.tasks.count) copies per task")
        }
        let task: any RegisteredTask
        do { task = try registry.task(set.task.description) } catch { throw CAPIFailure(.unknownTask, error.message) }
        let m = Int(copiesPerTask)
        var runs: [(rows: Range<Int>, parameters: JSONValue)] = []
        for (j, assignment) in set.tasks.enumerated() {
            do {
                runs.append((j * m..<(j + 1) * m, try task.resolve(assignment, context: "task set \(name), task \(j)")))
            } catch {
                throw CAPIFailure(.badParameters, error.message)
            }
        }
        return try build(task: task, runs: runs, threads: Int(threads), seed: seed)
    }

    private static func build(task: any RegisteredTask, runs: [(rows: Range<Int>, parameters: JSONValue)], threads: Int,
                              seed: UInt64) throws(CAPIFailure) -> BatchHandle {
        var assignments: [JSONValue] = []
        for run in runs { assignments += [JSONValue](repeating: run.parameters, count: run.rows.count) }
        do {
            // One copy first, to learn the row size before allocating the whole batch.
            let probe = try task.makeVector([assignments[0]], threads: 1)
            let rowBytes = 4 * (2 * probe.observationSpace.size + probe.actionSpace.size) + 16
            guard assignments.count <= maximumBufferBytes / rowBytes else {
                throw CAPIFailure(.invalidArgument, "\(assignments.count) copies of \(task.id) would need more than 2 GiB of buffers: at most \(maximumBufferBytes / rowBytes) copies")
            }
            let env = try task.makeVector(assignments, threads: threads)
            return BatchHandle(task: task.id.description, env: env, parameterRuns: runs, seed: seed)
        } catch {
            throw CAPIFailure.from(error)
        }
    }
}
