import ArgumentParser
import Communication
import Dispatch
import Foundation

/// `shoal bench comm --agents 1000 --topology ring --parameters 10000 [--json]`: the cost of one
/// diffusion round, next to this machine's memory bandwidth measured in the same run.
///
/// Three figures, each the best of `--repeats` timings after a warm-up:
/// - **round**: `Diffusion.communicate` on an `InMemoryTransport` — posting every row to
///   every neighbour (shared, not copied), delivery, ledger, and the combination;
/// - **combine**: the combination alone, `θ_k ← Σ_l W[k, l] θ_l` for every agent, with
///   bytes counted honestly as every row read (each neighbour's and the agent's own)
///   plus every output row written: `4 · P · (Σ_k (|sources_k| + 1) + N)`;
/// - **bandwidth**: STREAM-style copy (`a = b`, 8 bytes per element) and triad
///   (`a = b + s·c`, 12 bytes per element) over 64 MiB arrays, far larger than cache.
/// Everything runs on one thread.
struct BenchCommCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comm",
        abstract: "Time one diffusion round and compare the combination with measured memory bandwidth.")

    @Option(parsing: .unconditional, help: "Number of agents.") var agents: Int = 1000
    @Option(help: "ring, complete, star, grid, regular, random or erdos-renyi.") var topology: String = "ring"
    @Option(parsing: .unconditional, help: "Degree for regular / random / erdos-renyi topologies.") var degree: Double?
    @Option(parsing: .unconditional, help: "Parameters per agent.") var parameters: Int = 10_000
    @Option(parsing: .unconditional, help: "Timed repetitions (the best is reported).") var repeats: Int = 5
    @Option(parsing: .unconditional, help: "Seed of random topologies.") var seed: UInt64 = 0
    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "auto (MPI when started by mpirun), memory, or mpi: the round over the ranks of mpirun next to the in-memory one.")
    var transport: TransportChoice = .auto

    func validate() throws {
        guard agents >= 2 else { throw ValidationError("--agents must be at least 2, got \(agents)") }
        guard parameters >= 1 else { throw ValidationError("--parameters must be at least 1, got \(parameters)") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }

    func run() throws {
        let family = try Topology.parse(topology, degree: degree, probability: nil, agents: agents)
        try SizeChecks.checkBenchComm(topology: topology, agents: agents, degree: degree, parameters: parameters)
        let graph = try family.makeGraph(agents: agents, seed: seed)
        try graph.requireConnected()
        let w = MixingRule.hastings.weights(for: graph)
        let n = agents, p = parameters

        // Data: cheap deterministic values, distinct per agent.
        var rows = [[Float]](repeating: [], count: n)
        for k in 0..<n {
            var g = SplitMix64(seed: seed, stream: UInt64(k))
            let a = Float(g.nextUniform()), b = Float(g.nextUniform())
            rows[k] = (0..<p).map { a + b * Float($0 % 97) }
        }
        let group = try processGroup(transport)
        if transport == .mpi || group.size > 1 {
            return try runAcrossRanks(group: group, graph: graph, weights: w, rows: rows)
        }

        // Full round through the strategy seam.
        var strategy = try Diffusion(weights: w)
        var buffers = CohortBuffers(parameters: rows)
        var transport = InMemoryTransport(agentCount: n, keepsRecords: false)
        var ledger = MessageLedger(agentCount: n)
        _ = try strategy.communicate(round: 0, buffers: &buffers, transport: &transport, ledger: &ledger)
        var roundSeconds = Double.infinity
        for r in 1...repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try strategy.communicate(round: r, buffers: &buffers, transport: &transport, ledger: &ledger)
            roundSeconds = min(roundSeconds, seconds(since: t0))
        }
        buffers = CohortBuffers(agentCount: 0, parameterCount: 0)
        transport = InMemoryTransport(agentCount: n, keepsRecords: false)

        // The combination alone, on the same rows, through the same kernels.
        var planWeights: [[Float]] = []
        var planRows: [[[Float]]] = []
        for k in 0..<n {
            var ws: [Float] = [w.selfWeights[k]]
            ws.append(contentsOf: w.sourceWeights[k])
            var rs: [[Float]] = [rows[k]]
            for l in w.sources[k] { rs.append(rows[l]) }
            planWeights.append(ws)
            planRows.append(rs)
        }
        var outputs = [[Float]](repeating: [Float](repeating: 0, count: p), count: n)
        var combineSeconds = Double.infinity
        for _ in 0...repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for k in 0..<n { weightedSum(planWeights[k], planRows[k], into: &outputs[k]) }
            combineSeconds = min(combineSeconds, seconds(since: t0))
        }
        let rowReads = (0..<n).reduce(0) { $0 + w.sources[$1].count + 1 }
        let combineBytes = Double(4 * p) * Double(rowReads + n)
        let combineRate = combineBytes / combineSeconds
        let checksum = outputs[n / 2].reduce(0, +)

        let stream = measureStream(repeats: repeats)
        let bandwidth = max(stream.copy, stream.triad)
        let fraction = combineRate / bandwidth
        let perEdgeParameter = combineSeconds / (Double(rowReads) * Double(p))

        if json {
            print("{\"agents\":\(n),\"topology\":\"\(topology)\",\"parameters\":\(p),\"links\":\(graph.linkCount),"
                + "\"round_seconds\":\(jsonNumber(roundSeconds)),\"combine_seconds\":\(jsonNumber(combineSeconds)),"
                + "\"combine_bytes\":\(jsonNumber(combineBytes)),\"combine_gb_per_s\":\(jsonNumber(combineRate / 1e9)),"
                + "\"stream_copy_gb_per_s\":\(jsonNumber(stream.copy / 1e9)),\"stream_triad_gb_per_s\":\(jsonNumber(stream.triad / 1e9)),"
                + "\"fraction_of_bandwidth\":\(jsonNumber(fraction)),\"ns_per_row_read_parameter\":\(jsonNumber(perEdgeParameter * 1e9)),"
                + "\"checksum\":\(jsonNumber(Double(checksum)))}")
        } else {
            print("diffusion round: \(n) agents, \(topology), \(graph.linkCount) directed links, \(p) parameters, 1 thread")
            print(String(format: "  full round (send, deliver, ledger, combine)  %8.2f ms", roundSeconds * 1e3))
            print(String(format: "  combination only                             %8.2f ms  %.2f GB/s  (%.0f MB: %d row reads + %d row writes)",
                         combineSeconds * 1e3, combineRate / 1e9, combineBytes / 1e6, rowReads, n))
            print(String(format: "  cost per (row read × parameter)              %8.3f ns", perEdgeParameter * 1e9))
            print(String(format: "memory bandwidth (STREAM-like, 64 MiB arrays): copy %.2f GB/s, triad %.2f GB/s", stream.copy / 1e9, stream.triad / 1e9))
            print(String(format: "combination at %.0f %% of the measured bandwidth (target ≥ 50 %%)", fraction * 100))
        }
    }
}

private func seconds(since start: UInt64) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Best-of-`repeats` STREAM copy and triad rates in bytes per second.
private func measureStream(repeats: Int) -> (copy: Double, triad: Double) {
    let count = 1 << 24
    let a = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
    let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
    let c = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
    defer { a.deallocate(); b.deallocate(); c.deallocate() }
    for i in 0..<count { a[i] = 0; b[i] = Float(i & 1023); c[i] = 1 }
    var copy = Double.infinity, triad = Double.infinity
    for _ in 0...repeats {
        var t0 = DispatchTime.now().uptimeNanoseconds
        streamCopy(a.baseAddress!, b.baseAddress!, count)
        copy = min(copy, seconds(since: t0))
        t0 = DispatchTime.now().uptimeNanoseconds
        streamTriad(a.baseAddress!, b.baseAddress!, c.baseAddress!, 3, count)
        triad = min(triad, seconds(since: t0))
    }
    return (Double(8 * count) / copy, Double(12 * count) / triad)
}

@inline(never)
private func streamCopy(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) {
    for i in 0..<n { a[i] = b[i] }
}

@inline(never)
private func streamTriad(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>, _ s: Float, _ n: Int) {
    for i in 0..<n { a[i] = b[i] + s * c[i] }
}
