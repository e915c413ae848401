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
/// Phases of ``learn(step:)``: collect (act, step, record ends and the final observations of
/// truncated rows) → bootstrap (V of the last observations, V of the final observations in one
/// batch) → advantages (eq. 45) → update (policy, entropy and value gradients; joint clipping;
/// RMSProp) → report.
public struct A2CLearner: PolicyValueLearner {
    public let config: A2CConfig
    public var model: PolicyValueModel
    public var optimizers: ModelOptimizers<RMSProp>
    public var experience: LearnerEnvironment
    var rollout: Rollout
    // Workspaces reused by every update.
    var actions: [Float] = []
    var raw: [Float] = []
    var values: [Float] = []
    var bootstrap: [Float] = []
    var finalObservations: [Float] = []
    var finalIndices: [Int] = []
    var finalValues: [Float] = []

    /// A learner on `environment` (already built with its copies), seeded with `seed`.
    public init(config: A2CConfig, environment: any VectorEnvironment, tasks: TaskAssignment, seed: UInt64) throws {
        if let problem = config.validationProblem() { throw TrainingError(problem) }
        self.config = config
        let n = environment.count, o = environment.observationSpace.size
        let kind: PolicyKind = environment.actionSpace.isDiscrete ? .categorical : .gaussianLogStd
        model = try PolicyValueModel(observationSize: o, actionSpace: environment.actionSpace, hidden: config.hidden,
                                     activation: config.activation, kind: kind, withCritic: true, seed: seed,
                                     batchCapacity: n * config.stepsPerUpdate,
                                     image: try config.encoder.image(for: environment.observationSpace))
        optimizers = ModelOptimizers { RMSProp(learningRate: config.learningRate, alpha: config.rmspropAlpha, epsilon: config.rmspropEpsilon) }
        rollout = Rollout(steps: config.stepsPerUpdate, count: n, observationSize: o, actionSize: model.actionSize)
        experience = LearnerEnvironment(environment: environment, tasks: tasks, seed: seed)
    }

    public mutating func learn(step: UnsafeMutableBufferPointer<Float>?) throws -> LearnerReport {
        var report = LearnerReport()
        let n = experience.count
        // Collect.
        try collectRollout(&rollout, experience: &experience, model: &model, raw: &raw, actions: &actions,
                           finalObservations: &finalObservations, finalIndices: &finalIndices, report: &report)
        // Bootstrap (one batched value call for every truncated row) and advantages.
        try finishRollout(&rollout, model: &model, finalObservations: finalObservations, finalIndices: finalIndices, finalValues: &finalValues)
        try experience.batch.observations.withUnsafeBufferPointer { try model.values($0, rows: n, into: &bootstrap) }
        let rows = rollout.steps * n
        try rollout.observations.withUnsafeBufferPointer { try model.values($0, rows: rows, into: &values) }
        let (advantages, targets) = generalizedAdvantages(
            rewards: rollout.rewards, values: values, terminated: rollout.terminated, truncated: rollout.truncated,
            finalValues: rollout.finalValues, bootstrapValues: bootstrap, count: n, discount: config.discount, lambda: config.gaeLambda)
        // Update.
        model.zeroGradients()
        let scale = 1 / Float(rows)
        var policyLoss = 0.0
        let (_, entropy) = try rollout.observations.withUnsafeBufferPointer {
            try model.accumulatePolicyGradient(observations: $0, rawActions: rollout.rawActions, entropyCoefficient: config.entropyCoefficient,
                                               rows: rows) { logProbs, w in
                var loss = 0.0
                for i in 0..<rows {
                    w[i] = advantages[i] * scale
                    loss -= Double(advantages[i] * logProbs[i])
                }
                policyLoss = loss / Double(rows)
            }
        }
        let valueError = try rollout.observations.withUnsafeBufferPointer {
            try model.accumulateValueGradient(observations: $0, targets: targets, coefficient: 2 * config.valueCoefficient, rows: rows)
        }
        try applyGradients(maxNorm: config.maxGradientNorm, step: step, report: &report)
        report.diagnostics.record(.policyLoss, policyLoss)
        report.diagnostics.record(.valueLoss, valueError)
        report.diagnostics.record(.entropy, entropy)
        return report
    }

    public mutating func withModelAndOptimizers<R>(
        _ body: (inout PolicyValueModel, inout ModelOptimizers<ModelOptimizer>) throws -> R
    ) rethrows -> R {
        try body(&model, &optimizers)
    }
}
