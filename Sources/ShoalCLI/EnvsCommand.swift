import ArgumentParser

/// `shoal envs …`: list, describe, check, roll out, benchmark and render tasks.
struct EnvsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "envs",
        abstract: "List, describe, check, roll out, benchmark and render environments.",
        subcommands: [
            EnvsListCommand.self,
            EnvsDescribeCommand.self,
            EnvsCheckCommand.self,
            EnvsRolloutCommand.self,
            EnvsStatsCommand.self,
            EnvsBenchCommand.self,
            EnvsRenderCommand.self,
        ])
}

/// Options every `envs` subcommand shares.
struct RegistryOptions: ParsableArguments {
    @Option(help: "A folder of extra family files (*.json) to load on top of the bundled ones.")
    var dataDir: String?

    func registry() throws -> TaskRegistryBox { TaskRegistryBox(try cliRegistry(dataDirectory: dataDir)) }
}

import Envs

/// Wraps the registry so option groups stay free of Envs types in their signatures.
struct TaskRegistryBox {
    var value: TaskRegistry
    init(_ value: TaskRegistry) { self.value = value }
}

/// Reads `--param NAME=VALUE` arguments into one JSON object (later ones win).
func parseOverrides(_ params: [String]) throws -> JSONValue {
    var object = JSONValue.object([])
    for p in params {
        let (key, value) = try parseAssignment(p)
        object = object.setting(key, to: value)
    }
    return object
}
