import ArgumentParser

/// `shoal envs …`: list, describe, check, roll out, benchmark and render tasks.
struct EnvsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "envs",
        abstract: "List, describe, check, roll out and benchmark environments.",
        subcommands: [])
}
