import Envs
import NeuralNets
import Training

/// Synchronous advantage actor-critic (A2C): every update uses `stepsPerUpdate` transitions of
/// every copy in the learner's batch, multi-step advantages (Diff-DAC paper 000, eq. 45, or GAE),
/// an entropy bonus, and RMSProp.
///
/// One learner per agent. Centralised A2C is one learner whose batch holds every task; Diff-A2C
/// is one learner per task whose parameters a ``Cohort`` diffuses after each update.
///
/// Phases of ``learn(step:)``: collect (act, step, record ends and V(final observation) of
/// truncated rows) → bootstrap (V of the last observations) → advantages (eq. 45) → update
/// (policy, entropy and value gradients; joint clipping; RMSProp) → report.
public struct A2CLearner: PolicyValueLearner {
    public let config: A2CConfig
    public var model: PolicyValueModel
    public var optimizers: ModelOptimizers<RMSProp>
    var environment: any VectorEnvironment
    var batch: StepBatch
    var rollout: Rollout
    public let tasks: TaskAssignment
    var generator: RandomGenerator
    // Workspaces reused by every update.
    var actions: [Float] = []
    var raw: [Float] = []
    var values: [Float] = []
    var bootstrap: [Float] = []
    var single: [Float] = []

    /// A learner on `environment` (already built with its copies), seeded with `seed`.
    public init(config: A2CConfig, environment: any VectorEnvironment, tasks: TaskAssignment, seed: UInt64) throws {
        if let problem = config.validationProblem() { throw TrainingError(problem) }
        self.config = config
        self.environment = environment
        self.tasks = tasks
        let n = environment.count, o = environment.observationSpace.size
        let kind: PolicyKind = environment.actionSpace.isDiscrete ? .categorical : .gaussianLogStd
        model = try PolicyValueModel(observationSize: o, actionSpace: environment.actionSpace, hidden: config.hidden,
                                     activation: config.activation, kind: kind, withCritic: true, seed: seed,
                                     batchCapacity: n * config.stepsPerUpdate)
        optimizers = ModelOptimizers { RMSProp(learningRate: config.learningRate, alpha: config.rmspropAlpha, epsilon: config.rmspropEpsilon) }
        rollout = Rollout(steps: config.stepsPerUpdate, count: n, observationSize: o, actionSize: model.actionSize)
        generator = RandomGenerator(seed: seed, index: 1 << 50)
        batch = self.environment.reset(seed: seed)
    }


    /// Restarts every copy's episode from `seed` and reseeds the action sampler (segment starts).
    public mutating func restart(seed: UInt64) {
        batch = environment.reset(seed: seed)
        generator = RandomGenerator(seed: seed, index: 1 << 50)
    }

    public mutating func learn(step: UnsafeMutableBufferPointer<Float>?) throws -> LearnerReport {
        var report = LearnerReport()
        let n = environment.count, o = rollout.observationSize, a = rollout.actionSize, T = rollout.steps
        // Collect.
        for t in 0..<T {
            let base = t * n
            for i in 0..<(n * o) { rollout.observations[base * o + i] = batch.observations[i] }
            try rollout.observations.withUnsafeBufferPointer { obs in
                try model.act(UnsafeBufferPointer(rebasing: obs[(base * o)..<((base + n) * o)]), rows: n, greedy: false,
                              generator: &generator, raw: &raw, actions: &actions)
            }
            for i in 0..<(n * a) { rollout.rawActions[base * a + i] = raw[i] }
            try environment.step(actions, into: &batch)
            for r in 0..<n {
                let k = base + r
                rollout.rewards[k] = batch.rewards[r]
                rollout.terminated[k] = batch.terminated[r]
                rollout.truncated[k] = batch.truncated[r]
                rollout.finalValues[k] = 0
                if batch.truncated[r] && !batch.terminated[r] {
                    let final = Array(batch.finalObservation(r))
                    try final.withUnsafeBufferPointer { try model.values($0, rows: 1, into: &single) }
                    rollout.finalValues[k] = single[0]
                }
                if batch.terminated[r] || batch.truncated[r] {
                    report.episodes.append((tasks.taskOfRow[r], Double(batch.episodes.returns[r]), Int(batch.episodes.lengths[r])))
                }
            }
        }
        report.environmentSteps = n * T
        // Bootstrap and advantages.
        try batch.observations.withUnsafeBufferPointer { try model.values($0, rows: n, into: &bootstrap) }
        try rollout.observations.withUnsafeBufferPointer { try model.values($0, rows: n * T, into: &values) }
        let (advantages, targets) = generalizedAdvantages(
            rewards: rollout.rewards, values: values, terminated: rollout.terminated, truncated: rollout.truncated,
            finalValues: rollout.finalValues, bootstrapValues: bootstrap, count: n, discount: config.discount, lambda: config.gaeLambda)
        // Update.
        model.zeroGradients()
        let rows = n * T
        let weights = advantages.map { $0 / Float(rows) }
        let (logProb, entropy) = try rollout.observations.withUnsafeBufferPointer {
            try model.accumulatePolicyGradient(observations: $0, rawActions: rollout.rawActions, weights: weights,
                                               entropyCoefficient: config.entropyCoefficient, rows: rows)
        }
        let valueError = try rollout.observations.withUnsafeBufferPointer {
            try model.accumulateValueGradient(observations: $0, targets: targets, coefficient: 2 * config.valueCoefficient, rows: rows)
        }
        try applyGradients(maxNorm: config.maxGradientNorm, step: step, report: &report)
        let meanAdvantage = advantages.reduce(0, +) / Float(rows)
        report.scalars += [("loss/value", valueError), ("policy/entropy", entropy), ("policy/log_prob", logProb),
                           ("advantage/mean", Double(meanAdvantage))]
        return report
    }

    public mutating func withModelAndOptimizers<R>(
        _ body: (inout PolicyValueModel, inout ModelOptimizers<ModelOptimizer>) throws -> R
    ) rethrows -> R {
        try body(&model, &optimizers)
    }
}
