import Testing
import Training

@Suite("Returns and advantages, on hand-computed values")
struct ReturnsTests {
    @Test func monteCarloAdvantagesOfEquation40() {
        // r = 1, 2, 3; γ = 0.5 → G = 1 + 0.5·(2 + 0.5·3) = 2.75, 2 + 1.5 = 3.5, 3.
        let a = monteCarloAdvantages(rewards: [1, 2, 3], values: [0.5, 1, 0], discount: 0.5)
        #expect(a == [2.25, 2.5, 3])
    }

    @Test func nStepTargetsBootstrapFromTheLastValue() {
        // One copy, three steps, no episode end, V(s_3) = 10, γ = 0.5:
        // t=2: 3 + 0.5·10 = 8; t=1: 2 + 0.5·8 = 6; t=0: 1 + 0.5·6 = 4.
        let t = nStepTargets(rewards: [1, 2, 3], terminated: [false, false, false], truncated: [false, false, false],
                             finalValues: [0, 0, 0], bootstrapValues: [10], count: 1, discount: 0.5)
        #expect(t == [4, 6, 8])
    }

    @Test("truncation bootstraps from V(final observation), termination from 0")
    func truncationBootstrapping() {
        // Two copies (interleaved time-major), two steps each. Copy 0 is truncated at step 0 with
        // V(final) = 4; copy 1 terminates at step 0 (its final value 100 must be ignored).
        let rewards: [Float] = [1, 1, 2, 2]
        let t = nStepTargets(rewards: rewards, terminated: [false, true, false, false], truncated: [true, false, false, false],
                             finalValues: [4, 100, 0, 0], bootstrapValues: [6, 6], count: 2, discount: 0.5)
        // Copy 0: step 1 → 2 + 0.5·6 = 5; step 0 → 1 + 0.5·4 = 3 (not 1 + 0.5·5).
        // Copy 1: step 1 → 5; step 0 → 1 + 0 = 1.
        #expect(t == [3, 1, 5, 5])
    }

    @Test("GAE, the estimator A2C and PPO use: a truncated step bootstraps from V(final observation), a terminated one from 0")
    func gaeTruncationBootstrapping() {
        // Two copies, two steps, γ = 0.5, λ = 0.5. Copy 0 is truncated at step 0 with V(final) = 4;
        // copy 1 terminates at step 0 (its final value 100 must be ignored). Values V(s_t) = 1 everywhere,
        // bootstrap V(s_T) = 6.
        let (adv, targets) = generalizedAdvantages(
            rewards: [1, 1, 2, 2], values: [1, 1, 1, 1], terminated: [false, true, false, false], truncated: [true, false, false, false],
            finalValues: [4, 100, 0, 0], bootstrapValues: [6, 6], count: 2, discount: 0.5, lambda: 0.5)
        // Step 1 (both copies): δ = 2 + 0.5·6 − 1 = 4, A = 4.
        // Copy 0, step 0: δ = 1 + 0.5·4 − 1 = 2 and nothing flows back across the boundary: A = 2.
        // Copy 1, step 0: δ = 1 + 0 − 1 = 0: A = 0.
        #expect(adv == [2, 0, 4, 4])
        #expect(targets == [3, 1, 5, 5])
    }

    @Test func gaeWithLambdaOneEqualsReturnsMinusValues() {
        let rewards: [Float] = [1, 0, 2, 1]
        let values: [Float] = [0.5, 0.25, 1, 0]
        let done = [false, false, false, false]
        let (adv, targets) = generalizedAdvantages(rewards: rewards, values: values, terminated: done, truncated: done,
                                                   finalValues: [0, 0, 0, 0], bootstrapValues: [2], count: 1, discount: 0.5, lambda: 1)
        let returns = nStepTargets(rewards: rewards, terminated: done, truncated: done, finalValues: [0, 0, 0, 0],
                                   bootstrapValues: [2], count: 1, discount: 0.5)
        for k in 0..<4 {
            #expect(abs(adv[k] - (returns[k] - values[k])) < 1e-6)
            #expect(abs(targets[k] - returns[k]) < 1e-6)
        }
        // λ = 0 gives the one-step TD error: δ_0 = 1 + 0.5·0.25 − 0.5 = 0.625.
        let (td, _) = generalizedAdvantages(rewards: rewards, values: values, terminated: done, truncated: done,
                                            finalValues: [0, 0, 0, 0], bootstrapValues: [2], count: 1, discount: 0.5, lambda: 0)
        #expect(td[0] == 0.625)
    }

    @Test func gaeStopsAtTermination() {
        let (adv, _) = generalizedAdvantages(rewards: [1, 1], values: [0, 0], terminated: [true, false], truncated: [false, false],
                                             finalValues: [0, 0], bootstrapValues: [3], count: 1, discount: 0.9, lambda: 0.95)
        #expect(adv[0] == 1)  // nothing flows back from the next episode
        #expect(abs(adv[1] - (1 + 0.9 * 3)) < 1e-6)
    }

    @Test func gpomdpWeightsKeepTheDiscountFromTheStart() {
        // ℓ = 1, 1, 1; γ = 0.5: w_0 = 1 + 0.5 + 0.25, w_1 = 0.5 + 0.25, w_2 = 0.25.
        #expect(gpomdpWeights(rewards: [1, 1, 1], discount: 0.5) == [1.75, 0.75, 0.25])
    }
}
