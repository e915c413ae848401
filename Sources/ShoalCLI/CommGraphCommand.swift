import ArgumentParser
import Communication
import Foundation

/// `shoal comm graph --topology T --agents N [--degree D] [--weights W] [--seed S] [--json] [--out FILE.svg]`:
/// builds a graph and its mixing weights, checks them, reports the SLEM and optionally draws the graph.
struct CommGraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Build a communication graph and its mixing weights; report connectivity and the SLEM.",
        discussion: """
            Topologies: ring, complete, star, grid, regular (needs --degree), random (connected, target \
            average --degree, default 4.2), erdos-renyi (--probability, or expected --degree), file (--file).
            Weights: hastings (Metropolis–Hastings), lazy-metropolis, uniform, maximum-degree, file.
            With --json prints {"agents","edges","average_degree","connected","weights","slem","slem_converged"}: \
            edges is the number of undirected edges, weights the N × N matrix W (row k: the weights agent k gives). \
            Above 256 agents the SLEM comes from Lanczos on the sparse weights; on graphs with a tiny spectral \
            gap (long rings) it stops after 3000 steps and reports a lower bound (slem_converged false). \
            Sizes are checked against a memory estimate before anything is built.
            """)

    @Option(help: "ring, complete, star, grid, regular, random, erdos-renyi or file.") var topology: String
    @Option(parsing: .unconditional, help: "Number of agents (not needed with --topology file).") var agents: Int?
    @Option(parsing: .unconditional, help: "Degree: k of regular, target average of random, expected degree of erdos-renyi (neighbours besides the agent; paper 000's |N_k| is degree + 1).") var degree: Double?
    @Option(parsing: .unconditional, help: "Edge probability of erdos-renyi.") var probability: Double?
    @Option(help: "hastings, lazy-metropolis, uniform, maximum-degree, or file (weights given in --file).") var weights: String = "hastings"
    @Option(parsing: .unconditional, help: "Seed of random topologies.") var seed: UInt64 = 0
    @Option(help: "A JSON graph file: {\"agents\",\"edges\"}, {\"adjacency\"} or {\"weights\"}.") var file: String?
    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "Write an SVG drawing of the graph to this file.") var out: String?
    @Flag(help: "Report a disconnected graph instead of failing.") var allowDisconnected = false

    func run() throws {
        // Graph.
        var fileWeights: MixingMatrix?
        let graph: Graph
        if topology != "file", let file {
            throw CLIError("--file \(file) is only read with --topology file, not with --topology \(topology).")
        }
        if topology == "file" {
            guard let path = file else { throw CLIError("--topology file needs --file PATH.") }
            let parsed = try GraphFile(contentsOf: path)
            graph = parsed.graph
            fileWeights = parsed.weights
            if let n = agents, n != graph.agentCount {
                throw CLIError("--agents is \(n) but \(path) describes \(graph.agentCount) agents.")
            }
        } else {
            guard let n = agents else { throw CLIError("--agents is required unless --topology is file.") }
            guard n >= 1 else { throw CLIError("--agents must be at least 1, got \(n).") }
            if let p = probability, !(p >= 0 && p <= 1) {
                throw CommunicationError.probabilityOutOfRange(name: "edge probability", value: p)
            }
            let family = try Topology.parse(topology, degree: degree, probability: probability, agents: n)
            try SizeChecks.checkGraph(topology: topology, agents: n, degree: degree, probability: probability, json: json)
            graph = try family.makeGraph(agents: n, seed: seed)
        }
        if !allowDisconnected { try graph.requireConnected() }

        // Weights.
        let w: MixingMatrix
        let ruleName: String
        if weights == "file" {
            guard let fw = fileWeights else { throw CLIError("--weights file needs a --file that contains \"weights\".") }
            w = fw
            ruleName = "file"
        } else {
            let rule = try MixingRule.parse(weights)
            w = rule.weights(for: graph)
            ruleName = rule.rawValue
        }
        let spectrum = secondLargestEigenvalueModulus(w)

        if let out {
            let svg = graphSVG(graph, weights: w, grid: topology == "grid" ? Graph.gridShape(agents: graph.agentCount) : nil,
                               title: "\(topology), N = \(graph.agentCount), \(ruleName) weights, SLEM \(String(format: "%.4f", spectrum.slem))")
            try writeTextFile(svg, to: out, what: "the drawing")
        }

        if json {
            // Row by row, so a large matrix is never one string.
            var out = FileHandle.standardOutput
            print("{\"agents\":\(graph.agentCount),\"edges\":\(graph.edgeCount),\"average_degree\":\(jsonNumber(graph.averageDegree)),"
                + "\"connected\":\(graph.isConnected),\"weights\":[", terminator: "", to: &out)
            for k in 0..<w.agentCount {
                print((k == 0 ? "[" : ",[") + w.row(k).map { jsonNumber($0) }.joined(separator: ",") + "]", terminator: "", to: &out)
            }
            print("],\"slem\":\(jsonNumber(spectrum.slem)),\"slem_converged\":\(spectrum.converged)}", to: &out)
        } else {
            print("agents          \(graph.agentCount)")
            print("edges           \(graph.edgeCount)")
            print("average degree  \(String(format: "%.3f", graph.averageDegree)) (min \(graph.degrees.min() ?? 0), max \(graph.maximumDegree))")
            print("connected       \(graph.isConnected)")
            print("weights         \(ruleName): doubly stochastic \(w.isDoublyStochastic()), symmetric \(w.isSymmetric(tolerance: 1e-12)), primitive \(w.isPrimitive)")
            let note = spectrum.converged ? "" : ", a lower bound: not converged after \(lanczosIterationLimit) steps"
            print("SLEM            \(String(format: "%.6f", spectrum.slem)) (\(spectrum.method.rawValue)\(note))")
            if let out { print("drawing         \(out)") }
        }
    }
}

/// A JSON number (finite; shortest round-trip form).
func jsonNumber(_ x: Double) -> String {
    guard x.isFinite else { return "null" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return "\(x)"
}
