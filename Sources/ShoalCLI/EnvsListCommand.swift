import ArgumentParser
import Envs

/// `shoal envs list [--tag T] [--json]`.
struct EnvsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every task and task set.")

    @OptionGroup var options: RegistryOptions
    @Option(help: "Only tasks with this tag (for example classic, discrete, continuous).") var tag: String?
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let registry = try options.registry().value
        let tasks = registry.ids.compactMap { registry.tasks[$0] }.filter { tag == nil || $0.tags.contains(tag!) }
        if let tag, tasks.isEmpty {
            let tags = Set(registry.tasks.values.flatMap(\.tags)).sorted()
            throw CLIError("no task has the tag '\(tag)'; tags in use: \(tags.joined(separator: ", "))")
        }
        let sets = registry.taskSets.values.filter { s in tasks.contains { $0.id == s.task } }.sorted { $0.name < $1.name }
        if json {
            let taskObjects = tasks.map { t in
                JSONValue.object([("id", .string(t.id.description)), ("tags", .array(t.tags.map(JSONValue.string))), ("summary", .string(t.summary))])
            }
            let setObjects = sets.map { s in
                JSONValue.object([("name", .string(s.name)), ("task", .string(s.task.description)), ("tasks", .integer(s.tasks.count)),
                                  ("held_out", .array(s.heldOut.map { .string($0.name) })), ("summary", .string(s.summary))])
            }
            print(JSONValue.object([("tasks", .array(taskObjects)), ("task_sets", .array(setObjects))]))
            return
        }
        let width = max(4, tasks.map { $0.id.description.count }.max() ?? 0)
        let tagWidth = max(20, tasks.map { $0.tags.joined(separator: ",").count }.max() ?? 0) + 2
        print("TASK".padding(toLength: width + 2, withPad: " ", startingAt: 0) + "TAGS".padding(toLength: tagWidth, withPad: " ", startingAt: 0) + "SUMMARY")
        for t in tasks {
            print(t.id.description.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                  + t.tags.joined(separator: ",").padding(toLength: tagWidth, withPad: " ", startingAt: 0) + t.summary)
        }
        if !sets.isEmpty {
            print("")
            let w = max(8, sets.map { $0.name.count }.max() ?? 0)
            print("TASK SET".padding(toLength: w + 2, withPad: " ", startingAt: 0) + "TASKS  " + "SUMMARY")
            for s in sets {
                let held = s.heldOut.isEmpty ? "" : " (+\(s.heldOut.count) held out)"
                print(s.name.padding(toLength: w + 2, withPad: " ", startingAt: 0) + String(s.tasks.count).padding(toLength: 7, withPad: " ", startingAt: 0)
                      + s.summary + held)
            }
        }
    }
}
