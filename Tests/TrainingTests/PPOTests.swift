@testable import ActorCritic
import Envs
import EnvsTesting
import Foundation
import Testing
import Training
import TrainingCatalogue

@Suite("PPO: the clipped objective, learning the trivial tasks, determinism and resumption")
struct PPOTests {
    @Test("the clipped surrogate and its gradient on hand-computed values")
    func clippedSurrogateGolden() {
        // Ratios 1.5, 0.5, 1.1, 0.7 with advantages 1, 1, −1, −1 and ε = 0.2:
        // min terms 1.2, 0.5, −1.1, −0.8 → loss −(−0.2)/4 = 0.05; rows 0 and 3 sit on the clipped
        // constant (no gradient); rows 0, 1 and 3 have |r − 1| > ε.
        let logProbs: [Float] = [log(1.5), log(0.5), log(1.1), log(0.7)]
        let old: [Float] = [0, 0, 0, 0]
        let advantages: [Float] = [1, 1, -1, -1]
        var weights = [Float](repeating: 9, count: 4)
        let s = clippedSurrogate(logProbs: logProbs, oldLogProbs: old, advantages: advantages, clipRange: 0.2, weights: &weights)
        #expect(abs(s.loss - 0.05) < 1e-6)
        #expect(s.clipFraction == 0.75)
        let kl = ((0.5 - log(1.5)) + (-0.5 - log(0.5)) + (0.1 - log(1.1)) + (-0.3 - log(0.7))) / 4
        #expect(abs(s.approxKL - kl) < 1e-6)
        #expect(weights[0] == 0 && weights[3] == 0)
        #expect(abs(weights[1] - 0.125) < 1e-6 && abs(weights[2] + 0.275) < 1e-6)
        // ∂loss/∂log π_i = −w_i, by central differences.
        for i in 0..<4 {
            var plus = logProbs, minus = logProbs
            plus[i] += 1e-3; minus[i] -= 1e-3
            var w = weights
            let lp = clippedSurrogate(logProbs: plus, oldLogProbs: old, advantages: advantages, clipRange: 0.2, weights: &w).loss
            let lm = clippedSurrogate(logProbs: minus, oldLogProbs: old, advantages: advantages, clipRange: 0.2, weights: &w).loss
            #expect(abs((lp - lm) / 2e-3 + Double(weights[i])) < 1e-3, "row \(i)")
        }
    }

    @Test("the value loss, clipped around the rollout's values as Stable-Baselines3 does")
    func clippedValueLossGolden() {
        var gradient = [Float](repeating: 0, count: 3)
        let values: [Float] = [1, 2, 3]
        let mse = values.withUnsafeBufferPointer {
            clippedValueLoss(values: $0, oldValues: [1, 1, 1], returns: [0, 0, 0], clipRange: 0.5, coefficient: 0.5, gradient: &gradient)
        }
        // Predictions 1, 1.5, 1.5 (the last two clipped, so without gradient).
        #expect(abs(mse - (1 + 2.25 + 2.25) / 3) < 1e-6)
        #expect(abs(gradient[0] - 1.0 / 3.0) < 1e-6 && gradient[1] == 0 && gradient[2] == 0)
        let unclipped = values.withUnsafeBufferPointer {
            clippedValueLoss(values: $0, oldValues: [1, 1, 1], returns: [0, 0, 0], clipRange: 0, coefficient: 0.5, gradient: &gradient)
        }
        #expect(abs(unclipped - 14.0 / 3.0) < 1e-6)
        #expect(abs(gradient[2] - 1) < 1e-6)
        var a: ArraySlice<Float> = [1, 2, 3]
        normalizedAdvantages(&a)
        #expect(a.map { abs($0 - [-1, 0, 1][a.firstIndex(of: $0)! - a.startIndex]) < 1e-6 } == [true, true, true])
    }

    func meanReturn(task: String, config: PPOConfig, updates: Int, copies: Int = 8, seed: UInt64 = 1) throws -> (first: Double, last: Double) {
        let registry = try TaskRegistry().adding(TaskRegistry.testingTasks)
        let env = try registry.make(task, count: copies)
        var learner = try PPOLearner(config: config, environment: env, tasks: TaskAssignment(taskOfRow: [Int](repeating: 0, count: copies)), seed: seed)
        var returns: [Double] = []
        for _ in 0..<updates { returns += try learner.learn(step: nil).episodes.map(\.episodeReturn) }
        let k = max(1, returns.count / 5)
        return (returns.prefix(k).reduce(0, +) / Double(k), returns.suffix(k).reduce(0, +) / Double(k))
    }

    func small() -> PPOConfig {
        var c = PPOConfig()
        c.stepsPerRollout = 16
        c.minibatchSize = 32
        c.epochs = 4
        c.learningRate = 3e-3
        c.hidden = [16]
        return c
    }

    @Test func learnsIdentity() throws {
        let (first, last) = try meanReturn(task: "testing/identity-v1", config: small(), updates: 60)
        // A uniform policy earns 10/4 = 2.5; the optimum is 10.
        #expect(first < 6)
        #expect(last > 9, "first \(first), last \(last)")
    }

    @Test func learnsTarget() throws {
        let (first, last) = try meanReturn(task: "testing/target-v1", config: small(), updates: 80)
        #expect(last > -1.0, "first \(first), last \(last)")
        #expect(last > first)
    }

    @Test("a truncated episode's last step bootstraps from V(final observation)")
    func truncationBootstrapsFromTheFinalObservation() throws {
        let registry = try TaskRegistry().adding(TaskRegistry.testingTasks)
        var config = A2CConfig()
        config.stepsPerUpdate = 10   // identity episodes last 10 steps: every row truncates at step 9
        config.hidden = [8]
        var learner = try A2CLearner(config: config, environment: try registry.make("testing/identity-v1", count: 3),
                                     tasks: TaskAssignment(taskOfRow: [0, 0, 0]), seed: 4)
        var report = LearnerReport()
        try collectRollout(&learner.rollout, experience: &learner.experience, model: &learner.model, raw: &learner.raw,
                           actions: &learner.actions, finalObservations: &learner.finalObservations, finalIndices: &learner.finalIndices,
                           report: &report)
        #expect(learner.finalIndices == [27, 28, 29])
        try finishRollout(&learner.rollout, model: &learner.model, finalObservations: learner.finalObservations,
                          finalIndices: learner.finalIndices, finalValues: &learner.finalValues)
        for (j, k) in learner.finalIndices.enumerated() {
            var v: [Float] = []
            let obs = Array(learner.finalObservations[(j * 4)..<((j + 1) * 4)])
            try obs.withUnsafeBufferPointer { try learner.model.values($0, rows: 1, into: &v) }
            #expect(learner.rollout.truncated[k] && !learner.rollout.terminated[k])
            #expect(abs(learner.rollout.finalValues[k] - v[0]) < 1e-6)
            #expect(learner.rollout.finalValues[k] != 0)
        }
    }
}
