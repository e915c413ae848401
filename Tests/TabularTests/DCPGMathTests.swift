import Envs
import Foundation
import Randomness
import Tabular
import Testing

@Suite("DCPG math: the regulariser gradient, the step-size bound, the REINFORCE table estimate")
struct DCPGMathTests {
    @Test func regulariserGradientIsTheSecondTermOfEquation8() {
        // (λ/|S|)(1/|A| − π): λ = 0.5, |S| = 2, |A| = 2.
        let g = relativeEntropyGradient(policy: [0.2, 0.8, 0.5, 0.5], states: 2, actions: 2, lambda: 0.5)
        #expect(g.count == 4)
        #expect(abs(g[0] - 0.075) < 1e-15 && abs(g[1] + 0.075) < 1e-15 && g[2] == 0 && g[3] == 0)
    }

    @Test func regulariserGradientMatchesFiniteDifferences() throws {
        // R(θ) = (λ/|S|) Σ_s Σ_a (1/|A|) log π_θ(a|s), by central differences on a 3 × 3 table.
        let s = 3, a = 3, lambda = 0.7
        let theta = [0.3, -1.2, 0.8, 2.0, 0.1, -0.4, 0.0, 0.5, -2.5]
        func r(_ t: [Double]) -> Double {
            softmaxPolicy(t, actions: a).reduce(0) { $0 + log($1) } * lambda / Double(s) / Double(a)
        }
        let g = relativeEntropyGradient(policy: softmaxPolicy(theta, actions: a), states: s, actions: a, lambda: lambda)
        for k in theta.indices {
            var up = theta, down = theta
            up[k] += 1e-6; down[k] -= 1e-6
            #expect(abs((r(up) - r(down)) / 2e-6 - g[k]) < 1e-8, "entry \(k)")
        }
    }

    @Test func stepSizeBoundIsEquation10() {
        // (1 + σ_N) / (Σ_i 16/(1 − γ_i)³ + 4Nλ/|S|) with N = 2, γ = 0.9, λ = 0.1, |S| = 25, σ_N = 0.5.
        let b = consensusStepSizeBound(discounts: [0.9, 0.9], lambda: 0.1, states: 25, smallestSingularValue: 0.5)
        #expect(abs(b - 4.6874953125046884e-05) < 1e-18)
        // Larger λ, more agents or a larger γ lower it; a larger σ_N raises it.
        #expect(consensusStepSizeBound(discounts: [0.9, 0.9], lambda: 1, states: 25, smallestSingularValue: 0.5) < b)
        #expect(consensusStepSizeBound(discounts: [0.9, 0.9, 0.9], lambda: 0.1, states: 25, smallestSingularValue: 0.5) < b)
        #expect(consensusStepSizeBound(discounts: [0.9, 0.9], lambda: 0.1, states: 25, smallestSingularValue: 1) > b)
    }

    @Test func gradientAndValueAgreeWithTheObjectiveAndItsGradient() throws {
        let tasks = try [1, 2].map { t -> FiniteMDP in
            var p = TwoTaskChain.Parameters()
            p.task = t
            return FiniteMDP(try p.tabularModel())
        }
        let theta = [0.1, -0.3, 0.7, 0.2, -0.5, 0.4, 1.1, -0.9, 0.0, 0.3]
        let (g, v) = try regularizedGradientAndValue(tasks, theta: theta, discount: 0.8, lambda: 0.05)
        #expect(g == (try regularizedGradient(tasks, theta: theta, discount: 0.8, lambda: 0.05)))
        #expect(abs(v - (try regularizedObjective(tasks, theta: theta, discount: 0.8, lambda: 0))) < 1e-12)
    }

    @Test func reinforceEstimateOfOneEpisodeByHand() {
        // θ = 0, two actions; states 0 then 1, actions 0 then 1, rewards 0 then 1, γ = 0.5:
        // γ^t G_t = 0.5 at both steps, ∇log π = e_a − (½, ½).
        let e = TabularEpisode(states: [0, 1], actions: [0, 1], rewards: [0, 1])
        let g = reinforceTableGradient([e], theta: [0, 0, 0, 0], actions: 2, discount: 0.5)
        #expect(g == [0.25, -0.25, -0.25, 0.25])
        #expect(reinforceTableGradient([e, TabularEpisode()], theta: [0, 0, 0, 0], actions: 2, discount: 0.5) == [0.125, -0.125, -0.125, 0.125])
    }

    @Test func reinforceEstimateIsUnbiasedOnTheChain() throws {
        // Mean of many one-episode estimates ≈ the exact ∇V (λ = 0) of task 2 of the chain.
        var p = TwoTaskChain.Parameters()
        p.task = 2
        let model = try p.tabularModel()
        let mdp = FiniteMDP(model)
        let theta = [0.0, 0.0, 0.4, -0.2, -0.3, 0.5, 0.8, -0.6, 0.0, 0.0]
        let policy = try TabularSoftmaxPolicy(states: 5, actions: 2, theta: theta)
        var g = Xoshiro256StarStar(seed: 7)
        var episodes: [TabularEpisode] = []
        var row: [Double] = []
        for _ in 0..<40_000 {
            var e = TabularEpisode()
            var s = 2
            while !mdp.terminal[s] && e.states.count < 200 {
                let a = policy.sample(state: s, uniform: Double(g.next() >> 11) * 0x1p-53, scratch: &row)
                let u = Double(g.next() >> 11) * 0x1p-53
                var next = mdp.next[mdp.outcomes(s, a).lowerBound], total = 0.0
                for k in mdp.outcomes(s, a) { total += mdp.probability[k]; next = mdp.next[k]; if u < total { break } }
                e.states.append(s); e.actions.append(a); e.rewards.append(mdp.rewards[s * 2 + a])
                s = next
            }
            episodes.append(e)
        }
        let estimate = reinforceTableGradient(episodes, theta: theta, actions: 2, discount: 0.9)
        let exact = try regularizedGradient([mdp], theta: theta, discount: 0.9, lambda: 0)
        for k in exact.indices { #expect(abs(estimate[k] - exact[k]) < 0.02, "entry \(k): \(estimate[k]) vs \(exact[k])") }
        #expect(exact.map(abs).max()! > 0.1)
    }

    @Test func softmaxTableSamplesByInversionAndActsGreedily() throws {
        let p = try TabularSoftmaxPolicy(states: 1, actions: 3, theta: [0, log(2), log(3)])  // π = 1/6, 2/6, 3/6
        var row: [Double] = []
        #expect(p.sample(state: 0, uniform: 0.1, scratch: &row) == 0)
        #expect(p.sample(state: 0, uniform: 0.2, scratch: &row) == 1)
        #expect(p.sample(state: 0, uniform: 0.6, scratch: &row) == 2)
        #expect(p.greedyAction(state: 0) == 2)
        #expect(abs(row[2] - 0.5) < 1e-15)
        #expect(throws: TabularError.self) { try TabularSoftmaxPolicy(states: 2, actions: 3, theta: [0]) }
    }
}
