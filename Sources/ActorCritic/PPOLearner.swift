import Envs
import NeuralNets
import Training

/// Proximal policy optimisation with the clipped surrogate (Schulman et al. 2017), as
/// Stable-Baselines3's `PPO`: a rollout of `stepsPerRollout` steps of every copy, GAE(λ)
/// advantages bootstrapped from V(final observation) on truncated steps, then `epochs` passes
/// of shuffled minibatches with per-minibatch advantage normalisation, the clipped policy loss,
/// the (optionally clipped) value loss, an entropy bonus, global-norm clipping and Adam;
/// optionally stopping the epochs early when the approximate KL exceeds 1.5 × `targetKL`.
///
/// With a strategy that applies steps itself (central, consensus), the whole update's change
/// of the parameters is the proposed step.
///
/// Phases of ``learn(step:)``: collect → bootstrap and GAE → old log-probabilities and values
/// → epochs of minibatches (normalise, surrogate, value loss, Adam) → report.
public struct PPOLearner: PolicyValueLearner {
    public let config: PPOConfig
    public var model: PolicyValueModel
    public var optimizers: ModelOptimizers<Adam>
    public var experience: LearnerEnvironment
    var rollout: Rollout
    /// Minibatch shuffling, stream ``RandomStream/updates`` of the learner's seed.
    var shuffler: RandomGenerator
    let seed: UInt64
    var environmentSteps = 0
    // Workspaces.
    var actions: [Float] = [], raw: [Float] = []
    var finalObservations: [Float] = [], finalIndices: [Int] = [], finalValues: [Float] = []
    var bootstrap: [Float] = [], values: [Float] = [], oldLogProbs: [Float] = []
    var order: [Int] = []
    var mbObservations: [Float] = [], mbRaw: [Float] = [], mbAdvantages: [Float] = [], mbOldLogProbs: [Float] = []
    var mbReturns: [Float] = [], mbOldValues: [Float] = [], mbWeights: [Float] = []

    public init(config: PPOConfig, environment: any VectorEnvironment, tasks: TaskAssignment, seed: UInt64) throws {
        if let problem = config.validationProblem() { throw TrainingError(problem) }
        self.config = config
        self.seed = seed
        let n = environment.count, o = environment.observationSpace.size
        let kind: PolicyKind = environment.actionSpace.isDiscrete ? .categorical : .gaussianLogStd
        model = try PolicyValueModel(observationSize: o, actionSpace: environment.actionSpace, hidden: config.hidden,
                                     activation: config.activation, kind: kind, withCritic: true, seed: seed,
                                     batchCapacity: max(n, min(n * config.stepsPerRollout, config.minibatchSize)),
                                     image: try config.encoder.image(for: environment.observationSpace))
        if let l = model.logStd { try model.logStd!.setValues([Float](repeating: config.logStdInit, count: l.count)) }
        let rowsPerRollout = n * config.stepsPerRollout
        let minibatches = (rowsPerRollout + config.minibatchSize - 1) / config.minibatchSize
        let schedule: LearningRateSchedule = config.annealSteps > 0
            ? .linearDecay(initial: config.learningRate, final: 0,
                           steps: max(1, config.annealSteps / rowsPerRollout) * config.epochs * minibatches)
            : .constant(config.learningRate)
        optimizers = ModelOptimizers { Adam(schedule: schedule, epsilon: config.adamEpsilon) }
        rollout = Rollout(steps: config.stepsPerRollout, count: n, observationSize: o, actionSize: model.actionSize)
        experience = LearnerEnvironment(environment: environment, tasks: tasks, seed: seed)
        shuffler = RandomGenerator(seed: seed, index: RandomStream.updates)
    }

    public mutating func restart(seed: UInt64) {
        experience.restart(seed: seed)
        shuffler = RandomGenerator(seed: seed, index: RandomStream.updates)
    }

    /// The clip range after `environmentSteps` (decays with the learning rate when annealing).
    var currentClipRange: Float {
        guard config.annealSteps > 0 else { return config.clipRange }
        return config.clipRange * max(0, 1 - Float(environmentSteps) / Float(config.annealSteps))
    }

