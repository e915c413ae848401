import Communication
import Dispatch
import Foundation
import MPITransport
import Training

extension BenchCommCommand {
    /// `mpirun -np K shoal bench comm --transport mpi`: one diffusion round with the agents in
    /// K contiguous blocks, next to the same round in memory (rank 0, one thread), and the bytes
    /// the ranks handed to MPI against the graph's links × parameters.
    func runAcrossRanks(group: any ProcessGroup, graph: Graph, weights w: MixingMatrix, rows: [[Float]]) throws {
        let n = agents, p = parameters
        // In memory, on rank 0 (the other ranks wait in the broadcast below).
        var memorySeconds = Double.infinity
        if group.isRoot {
            var strategy = try Diffusion(weights: w)
            var buffers = CohortBuffers(parameters: rows)
            var transport = InMemoryTransport(agentCount: n, keepsRecords: false)
            var ledger = MessageLedger(agentCount: n)
            for r in 0...repeats {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = try strategy.communicate(round: r, buffers: &buffers, transport: &transport, ledger: &ledger)
                if r > 0 { memorySeconds = min(memorySeconds, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9) }
            }
        }
        _ = try group.broadcast([1])

        // Across the ranks: the same strategy, the rows of this rank's block.
        var strategy = try Diffusion(weights: w)
        var buffers = CohortBuffers(parameters: rows)
        guard var transport = try group.makeTransport(agentCount: n, channels: strategy.channels, conditions: .perfect) as? MPIMessageTransport else {
            throw CLIError("--transport mpi needs the command started by mpirun")
        }
        var ledger = MessageLedger(agentCount: n)
        var roundSeconds = Double.infinity
        var bytesPerRound = 0
        for r in 0...repeats {
            _ = try group.broadcast([1])  // start together
            let before = transport.neighbourBytesSent
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try strategy.communicate(round: r, buffers: &buffers, transport: &transport, ledger: &ledger)
            let mine = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            // A round lasts as long as its slowest rank.
            var wt = WireWriter()
            wt.write(mine)
            let slowest = try group.allGather(wt.bytes).map { bytes -> Double in
                var reader = WireReader(bytes)
                return (try? reader.readDouble()) ?? .nan
            }.max() ?? mine
            bytesPerRound = try group.sum([transport.neighbourBytesSent - before])[0]
            if r > 0 { roundSeconds = min(roundSeconds, slowest) }
        }
        // Links between agents of different ranks, and every link.
        var crossing = 0
        for k in 0..<n {
            let a = rankOfAgent(k, ranks: group.size, agents: n)
            for d in w.destinations[k] where rankOfAgent(d, ranks: group.size, agents: n) != a { crossing += 1 }
        }
        let links = graph.linkCount
        let payload = 4 * p
        let messages = try group.sum([ledger.total(round: repeats).messages])[0]
        guard group.isRoot else { return }
        if json {
            print("{\"agents\":\(n),\"topology\":\"\(topology)\",\"parameters\":\(p),\"ranks\":\(group.size),\"links\":\(links),"
                + "\"links_crossing_ranks\":\(crossing),\"memory_round_seconds\":\(jsonNumber(memorySeconds)),"
                + "\"mpi_round_seconds\":\(jsonNumber(roundSeconds)),\"mpi_bytes_per_round\":\(bytesPerRound),"
                + "\"links_times_parameter_bytes\":\(links * payload),\"crossing_links_times_parameter_bytes\":\(crossing * payload),"
                + "\"ledger_messages\":\(messages)}")
        } else {
            print("diffusion round: \(n) agents, \(topology), \(links) directed links, \(p) parameters, \(group.size) ranks (contiguous blocks)")
            print(String(format: "  in memory, one process, 1 thread          %9.2f ms", memorySeconds * 1e3))
            print(String(format: "  MPI, %d ranks (slowest rank)               %9.2f ms", group.size, roundSeconds * 1e3))
            print("  bytes handed to MPI per round             \(bytesPerRound)")
            print(String(format: "  links × parameters × 4 B                  %d  (bytes / that = %.4f)", links * payload,
                         Double(bytesPerRound) / Double(links * payload)))
            print(String(format: "  links crossing ranks × parameters × 4 B   %d  (%d of %d links cross; bytes / that = %.4f)", crossing * payload,
                         crossing, links, crossing > 0 ? Double(bytesPerRound) / Double(crossing * payload) : 0))
            print("  messages per round in the ledger (every rank summed)  \(messages)")
        }
    }
}
