import ArgumentParser

/// `shoal bench …`: micro-benchmarks of the building blocks (release builds only give honest figures).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the throughput of Shoal's building blocks.",
        subcommands: [BenchNNCommand.self, BenchCommCommand.self, BenchTrainCommand.self])
}
