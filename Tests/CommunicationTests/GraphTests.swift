import Foundation
import Testing
@testable import Communication

@Suite struct GraphTests {
    @Test func ringHasDegreeTwoAndNEdges() throws {
        let g = try Graph.ring(agents: 6)
        #expect(g.degrees == [Int](repeating: 2, count: 6))
        #expect(g.edgeCount == 6)
        #expect(g.neighbours[0] == [1, 5])
        #expect(g.isConnected)
    }

    @Test func completeStarAndGrid() throws {
        #expect(try Graph.complete(agents: 5).edgeCount == 10)
        let star = try Graph.star(agents: 5)
        #expect(star.degrees == [4, 1, 1, 1, 1])
        let grid = try Graph.grid(rows: 2, columns: 3)
        // 0 1 2
        // 3 4 5
        #expect(grid.neighbours[4] == [1, 3, 5])
        #expect(grid.edgeCount == 7)
        #expect(Graph.gridShape(agents: 12) == (3, 4))
        #expect(Graph.gridShape(agents: 25) == (5, 5))
        #expect(Graph.gridShape(agents: 7) == (1, 7))
    }

    @Test func regularGraphsHaveTheRequestedDegree() throws {
        for (n, k) in [(10, 3), (10, 4), (7, 2), (8, 7), (6, 0)] {
            let g = try Graph.regular(agents: n, degree: k)
            #expect(g.degrees.allSatisfy { $0 == k }, "n=\(n) k=\(k)")
        }
    }

    @Test func impossibleRegularDegreesAreRejected() {
        #expect(throws: CommunicationError.impossibleDegree(topology: "k-regular", agents: 5, degree: 3,
                                                            reason: "N × k must be even because every edge has two ends")) {
            try Graph.regular(agents: 5, degree: 3)
        }
        do {
            _ = try Graph.regular(agents: 4, degree: 4)
            Issue.record("expected an error")
        } catch let e as CommunicationError {
            #expect(e.description == "A k-regular graph with 4 agents and degree 4 is impossible: the degree must lie in 0 ... 3 (each agent has at most N − 1 neighbours).")
        } catch { Issue.record("\(error)") }
    }

    @Test func randomConnectedGraphHitsTheTargetDegreeAndIsSeeded() throws {
        let g = try Graph.randomConnected(agents: 25, averageDegree: 4.2, seed: 1)
        #expect(g.isConnected)
        #expect(g.edgeCount == 53)  // round(4.2 · 25 / 2) = round(52.5)
        #expect(abs(g.averageDegree - 4.2) < 0.1)
        #expect(try Graph.randomConnected(agents: 25, averageDegree: 4.2, seed: 1) == g)
        #expect(try Graph.randomConnected(agents: 25, averageDegree: 4.2, seed: 2) != g)
        for seed in 0..<20 as Range<UInt64> {
            #expect(try Graph.randomConnected(agents: 30, averageDegree: 2.0, seed: seed).isConnected)
        }
    }

    @Test func randomConnectedRejectsImpossibleDegrees() {
        #expect(throws: CommunicationError.self) { try Graph.randomConnected(agents: 10, averageDegree: 1.0, seed: 0) }
        #expect(throws: CommunicationError.self) { try Graph.randomConnected(agents: 10, averageDegree: 9.5, seed: 0) }
    }

    @Test func erdosRenyiIsSeededAndChecksProbability() throws {
        let a = try Graph.erdosRenyi(agents: 40, probability: 0.2, seed: 3)
        #expect(try Graph.erdosRenyi(agents: 40, probability: 0.2, seed: 3) == a)
        #expect(abs(Double(a.edgeCount) - 0.2 * 780) < 4 * (780 * 0.2 * 0.8).squareRoot())
        #expect(try Graph.erdosRenyi(agents: 10, probability: 0, seed: 0).edgeCount == 0)
        #expect(try Graph.erdosRenyi(agents: 10, probability: 1, seed: 0).edgeCount == 45)
        do {
            _ = try Graph.erdosRenyi(agents: 10, probability: 1.5, seed: 0)
            Issue.record("expected an error")
        } catch let e as CommunicationError {
            #expect(e.description == "The edge probability is 1.5, but a probability must lie in [0, 1].")
        } catch { Issue.record("\(error)") }
    }

    @Test func disconnectedGraphErrorNamesTheUnreachableAgents() throws {
        let g = try Graph(agentCount: 5, edges: [(0, 1), (1, 2), (3, 4)])
        #expect(!g.isConnected)
        do {
            try g.requireConnected()
            Issue.record("expected an error")
        } catch let e as CommunicationError {
            #expect(e.description == "The graph on 5 agents is not connected (agent 0 cannot reach agents 3, 4); a connected graph is required.")
        }
        #expect(throws: CommunicationError.self) { try Diffusion(weights: MixingRule.hastings.weights(for: g)) }
    }

    @Test func topologyParsing() throws {
        #expect(try Topology.parse("ring", degree: nil, probability: nil, agents: 5) == .ring)
        #expect(try Topology.parse("regular", degree: 4, probability: nil, agents: 9) == .regular(degree: 4))
        #expect(try Topology.parse("random", degree: nil, probability: nil, agents: 25) == .randomConnected(averageDegree: 4.2))
        #expect(try Topology.parse("erdos-renyi", degree: 3, probability: nil, agents: 7) == .erdosRenyi(probability: 0.5))
        #expect(throws: CommunicationError.self) { try Topology.parse("torus", degree: nil, probability: nil, agents: 5) }
        #expect(throws: CommunicationError.self) { try Topology.parse("regular", degree: 2.5, probability: nil, agents: 5) }
    }
}