    public mutating func learn(step: UnsafeMutableBufferPointer<Float>?) throws -> LearnerReport {
        var report = LearnerReport()
        let n = experience.count, o = rollout.observationSize, a = rollout.actionSize
        let rows = rollout.steps * n
        // Collect, bootstrap, GAE.
        try collectRollout(&rollout, experience: &experience, model: &model, raw: &raw, actions: &actions,
                           finalObservations: &finalObservations, finalIndices: &finalIndices, report: &report)
        try finishRollout(&rollout, model: &model, finalObservations: finalObservations, finalIndices: finalIndices, finalValues: &finalValues)
        try model.reserve(rows: rows)
        try experience.batch.observations.withUnsafeBufferPointer { try model.values($0, rows: n, into: &bootstrap) }
        try rollout.observations.withUnsafeBufferPointer { try model.values($0, rows: rows, into: &values) }
        try rollout.observations.withUnsafeBufferPointer {
            try model.logProbs(observations: $0, rawActions: rollout.rawActions, rows: rows, into: &oldLogProbs)
        }
        let (advantages, returns) = generalizedAdvantages(
            rewards: rollout.rewards, values: values, terminated: rollout.terminated, truncated: rollout.truncated,
            finalValues: rollout.finalValues, bootstrapValues: bootstrap, count: n, discount: config.discount, lambda: config.gaeLambda)
        // Epochs of shuffled minibatches.
        var before: [Float] = []
        if step != nil { model.copyParameters(into: &before) }
        let clip = currentClipRange
        if order.count != rows { order = Array(0..<rows) }
        var policyLoss = 0.0, valueLoss = 0.0, entropy = 0.0, clipFraction = 0.0, approxKL = 0.0, minibatches = 0
        var stopped = false
        for _ in 0..<config.epochs where !stopped {
            for i in 0..<order.count { order[i] = i }
            for i in stride(from: rows - 1, to: 0, by: -1) { order.swapAt(i, shuffler.below(i + 1)) }
            var start = 0
            while start < rows {
                let m = min(config.minibatchSize, rows - start)
                gather(m: m, from: start, o: o, a: a, advantages: advantages, returns: returns)
                if config.normalizeAdvantage { normalizedAdvantages(&mbAdvantages[0..<m]) }
                model.zeroGradients()
                var stats = (loss: 0.0, clipFraction: 0.0, approxKL: 0.0)
                let adv = mbAdvantages, old = mbOldLogProbs
                // Moved out and back (not copied), so the minibatch loop allocates nothing.
                var weights: [Float] = []
                swap(&weights, &mbWeights)
                let (_, meanEntropy) = try mbObservations.withUnsafeBufferPointer {
                    try model.accumulatePolicyGradient(observations: $0, rawActions: mbRaw, entropyCoefficient: config.entropyCoefficient,
                                                       rows: m) { logProbs, w in
                        stats = clippedSurrogate(logProbs: logProbs, oldLogProbs: old, advantages: adv, clipRange: clip, weights: &weights)
                        for i in 0..<m { w[i] = weights[i] }
                    }
                }
                swap(&weights, &mbWeights)
                if config.targetKL > 0 && stats.approxKL > 1.5 * Double(config.targetKL) {
                    stopped = true
                    approxKL += stats.approxKL
                    break
                }
                let oldValues = mbOldValues, targets = mbReturns
                let valueClip = config.valueClipRange, valueCoefficient = config.valueCoefficient
                let mse = try mbObservations.withUnsafeBufferPointer {
                    try model.accumulateValueGradient(observations: $0, rows: m) { v, gradient in
                        clippedValueLoss(values: v, oldValues: oldValues, returns: targets, clipRange: valueClip,
                                         coefficient: valueCoefficient, gradient: &gradient)
                    }
                }
                try applyGradients(maxNorm: config.maxGradientNorm, step: nil, report: &report)
                policyLoss += stats.loss; valueLoss += mse; entropy += meanEntropy
                clipFraction += stats.clipFraction; approxKL += stats.approxKL
                minibatches += 1
                start += m
            }
        }
        environmentSteps += report.environmentSteps
        if let step {
            var after: [Float] = []
            model.copyParameters(into: &after)
            for i in 0..<after.count { step[i] = after[i] - before[i] }
            try model.loadParameters(from: before)
            report.updated = minibatches > 0
        }
        let k = Double(max(1, minibatches))
        report.diagnostics.record(.policyLoss, policyLoss / k)
        report.diagnostics.record(.valueLoss, valueLoss / k)
        report.diagnostics.record(.entropy, entropy / k)
        report.diagnostics.record(.clipFraction, clipFraction / k)
        report.diagnostics.record(.approxKL, approxKL / Double(max(1, minibatches + (stopped ? 1 : 0))))
        return report
    }

    /// Copies the minibatch rows `order[start ..< start + m]` into the contiguous minibatch buffers.
    mutating func gather(m: Int, from start: Int, o: Int, a: Int, advantages: [Float], returns: [Float]) {
        func size(_ buffer: inout [Float], _ count: Int) { if buffer.count != count { buffer = [Float](repeating: 0, count: count) } }
        size(&mbObservations, m * o); size(&mbRaw, m * a); size(&mbAdvantages, m); size(&mbOldLogProbs, m)
        size(&mbReturns, m); size(&mbOldValues, m); size(&mbWeights, m)
        for j in 0..<m {
            let r = order[start + j]
            for d in 0..<o { mbObservations[j * o + d] = rollout.observations[r * o + d] }
            for d in 0..<a { mbRaw[j * a + d] = rollout.rawActions[r * a + d] }
            mbAdvantages[j] = advantages[r]
            mbOldLogProbs[j] = oldLogProbs[r]
            mbReturns[j] = returns[r]
            mbOldValues[j] = values[r]
        }
    }

    public mutating func withModelAndOptimizers<R>(
        _ body: (inout PolicyValueModel, inout ModelOptimizers<ModelOptimizer>) throws -> R
    ) rethrows -> R {
        try body(&model, &optimizers)
    }
}
