import Foundation
import Testing
import Envs
@testable import Tabular

func chain(_ task: Int, stochastic: Bool = false) throws -> FiniteMDP {
    FiniteMDP(try TwoTaskChain.Parameters.chain(task: task, stochastic: stochastic).tabularModel())
}

/// A chain policy: L in S2 and S4, `left` = π(L | S3).
func chainPolicy(left: Double) -> [Double] {
    [0.5, 0.5, 1, 0, left, 1 - left, 1, 0, 0.5, 0.5]
}

@Suite struct TabularGoldenTests {
    /// Paper 001 §2.2: the best shared policy is ½/½ in S3 with V(S3) = 2γ/(2 − γ²); each
    /// deterministic choice gives γ.
    @Test(arguments: [0.5, 0.9, 0.99])
    func twoTaskChain(gamma: Double) throws {
        let t1 = try chain(1), t2 = try chain(2)
        func shared(_ left: Double) throws -> Double {
            try evaluatePolicy(t1, policy: chainPolicy(left: left), discount: gamma)[2]
                + evaluatePolicy(t2, policy: chainPolicy(left: left), discount: gamma)[2]
        }
        #expect(abs(try shared(0.5) - 2 * gamma / (2 - gamma * gamma)) < 1e-12)
        #expect(abs(try shared(1) - gamma) < 1e-12)
        #expect(abs(try shared(0) - gamma) < 1e-12)
        let grid = try (0...100).map { try shared(Double($0) / 100) }
        #expect(grid.indices.max(by: { grid[$0] < grid[$1] }) == 50)
        // Each task alone has a deterministic optimum worth γ from S3 … (value iteration)
        #expect(abs(try valueIteration(t1, discount: gamma).values[2] - gamma) < 1e-9)
    }

    /// Stochastic chain (§2.2): the policy in S2 and S4 does not matter.
    @Test func stochasticChainIgnoresS2AndS4() throws {
        let t = try chain(1, stochastic: true)
        var p = chainPolicy(left: 0.3)
        let v1 = try evaluatePolicy(t, policy: p, discount: 0.9)
        p[2] = 0; p[3] = 1; p[6] = 0.2; p[7] = 0.8
        let v2 = try evaluatePolicy(t, policy: p, discount: 0.9)
        #expect(zip(v1, v2).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    /// Sutton & Barto Example 4.1 (Figure 4.1): the uniform random policy, γ = 1.
    @Test func suttonBarto4x4() throws {
        let m = try GridWorld.Parameters.suttonBarto4x4.tabularModel()
        let v = try evaluatePolicy(m, policy: uniformPolicy(states: 16, actions: 4), discount: 1)
        let textbook: [Double] = [0, -14, -20, -22, -14, -18, -20, -20, -20, -20, -18, -14, -22, -20, -14, 0]
        for s in 0..<16 { #expect(abs(v[s] - textbook[s]) < 1e-9, "state \(s): \(v[s])") }
        // Optimal: −(Manhattan distance to the nearer corner).
        let opt = try valueIteration(m, discount: 1).values
        #expect(opt[3] == -3 && opt[5] == -2 && opt[6] == -3)
    }

    /// Frozen Lake 4×4 (specs §7.1): optimal success probability 0.8235 without time limit.
    @Test func frozenLakeOptimalSuccess() throws {
        let m = try GridWorld.Parameters.frozenLake4x4.tabularModel()
        let v = try valueIteration(m, discount: 1, tolerance: 1e-13).values
        #expect(abs(v[0] - 0.8235) < 1e-4)
        // 5×5 (Gymnasium seed-0 map, specs §7.2): 0.84.
        let v5 = try valueIteration(try GridWorld.Parameters.frozenLake5x5.tabularModel(), discount: 1, tolerance: 1e-13).values
        #expect(abs(v5[0] - 0.84) < 1e-4)
    }

    @Test func visitationOfAChain() throws {
        let t = try chain(1)
        let g = 0.9
        let d = try discountedVisitation(t, policy: chainPolicy(left: 1), discount: g)
        // S3 at time 0, S2 at time 1, S1 (absorbing) from time 2 on.
        #expect(abs(d[2] - (1 - g)) < 1e-12)
        #expect(abs(d[1] - (1 - g) * g) < 1e-12)
        #expect(abs(d[0] - g * g) < 1e-12)
        let fl = FiniteMDP(try GridWorld.Parameters.frozenLake4x4.tabularModel())
        let dl = try discountedVisitation(fl, policy: uniformPolicy(states: 16, actions: 4), discount: 0.95)
        #expect(abs(dl.reduce(0, +) - 1) < 1e-12)
    }

    /// Eq. (8) against central finite differences of eq. (7).
    @Test(arguments: ["chain", "frozen-lake", "random-mdp"])
    func gradientMatchesFiniteDifferences(_ which: String) throws {
        let tasks: [FiniteMDP]
        switch which {
        case "chain": tasks = [try chain(1), try chain(2)]
        case "frozen-lake": tasks = [FiniteMDP(try GridWorld.Parameters.frozenLake4x4.tabularModel()),
                                     FiniteMDP(try GridWorld.Parameters.frozenLake4x4.tabularModel())]
        default:
            var p = RandomMDP.Parameters()
            p.states = 7; p.agents = 2
            var q = p
            q.seed = 3
            tasks = [FiniteMDP(try p.tabularModel()), FiniteMDP(try q.tabularModel())]
        }
        let n = tasks[0].stateCount * tasks[0].actionCount
        var g = RandomGenerator(seed: 17)
        let theta = (0..<n).map { _ in g.normal() }
        let gamma = 0.9, lambda = 0.3
        let exact = try regularizedGradient(tasks, theta: theta, discount: gamma, lambda: lambda)
        let h = 1e-5
        for k in 0..<n {
            var plus = theta, minus = theta
            plus[k] += h; minus[k] -= h
            let fd = (try regularizedObjective(tasks, theta: plus, discount: gamma, lambda: lambda)
                      - regularizedObjective(tasks, theta: minus, discount: gamma, lambda: lambda)) / (2 * h)
            #expect(abs(fd - exact[k]) < 1e-7, "\(which) θ[\(k)]: exact \(exact[k]), finite difference \(fd)")
        }
    }

    @Test func badInputIsAClearError() throws {
        let t = try chain(1)
        #expect(throws: TabularError("the policy has 3 probabilities; this task needs 5 states × 2 actions = 10")) {
            try evaluatePolicy(t, policy: [1, 0, 0], discount: 0.9)
        }
        #expect(throws: TabularError("the discount must be in [0, 1], got 1.5")) {
            try evaluatePolicy(t, policy: chainPolicy(left: 1), discount: 1.5)
        }
        // Undiscounted and never ending: task 2 oscillates between S2 and S3 under "always L".
        #expect(throws: TabularError.self) { try evaluatePolicy(try chain(2), policy: chainPolicy(left: 1), discount: 1) }
    }
}
