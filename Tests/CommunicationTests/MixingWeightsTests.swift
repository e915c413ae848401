import Foundation
import Testing
@testable import Communication

/// Golden values computed by hand (see the comments next to each).
@Suite struct MixingWeightsTests {
    func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12) -> Bool { abs(a - b) <= tol }

    @Test func hastingsOnARingIsOneThirdEverywhere() throws {
        let w = hastingsWeights(try .ring(agents: 4))
        // Every neighbourhood has 3 members: 1 / max(3, 3) off the diagonal, 1 − 2/3 on it.
        #expect(w.allSatisfy { close($0, 0) || close($0, 1.0 / 3) })
        #expect(close(w[0 * 4 + 1], 1.0 / 3) && close(w[0 * 4 + 0], 1.0 / 3) && close(w[0 * 4 + 2], 0))
    }

    @Test func hastingsOnAStar() throws {
        // Hub degree 3 (n = 4), leaves degree 1 (n = 2): w_hub,leaf = 1/max(4, 2) = 1/4,
        // w_hub,hub = 1 − 3/4 = 1/4, w_leaf,leaf = 1 − 1/4 = 3/4.
        let m = MixingRule.hastings.weights(for: try .star(agents: 4))
        #expect(close(m[0, 0], 0.25) && close(m[0, 1], 0.25) && close(m[1, 0], 0.25) && close(m[1, 1], 0.75) && close(m[1, 2], 0))
        #expect(m.isDoublyStochastic() && m.isSymmetric() && m.isPrimitive)
        // Eigenvalues: 1; 3/4 twice (leaf differences); 0 (hub against leaves). SLEM = 3/4.
        let s = secondLargestEigenvalueModulus(m)
        #expect(close(s.slem, 0.75, 1e-10) && s.method == .jacobi)
    }

    @Test func lazyMetropolisOnARing() throws {
        // 1 / (2 · max(2, 2)) = 1/4 to each neighbour, 1/2 to itself. Eigenvalues
        // 1/2 + 1/2 cos(2πj/4) = 1, 1/2, 0, 1/2: SLEM = 1/2.
        let m = MixingRule.lazyMetropolis.weights(for: try .ring(agents: 4))
        #expect(close(m[0, 0], 0.5) && close(m[0, 1], 0.25) && close(m[0, 3], 0.25))
        #expect(close(secondLargestEigenvalueModulus(m).slem, 0.5, 1e-10))
    }

    @Test func maximumDegreeOnAPath() throws {
        // Path 0 – 1 – 2, d = 2: off-diagonal 1/3; diagonal 1 − 1/3 = 2/3 at the ends and
        // 1 − 2/3 = 1/3 in the middle. Eigenvalues 1, 2/3 (vector (1, 0, −1)), 0: SLEM 2/3.
        let m = MixingRule.maximumDegree.weights(for: try Graph(agentCount: 3, edges: [(0, 1), (1, 2)]))
        #expect(close(m[0, 0], 2.0 / 3) && close(m[1, 1], 1.0 / 3) && close(m[0, 1], 1.0 / 3) && close(m[0, 2], 0))
        #expect(close(secondLargestEigenvalueModulus(m).slem, 2.0 / 3, 1e-10))
    }

    @Test func uniformIsRowButNotColumnStochasticOffRegularGraphs() throws {
        // Star on 3 (hub 0): hub row 1/3 each, leaf rows 1/2 self and 1/2 hub. Column 0
        // sums to 1/3 + 1/2 + 1/2 = 4/3. Eigenvalues: 1, 1/2 (leaf difference) and, from
        // the trace 4/3, −1/6: SLEM = 1/2, found through the reversible symmetrisation.
        let m = MixingRule.uniform.weights(for: try .star(agents: 3))
        #expect(close(m[0, 1], 1.0 / 3) && close(m[1, 1], 0.5) && close(m[1, 0], 0.5))
        #expect(!m.isDoublyStochastic())
        let s = secondLargestEigenvalueModulus(m)
        #expect(close(s.slem, 0.5, 1e-9))
        #expect(s.method == .symmetrisedJacobi)
        // On a regular graph uniform weights are doubly stochastic.
        #expect(MixingRule.uniform.weights(for: try .ring(agents: 5)).isDoublyStochastic())
    }

    @Test func ringSLEMMatchesTheClosedForm() throws {
        // Hastings on a ring: W = (I + A)/3, eigenvalues 1/3 + 2/3 cos(2πj/N).
        for n in [5, 25] {
            var expected = 0.0
            for j in 1..<n {
                let angle: Double = 2 * Double.pi * Double(j) / Double(n)
                expected = max(expected, abs(1.0 / 3 + 2.0 / 3 * cos(angle)))
            }
            let s = secondLargestEigenvalueModulus(MixingRule.hastings.weights(for: try .ring(agents: n)))
            #expect(close(s.slem, expected, 1e-10), "n = \(n)")
        }
        // Large N: Lanczos on the sparse matrix, the eigenvalue 1 deflated.
        let n = 300
        let s = secondLargestEigenvalueModulus(MixingRule.lazyMetropolis.weights(for: try .ring(agents: n)))
        #expect(s.method == .lanczos)
        let angle: Double = 2 * Double.pi / Double(n)
        let lazyExpected: Double = 0.5 + 0.5 * cos(angle)
        #expect(abs(s.slem - lazyExpected) < 1e-6, "\(s.slem) vs \(lazyExpected)")
    }

    @Test func jacobiFindsKnownEigenvalues() {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3.
        let e = symmetricEigenvalues([2, 1, 1, 2], n: 2)
        #expect(close(e[0], 1, 1e-12) && close(e[1], 3, 1e-12))
    }

    @Test func primitivity() throws {
        // A 2-cycle with zero diagonal is irreducible but periodic (period 2).
        let flip = try MixingMatrix(rows: [[0, 1], [1, 0]])
        #expect(flip.isIrreducible && flip.period == 2 && !flip.isPrimitive)
        #expect(close(secondLargestEigenvalueModulus(flip).slem, 1, 1e-10))
        #expect(throws: CommunicationError.self) { try Diffusion(weights: flip) }
        // Disconnected: reducible, SLEM 1.
        let split = MixingRule.hastings.weights(for: try Graph(agentCount: 4, edges: [(0, 1), (2, 3)]))
        #expect(!split.isPrimitive)
        #expect(close(secondLargestEigenvalueModulus(split).slem, 1, 1e-10))
        for rule in MixingRule.allCases {
            let m = rule.weights(for: try .randomConnected(agents: 25, averageDegree: 4.2, seed: 9))
            #expect(m.isPrimitive, "\(rule)")
            #expect(rule == .uniform || (m.isDoublyStochastic() && m.isSymmetric()), "\(rule)")
        }
    }
}
