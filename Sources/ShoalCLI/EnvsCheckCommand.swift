import ArgumentParser
import Envs
import EnvsTesting

/// `shoal envs check ID…`: runs the environment checker on each task (all tasks with `--all`).
struct EnvsCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Check that tasks keep the vector-environment contract.")

    @OptionGroup var options: RegistryOptions
    @Argument(help: "Task ids to check.") var ids: [String] = []
    @Flag(help: "Check every registered task.") var all = false

    func validate() throws {
        if ids.isEmpty && !all { throw ValidationError("name at least one task id, or pass --all") }
    }

    func run() throws {
        let registry = try options.registry().value
        let tasks = all ? registry.ids.compactMap { registry.tasks[$0] } : try ids.map { try registry.task($0) }
        var failures = 0
        for task in tasks {
            do {
                try EnvironmentChecker().check(task: task)
                print("ok    \(task.id)")
            } catch {
                failures += 1
                print("FAIL  \(task.id): \(error)")
            }
        }
        if failures > 0 { throw CLIError("\(failures) of \(tasks.count) tasks failed the check") }
    }
}
