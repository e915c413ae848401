import ArgumentParser
import Envs

/// `shoal envs describe ID [--json]`: spaces, parameters with defaults and ranges, variants,
/// task sets and source.
struct EnvsDescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "Describe one task: spaces, parameters, variants, task sets.")

    @OptionGroup var options: RegistryOptions
    @Argument(help: "A task id, for example cart-pole-v1.") var id: String
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        let registry = try options.registry().value
        let task = try registry.task(id)
        if let multi = task as? any MultiAgentRegisteredTask {
            try describeMultiAgent(multi, registry: registry, json: json)
            return
        }
        let env = try task.makeVector([task.defaultParameters], threads: 1)
        let defaults = task.defaultParameters
        let sets = registry.taskSets.values.filter { $0.task == task.id }.sorted { $0.name < $1.name }
        if json {
            let params = task.parameterFields.map { f in
                JSONValue.object([("name", .string(f.name)), ("default", defaults[f.name] ?? .null), ("valid", .string(f.validRange)), ("summary", .string(f.summary))])
            }
            print(JSONValue.object([
                ("id", .string(task.id.description)), ("summary", .string(task.summary)), ("source", .string(task.source)),
                ("tags", .array(task.tags.map(JSONValue.string))),
                ("observation_space", .string(env.observationSpace.description)), ("action_space", .string(env.actionSpace.description)),
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
        print("observation: \(env.observationSpace)")
        print("action:      \(env.actionSpace)")
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
            for s in sets { print("  \(s.name) (\(s.tasks.count) tasks\(s.heldOut.isEmpty ? "" : ", held out: " + s.heldOut.map(\.name).joined(separator: ", "))): \(s.summary)") }
        }
    }
}
