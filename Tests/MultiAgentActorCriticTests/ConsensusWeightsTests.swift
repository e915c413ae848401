import Communication
import MultiAgentActorCritic
import Testing
import Training
import Foundation

@Suite("Paper 004 eqs. 39–46: consensus on importance weights")
struct ConsensusWeightsTests {
    /// One round of eqs. (44)–(46) for every agent of `graph`: track the new β, then mix.
    func round(_ x: inout [[Float]], _ beta: inout [[Float]], newBeta: [[Float]], behaviour: [Float], graph: Graph, weights: [Double]) {
        let n = graph.agentCount, m = x[0].count
        for i in 0..<n {
            // log π_θ − log π̂ = newBeta: pass current log-prob = behaviour + newBeta.
            let current = zip(behaviour, newBeta[i]).map { $0 + $1 }
            current.withUnsafeBufferPointer { c in behaviour.withUnsafeBufferPointer { b in
                beta[i].withUnsafeMutableBufferPointer { be in x[i].withUnsafeMutableBufferPointer { xx in
                    trackImportanceLogRatios(currentLogProb: c, behaviourLogProb: b, beta: be, x: xx, count: m)
                } }
            } }
        }
        var mixed: [[Float]] = []
        consensusMix(x, weights: weights, neighbours: graph.neighbours, into: &mixed)
        x = mixed
    }

    @Test("x_e converges to the network mean of β on the ring with maximum-degree weights 1/(d+1), also while β moves")
    func convergesToTheMean() throws {
        let n = 5
        let graph = try Graph(agentCount: n, edges: (0..<n).map { ($0, ($0 + 1) % n) })
        let w = maximumDegreeWeights(graph)
        // d = 2 on the ring: neighbours 1/3, self 1 − 2/3 = 1/3.
        #expect(abs(w[0 * n + 1] - 1.0 / 3) < 1e-15 && abs(w[0] - 1.0 / 3) < 1e-15 && w[0 * n + 2] == 0)
        let target: [[Float]] = [[0.5, -1], [1.5, 0], [-2, 0.25], [0.25, 2], [3, -0.5]]
        var x = [[Float]](repeating: [0, 0], count: n), beta = x
        let behaviour: [Float] = [-1.2, 0.4]
        for _ in 0..<60 { round(&x, &beta, newBeta: target, behaviour: behaviour, graph: graph, weights: w) }
        for e in 0..<2 {
            let mean = target.map { $0[e] }.reduce(0, +) / Float(n)
            for i in 0..<n { #expect(abs(x[i][e] - mean) < 1e-4, "agent \(i), entry \(e): \(x[i][e]) against \(mean)") }
            // Σ_i x_i = Σ_i β_i at every round (W doubly stochastic): c_e = N·x_e − β_e → Σ_{j≠i} β_j.
            for i in 0..<n {
                let others = (0..<n).filter { $0 != i }.map { target[$0][e] }.reduce(0, +)
                #expect(abs(otherAgentsLogWeight(x: x[i][e], beta: beta[i][e], agents: n) - others) < 1e-3)
            }
        }
        // β moves (the policies change): the tracking update follows the new mean.
        let moved = target.map { $0.map { $0 + 1 } }
        for _ in 0..<60 { round(&x, &beta, newBeta: moved, behaviour: behaviour, graph: graph, weights: w) }
        let mean0 = moved.map { $0[0] }.reduce(0, +) / Float(n)
        for i in 0..<n { #expect(abs(x[i][0] - mean0) < 1e-4) }
    }

    @Test("identical policies: β = 0, x = 0 and every importance weight e^{c_e} is exactly 1")
    func identicalPoliciesGiveWeightOne() throws {
        let n = 3
        let graph = try Graph(agentCount: n, edges: [(0, 1), (1, 2), (2, 0)])
        let w = maximumDegreeWeights(graph)
        var x = [[Float]](repeating: [0, 0, 0], count: n), beta = x
        let behaviour: [Float] = [-0.7, 1.3, -4.25]
        for _ in 0..<10 {
            round(&x, &beta, newBeta: [[Float]](repeating: [0, 0, 0], count: n), behaviour: behaviour, graph: graph, weights: w)
        }
        for i in 0..<n {
            for e in 0..<3 { #expect(exp(otherAgentsLogWeight(x: x[i][e], beta: beta[i][e], agents: n)) == 1) }
        }
    }
}
