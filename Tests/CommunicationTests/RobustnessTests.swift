import Foundation
import Testing
@testable import Communication

/// Bad sizes and degrees are errors, and large spectra are computed sparsely.
struct RobustnessTests {
    @Test func nonFiniteOrHugeDegreesAreErrorsNotTraps() throws {
        for d in [Double.infinity, -.infinity, .nan, 1e308, -1] {
            #expect(throws: CommunicationError.self, "degree \(d)") {
                _ = try Topology.parse("random", degree: d, probability: nil, agents: 10).makeGraph(agents: 10, seed: 0)
            }
            #expect(throws: CommunicationError.self, "degree \(d)") { _ = try Graph.randomConnected(agents: 10, averageDegree: d, seed: 0) }
            #expect(throws: CommunicationError.self, "degree \(d)") {
                _ = try Topology.parse("regular", degree: d, probability: nil, agents: 10).makeGraph(agents: 10, seed: 0)
            }
            #expect(throws: CommunicationError.self, "degree \(d)") { _ = try Topology.parse("erdos-renyi", degree: d, probability: nil, agents: 10) }
        }
        #expect(try Topology.parse("random", degree: 4, probability: nil, agents: 10) == .randomConnected(averageDegree: 4))
    }

    @Test func unknownTopologyMessageSpellsThePlural() {
        do {
            _ = try Topology.parse("torus", degree: nil, probability: nil, agents: 4)
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("valid topologies are"), "\(error)")
        }
    }

    @Test func sparseRulesEqualTheDenseFormulas() throws {
        let graph = try Graph.randomConnected(agents: 30, averageDegree: 5, seed: 3)
        let dense: [(MixingRule, [Double])] = [(.hastings, hastingsWeights(graph)), (.lazyMetropolis, lazyMetropolisWeights(graph)),
                                               (.uniform, uniformWeights(graph)), (.maximumDegree, maximumDegreeWeights(graph))]
        for (rule, entries) in dense {
            let sparse = rule.weights(for: graph)
            #expect(sparse.entries == entries, "\(rule)")
            #expect(sparse == MixingMatrix(validatedAgentCount: 30, entries: entries), "\(rule)")
        }
    }

    @Test func lanczosAgreesWithTheDenseSolverOnSmallGraphs() throws {
        var graphs: [Graph] = [try .ring(agents: 40), try .star(agents: 30), try .grid(rows: 6, columns: 7), try .complete(agents: 12),
                               try .regular(agents: 50, degree: 4)]
        for seed in 0..<6 { graphs.append(try .randomConnected(agents: 20 + 10 * seed, averageDegree: 3.5, seed: UInt64(seed))) }
        for (g, graph) in graphs.enumerated() {
            for rule in MixingRule.allCases {
                let w = rule.weights(for: graph)
                let dense = secondLargestEigenvalueModulus(w)
                #expect(dense.method == .jacobi || dense.method == .symmetrisedJacobi)
                let pi = w.isSymmetric() ? [Double](repeating: 1 / Double(w.agentCount), count: w.agentCount) : stationaryDistribution(w)
                let sparse = lanczosSLEM(w, pi: pi, symmetric: w.isSymmetric())
                #expect(abs(sparse - dense.slem) < 1e-8, "graph \(g), \(rule): Lanczos \(sparse), Jacobi \(dense.slem)")
            }
        }
        // A disconnected graph keeps the eigenvalue 1 after deflation.
        let split = MixingRule.hastings.weights(for: try Graph(agentCount: 300, edges: (0..<298).filter { $0 != 149 }.map { ($0, $0 + 1) }))
        #expect(abs(secondLargestEigenvalueModulus(split).slem - 1) < 1e-9)
    }

    @Test func largeRingSpectrumIsFastAndMatchesTheClosedForm() throws {
        let n = 3000
        let start = Date()
        let s = secondLargestEigenvalueModulus(MixingRule.hastings.weights(for: try .ring(agents: n)))
        let expected = 1.0 / 3 + 2.0 / 3 * cos(2 * Double.pi / Double(n))
        #expect(s.method == .lanczos)
        #expect(abs(s.slem - expected) < 1e-7, "\(s.slem) vs \(expected)")
        #expect(Date().timeIntervalSince(start) < 60)
    }

    @Test func graphFilesWithHugeAgentCountsAreErrors() throws {
        // Found by the graph-file fuzz target (Fuzz/Regressions/graph-file): it aborted on the allocation.
        let text = #"{"agents": 422222222222222, "edges": [[0, 1], [1, 2], ]}"#
        #expect(throws: CommunicationError.self) { _ = try GraphFile(data: Data(text.utf8)) }
        do { _ = try GraphFile(data: Data(#"{"agents": 422222222222222, "edges": [[0, 1], [1, 2]]}"#.utf8)) } catch {
            #expect("\(error)".contains("more than the 10000000 agents"), "\(error)")
        }
        #expect(try GraphFile(data: Data(#"{"agents": 3, "edges": [[0, 1], [1, 2]]}"#.utf8)).graph.edgeCount == 2)
    }
}
