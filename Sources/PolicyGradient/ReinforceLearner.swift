import Envs
import NeuralNets
import Training

/// REINFORCE with the G(PO)MDP gradient of the LAPG paper (002, eq. 9–10): per update, N whole
/// trajectories and `∇ = 1/N Σ_n Σ_τ ∇log π(a_τ|s_τ) · Σ_{t≥τ} γ^t r_t` (``gpomdpWeights``), with
/// heavy-ball momentum `θ ← θ + α∇ + β(θ − θ_prev)`. No critic.
///
/// With the `central` strategy a controller averages the learners' steps, which is LAPG's
/// full-communication baseline (Alg. 1); since every learner then holds the same θ, averaging
/// their momentum steps equals heavy-ball on the averaged gradient. Paper 002's own setting — M
/// learners acting together in one multi-agent task, a controller with momentum, condition (16)
/// with σ²_m estimated — is algorithm `pg` (``DistributedPGConfig``, ``DistributedPGRun``).
public struct ReinforceLearner: PolicyValueLearner {
    public let config: ReinforceConfig
    public var model: PolicyValueModel
    public var optimizers: ModelOptimizers<HeavyBallMomentum>
    public var experience: LearnerEnvironment
    var collector: EpisodeCollector

    public init(config: ReinforceConfig, environment: any VectorEnvironment, tasks: TaskAssignment, seed: UInt64) throws {
        if let problem = config.validationProblem() { throw TrainingError(problem) }
        self.config = config
        let o = environment.observationSpace.size
        let kind: PolicyKind = environment.actionSpace.isDiscrete ? .categorical : .gaussianLogStd
        model = try PolicyValueModel(observationSize: o, actionSpace: environment.actionSpace, hidden: config.hidden,
                                     activation: config.activation, kind: kind, withCritic: false, seed: seed, batchCapacity: environment.count,
                                     image: try config.encoder.image(for: environment.observationSpace))
        optimizers = ModelOptimizers { HeavyBallMomentum(schedule: .constant(config.learningRate), momentum: config.momentum) }
        collector = EpisodeCollector(tasks: tasks, observationSize: o, actionSize: model.actionSize)
        experience = LearnerEnvironment(environment: environment, tasks: tasks, seed: seed)
    }


    public mutating func restart(seed: UInt64) {
        experience.restart(seed: seed)
        collector.discardInProgress()
    }

    public mutating func learn(step: UnsafeMutableBufferPointer<Float>?) throws -> LearnerReport {
        var report = LearnerReport()
        let wanted = max(config.trajectoriesPerUpdate, experience.count)
        let (collected, steps) = try collector.collect(wanted, experience: &experience, model: &model)
        let episodes = Array(collected.prefix(wanted))
        report.environmentSteps = steps
        report.episodes = collected.map { ($0.task, Double($0.rewards.reduce(0, +)), $0.length) }
        if experience.environment.episodeMetricName != nil { report.episodeMetrics = collected.map(\.metric) }
        // G(PO)MDP weights (eq. 9), averaged over the N trajectories (eq. 10).
        let observations = episodes.flatMap(\.observations)
        let rawActions = episodes.flatMap(\.rawActions)
        let rows = episodes.reduce(0) { $0 + $1.length }
        let n = Float(episodes.count)
        let weights = episodes.flatMap { gpomdpWeights(rewards: $0.rewards, discount: config.discount) }.map { $0 / n }
        try model.reserve(rows: rows)
        model.zeroGradients()
        let (_, entropy) = try observations.withUnsafeBufferPointer {
            try model.accumulatePolicyGradient(observations: $0, rawActions: rawActions, weights: weights, entropyCoefficient: 0, rows: rows)
        }
        try applyGradients(maxNorm: config.maxGradientNorm, step: step, report: &report)
        report.diagnostics.record(.entropy, entropy)
        return report
    }

    public mutating func withModelAndOptimizers<R>(
        _ body: (inout PolicyValueModel, inout ModelOptimizers<ModelOptimizer>) throws -> R
    ) rethrows -> R {
        try body(&model, &optimizers)
    }
}
