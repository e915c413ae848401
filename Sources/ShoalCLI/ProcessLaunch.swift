import ArgumentParser
import Communication
import Foundation
import MPITransport
import Training

/// Where the agents' messages go: `auto` (MPI when `mpirun` started the command, memory
/// otherwise), `memory` (every agent in this process) or `mpi` (agents spread over the ranks).
enum TransportChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, memory, mpi
}

/// The processes of this command: the MPI world when `mpirun` started it (initialised at
/// start-up, see ``Shoal/main()``), one process otherwise.
func processGroup(_ choice: TransportChoice) throws -> any ProcessGroup {
    switch choice {
    case .mpi:
        guard let world = MPIRuntime.world else {
            throw CLIError("--transport mpi needs the command started by mpirun (e.g. mpirun -np 2 shoal train …); MPI is not initialised in this process")
        }
        return world
    case .memory:
        if let world = MPIRuntime.world, world.size > 1 {
            throw RankFailure(rank: 0, message: "--transport memory keeps every agent in one process, but mpirun started \(world.size) ranks; drop --transport memory or start one process")
        }
        return SingleProcess()
    case .auto:
        return MPIRuntime.world ?? SingleProcess()
    }
}

/// Throws the same error on every rank unless every rank built the same graph and resolved the
/// same configuration as rank 0 (they read their files on their own hosts).
func requireSameRun(_ plan: RunPlan, group: any ProcessGroup) throws {
    guard group.size > 1 else { return }
    // Checked alike on every rank, before any directory is touched.
    let n = plan.learnerTasks.count
    guard plan.algorithm.runsAcrossProcesses else {
        throw RankFailure(rank: 0, message: "algorithm \(plan.algorithm.name) runs in one process; start it without mpirun")
    }
    guard group.size <= n else {
        throw RankFailure(rank: 0, message: "the run has \(n) agent\(n == 1 ? "" : "s") but was started on \(group.size) ranks; start it with at most \(n) (mpirun -np \(n))")
    }
    var w = WireWriter()
    let edges = plan.graph.map { g in g.neighbours.enumerated().flatMap { k, list in list.map { "\(k)-\($0)" } }.joined(separator: ",") } ?? ""
    w.write(edges)
    w.write(prettyJSON(plan.config.json))
    let all = try group.allGather(w.bytes)
    var root = WireReader(all[0])
    let rootEdges = try root.readString(), rootConfig = try root.readString()
    for (r, bytes) in all.enumerated().dropFirst() {
        var reader = WireReader(bytes)
        if try reader.readString() != rootEdges {
            throw RankFailure(rank: 0, message: "the graph differs between ranks: rank \(r) built a different graph from rank 0 (every host must read the same graph and configuration files)")
        }
        if try reader.readString() != rootConfig {
            throw RankFailure(rank: 0, message: "the run configuration differs between ranks: rank \(r) resolved a different one from rank 0 (every host must read the same files and get the same flags)")
        }
    }
}

/// Runs `body` on every rank and, if it failed on any, throws the first failure on every rank
/// (so that no rank is left waiting for the others).
func onEveryRank<T>(_ group: any ProcessGroup, _ body: () throws -> T) throws -> T {
    var result: T?
    var failure: Error?
    do { result = try body() } catch let agreed as RankFailure {
        throw agreed  // every rank already has it
    } catch { failure = error }
    try group.agreeToContinue(failure)
    return result!
}
