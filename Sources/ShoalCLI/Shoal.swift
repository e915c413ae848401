import ArgumentParser

/// `shoal`: environments, training and benchmarks for networked multi-task RL.
@main
struct Shoal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shoal",
        abstract: "Networked multi-task reinforcement learning: environments, training, benchmarks.",
        version: shoalVersion,
        subcommands: [
            EnvsCommand.self,
            CommCommand.self,
            BenchCommand.self,
            MDPCommand.self,
            DemoCommand.self,
            TrainCommand.self,
            EvalCommand.self,
            PlotCommand.self,
        ])
}

/// The version `shoal --version` prints.
let shoalVersion = "0.2.0"