@Suite struct GraphFileTests {
    func parse(_ json: String) throws -> GraphFile { try GraphFile(data: Data(json.utf8), path: "g.json") }

    @Test func edgeListAdjacencyAndWeights() throws {
        let a = try parse(#"{"agents": 4, "edges": [[0,1],[1,2],[2,3],[3,0]]}"#)
        #expect(a.graph == (try Graph.ring(agents: 4)))
        #expect(a.weights == nil)
        let b = try parse(#"{"adjacency": [[0,1,0],[1,0,1],[0,1,0]]}"#)
        #expect(b.graph.edges.map { [$0.0, $0.1] } == [[0, 1], [1, 2]])
        let c = try parse(#"{"weights": [[0.5,0.5,0],[0.5,0.25,0.25],[0,0.25,0.75]]}"#)
        #expect(c.graph.edgeCount == 2)
        #expect(c.weights?[1, 2] == 0.25)
    }

    @Test func weightsThatAreNotStochasticAreRejected() {
        do {
            _ = try parse(#"{"weights": [[0.5,0.5],[0.5,0.4]]}"#)
            Issue.record("expected an error")
        } catch let e as CommunicationError {
            #expect(e == .notStochastic(row: 1, sum: 0.9))
            #expect(e.description == "Row 1 of the weights sums to 0.9, but every row of a mixing matrix must sum to 1 (within 1e-6).")
        } catch { Issue.record("\(error)") }
        #expect(throws: CommunicationError.invalidWeight(row: 0, column: 1, value: -0.5)) {
            try parse(#"{"weights": [[1.5,-0.5],[0.5,0.5]]}"#)
        }
    }

    @Test func malformedFilesGiveOneSentence() {
        let cases: [(String, String)] = [
            (#"{"agents": 3, "edge": [[0,1]]}"#, "unknown key 'edge'"),
            (#"{"adjacency": [[0,1],[0,0]]}"#, "not symmetric"),
            (#"{"agents": 2, "edges": [[0,5]]}"#, "outside 0 ..< 2"),
            (#"[1, 2]"#, "not a JSON object"),
            (#"{"agents": 2, "edges": [[0,1]], "weights": [[1,0],[0,1]]}"#, "exactly one"),
        ]
        for (json, fragment) in cases {
            do {
                _ = try parse(json)
                Issue.record("expected an error for \(json)")
            } catch let e as CommunicationError {
                #expect(e.description.hasPrefix("Cannot use the graph file g.json: "))
                #expect(e.description.contains(fragment), "\(e.description)")
            } catch { Issue.record("\(error)") }
        }
    }
}
