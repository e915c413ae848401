import Envs

extension EnvsDescribeCommand {
    /// `describe` of a multi-agent task: its agents, each agent's spaces, the global state.
    func describeMultiAgent(_ task: any MultiAgentRegisteredTask, registry: TaskRegistry, json: Bool) throws {
        let env = try task.makeMultiAgentVector([task.defaultParameters], threads: 1)
        let defaults = task.defaultParameters
        let sets = registry.taskSets.values.filter { $0.task == task.id }.sorted { $0.name < $1.name }
        if json {
            let params = task.parameterFields.map { f in
                JSONValue.object([("name", .string(f.name)), ("default", defaults[f.name] ?? .null), ("valid", .string(f.validRange)), ("summary", .string(f.summary))])
            }
            print(JSONValue.object([
                ("id", .string(task.id.description)), ("summary", .string(task.summary)), ("source", .string(task.source)),
                ("tags", .array(task.tags.map(JSONValue.string))),
                ("agents", .array(env.agentNames.map(JSONValue.string))),
                ("observation_spaces", .array(env.observationSpaces.map { .string($0.description) })),
                ("action_spaces", .array(env.actionSpaces.map { .string($0.description) })),
                ("state_space", .string(env.stateSpace.description)),
                ("state", .array(env.stateNames.map(JSONValue.string))),
                ("parameters", .array(params)),
                ("variants", .object(task.variants.map { ($0.name, $0.parameters) })),
                ("task_sets", .array(sets.map { .string($0.name) })),
            ]))
            return
        }
        print("\(task.id) — \(task.summary)")
        print("source:      \(task.source)")
        if !task.tags.isEmpty { print("tags:        \(task.tags.joined(separator: ", "))") }
        print("agents:      \(env.agents) (\(env.agentNames.joined(separator: ", ")))")
        for m in 0..<env.agents {
            print("  \(env.agentNames[m]): observation \(env.observationSpaces[m]), action \(env.actionSpaces[m])")
        }
        print("global state: \(env.stateSpace)")
        if !env.stateNames.isEmpty { print("state:       [\(env.stateNames.joined(separator: ", "))] (order of --state)") }
        print("parameters:")
        let width = task.parameterFields.map { $0.name.count }.max() ?? 0
        for f in task.parameterFields {
            let value = defaults[f.name]?.description ?? "?"
            print("  \(f.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(value.padding(toLength: 20, withPad: " ", startingAt: 0))  \(f.summary); \(f.validRange)")
        }
        if !task.variants.isEmpty {
            print("variants:")
            for v in task.variants { print("  \(v.name): \(v.parameters)") }
        }
        if !sets.isEmpty {
            print("task sets:")
            for s in sets { print("  \(s.name) (\(s.tasks.count) tasks): \(s.summary)") }
        }
    }
}
