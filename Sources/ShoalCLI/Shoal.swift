import ArgumentParser
import Foundation
import MPITransport
import Training

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

    /// One process: ArgumentParser's own main. Started by `mpirun`: MPI is initialised first,
    /// only rank 0 prints to standard output, and errors end every rank — an error every rank
    /// met (bad input, checked on every rank alike) as one sentence from rank 0 and exit code 1
    /// everywhere; an error only one rank met as one sentence from that rank, then the job is
    /// aborted so that no rank waits for it.
    static func main() {
        guard MPIRuntime.launchedByMPIRun else {
            main(nil)
            return
        }
        let world: MPIGroup
        do { world = try MPIRuntime.start() } catch {
            FileHandle.standardError.write(Data("shoal: \(error)\n".utf8))
            Foundation.exit(1)
        }
        if world.rank != 0 {
            // Metrics, summaries and tables come from rank 0 only.
            let null = open("/dev/null", O_WRONLY)
            if null >= 0 { dup2(null, STDOUT_FILENO) }
        }
        var command: ParsableCommand
        do { command = try parseAsRoot(nil) } catch {
            // The same arguments on every rank: the same outcome everywhere.
            let code = exitCode(for: error)
            if world.rank == 0 {
                let text = fullMessage(for: error)
                if code == .success { print(text) } else { FileHandle.standardError.write(Data("\(text)\n".utf8)) }
            }
            MPIRuntime.finish()
            Foundation.exit(code.rawValue)
        }
        do {
            try command.run()
        } catch let failure as RankFailure {
            if world.rank == 0 { FileHandle.standardError.write(Data("Error: \(failure)\n".utf8)) }
            MPIRuntime.finish()
            Foundation.exit(1)
        } catch {
            FileHandle.standardError.write(Data("Error: rank \(world.rank): \(error)\n".utf8))
            MPIRuntime.abort(code: 1)
        }
        MPIRuntime.finish()
        Foundation.exit(0)
    }
}

/// The version `shoal --version` prints.
let shoalVersion = "0.2.0"
