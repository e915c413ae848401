import Envs

/// The registry's tasks and task sets as the JSON array that `shoal_list_tasks` returns.
enum TaskCatalogue {
    static func json(_ registry: TaskRegistry) -> JSONValue {
        var items: [JSONValue] = []
        for id in registry.ids {
            guard let task = registry.tasks[id] else { continue }
            items.append(.object([
                ("id", .string(id.description)), ("summary", .string(task.summary)),
                ("tags", .array(task.tags.map { .string($0) })), ("parameters", task.defaultParameters),
                ("multi_agent", .bool(task is any MultiAgentRegisteredTask)),
            ]))
        }
        for name in registry.taskSets.keys.sorted() {
            guard let set = registry.taskSets[name] else { continue }
            items.append(.object([
                ("task_set", .string(name)), ("task", .string(set.task.description)), ("tasks", .integer(set.tasks.count)),
            ]))
        }
        return .array(items)
    }
}
