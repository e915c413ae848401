import ActorCritic
import Envs
import Foundation
import NeuralNets
import PolicyGradient
import Testing
import Training
import TrainingCatalogue

@Suite("Encoder conv in the policy-value learners: gradients through the encoders, the row, checkpoints, bad input")
struct ObservationEncoderTests {
    let registry = try! TaskRegistry.standard

    @Test func policyAndValueGradientsReachTheEncodersAndMatchFiniteDifferences() throws {
        // A 2×8×8 image, hidden [6, 5]: conv stack → 6 → 5 (the encoders' dense layers) → the MLPs.
        var model = try PolicyValueModel(observationSize: 128, actionSpace: .discrete(3), hidden: [6, 5], activation: .tanh, kind: .categorical,
                                         withCritic: true, seed: 5, batchCapacity: 2, image: (2, 8, 8))
        let e = try #require(model.encoder)
        #expect(model.actor.sizes == [5, 3] && model.critic?.sizes == [5, 1] && e.outputCount == 5)
        #expect(model.parameterCount == model.actor.parameters.count + model.critic!.parameters.count + e.parameters.count + model.criticEncoder!.parameters.count)
        var row: [Float] = []
        model.copyParameters(into: &row)
        var h = SplitMix64(seed: 9)
        for i in row.indices { row[i] = Float(Double(h.next() % 2001) / 2000 - 0.5) }
        try model.loadParameters(from: row)
        var back: [Float] = []
        model.copyParameters(into: &back)
        #expect(back == row)
        let observations = (0..<256).map { Float(($0 * 37) % 101) / 101 }
        let actions: [Float] = [2, 0], weights: [Float] = [0.7, -0.4], targets: [Float] = [0.3, -0.2]
        func loss(_ m: inout PolicyValueModel) throws -> Double {
            var lp: [Float] = [], v: [Float] = []
            try observations.withUnsafeBufferPointer {
                try m.logProbs(observations: $0, rawActions: actions, rows: 2, into: &lp)
                try m.values($0, rows: 2, into: &v)
            }
            var total = 0.0
            for r in 0..<2 { total += -Double(weights[r] * lp[r]) + 0.5 * Double((v[r] - targets[r]) * (v[r] - targets[r])) / 2 }
            return total
        }
        model.zeroGradients()
        try observations.withUnsafeBufferPointer {
            _ = try model.accumulatePolicyGradient(observations: $0, rawActions: actions, weights: weights, entropyCoefficient: 0, rows: 2)
            _ = try model.accumulateValueGradient(observations: $0, targets: targets, coefficient: 1, rows: 2)
        }
        // The analytic row in the parameter order: actor, critic, actor encoder, critic encoder.
        let analytic = model.actorGradient.values + model.criticGradient!.values + model.encoderGradient!.values + model.criticEncoderGradient!.values
        #expect(analytic.count == row.count)
        #expect(model.encoderGradient!.values.contains { abs($0) > 1e-4 } && model.criticEncoderGradient!.values.contains { abs($0) > 1e-4 })
        let eps: Float = 5e-3
        var worst = 0.0
        // About 240 parameters spread over every group (the whole row takes too long in a debug build).
        for i in stride(from: 3, to: row.count, by: row.count / 240) {
            var plus = row, minus = row
            plus[i] += eps; minus[i] -= eps
            try model.loadParameters(from: plus)
            let up = try loss(&model)
            try model.loadParameters(from: minus)
            let down = try loss(&model)
            let numeric = (up - down) / Double(2 * eps)
            worst = max(worst, abs(numeric - Double(analytic[i])) / max(2e-2, abs(numeric)))
        }
        #expect(worst < 3e-2, "largest relative error \(worst)")
    }

    @Test func a2cWithTheConvEncoderLearnsOnTheCameraAndCheckpointsRoundTrip() throws {
        var p = try registry.task("navigation/indoor-planar-v1").resolve(.object([("max_episode_steps", .integer(10))]), context: "test")
        p = p.setting("camera_width", to: .integer(16)).setting("camera_height", to: .integer(12))
        let task = try registry.task("navigation/indoor-planar-v1")
        let env = try task.makeVector(repeating: try task.resolve(p, context: "test"), count: 2, threads: 1)
        var config = A2CConfig()
        config.encoder = .conv
        config.hidden = [16]
        var learner = try A2CLearner(config: config, environment: env, tasks: TaskAssignment(taskOfRow: [0, 0]), seed: 1)
        #expect(learner.networkDescription["encoder"] == "conv")
        var before: [Float] = [], after: [Float] = []
        learner.copyParameters(into: &before)
        let report = try learner.learn(step: nil)
        learner.copyParameters(into: &after)
        #expect(report.updated)
        let e = try #require(learner.model.encoder)
        let start = after.count - e.parameters.count - learner.model.criticEncoder!.parameters.count
        #expect(after[start...] != before[start...], "the encoders learn")
        let tensors = learner.checkpointTensors()
        #expect(tensors.contains { $0.name == "actor.encoder.convs.0.weight" } && tensors.contains { $0.name == "optimizer.encoder.square_average" || $0.name.hasPrefix("optimizer.encoder.") })
        var fresh = try A2CLearner(config: config, environment: try task.makeVector(repeating: try task.resolve(p, context: "test"), count: 2, threads: 1),
                                   tasks: TaskAssignment(taskOfRow: [0, 0]), seed: 2)
        try fresh.restore(from: Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0.values) }))
        var restored: [Float] = []
        fresh.copyParameters(into: &restored)
        #expect(restored == after)
    }

    @Test func convOnAVectorObservationIsOneSentenceBeforeAnythingRuns() throws {
        for algorithm in ["a2c", "ppo", "reinforce"] {
            var c = RunConfig()
            c.algorithm = algorithm
            c.taskSet = "navigation-indoor-4-scan"
            c.algorithmSettings = .object([("encoder", .string("conv"))])
            do {
                _ = try RunPlan(config: c, registry: registry, algorithms: .standard)
                Issue.record("\(algorithm): no error")
            } catch {
                #expect("\(error)".contains("encoder conv needs image observations [channels, height, width]"), "\(error)")
            }
            c.algorithmSettings = .object([("encoder", .string("cnn"))])
            do {
                _ = try RunPlan(config: c, registry: registry, algorithms: .standard)
                Issue.record("\(algorithm): no error")
            } catch {
                #expect("\(error)".contains("'cnn' is not an encoder; valid: mlp, conv"), "\(error)")
            }
        }
    }
}
