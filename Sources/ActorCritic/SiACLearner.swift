import Envs
import NeuralNets
import Training

/// The simple actor-critic of the Diff-DAC paper (000, §IV-D): after every `episodesPerUpdate`
/// episodes per copy, one learning step on all their transitions with the Monte-Carlo advantage
/// `Â_t = Σ_{j≥t} γ^{j−t} r_{j+1} − v(s_t)` (eq. 40), the critic regressed on the returns
/// (eq. 41/43) and the actor ascending `log π · Â` plus an entropy bonus (eq. 42/44), both with
/// Adam. The advantages are deliberately biased and correlated: SiAC is the paper's probe of the
/// stabilising effect of diffusion.
///
/// Phases of ``learn(step:)``: collect whole episodes → returns and advantages (eq. 40) →
/// critic and actor gradients averaged over the transitions → Adam → report.
public struct SiACLearner: PolicyValueLearner {
    public let config: SiACConfig
    public var model: PolicyValueModel
    public var optimizers: ModelOptimizers<Adam>
    public var experience: LearnerEnvironment
    var collector: EpisodeCollector

    public init(config: SiACConfig, environment: any VectorEnvironment, tasks: TaskAssignment, seed: UInt64) throws {
        if let problem = config.validationProblem() { throw TrainingError(problem) }
        self.config = config
        let o = environment.observationSpace.size
        let kind: PolicyKind = environment.actionSpace.isDiscrete ? .categorical : .gaussianTanhSoftplus
        model = try PolicyValueModel(observationSize: o, actionSpace: environment.actionSpace, hidden: config.hidden,
                                     activation: config.activation, kind: kind, withCritic: true, seed: seed, batchCapacity: environment.count,
                                     image: try config.encoder.image(for: environment.observationSpace))
        optimizers = ModelOptimizers(actor: Adam(learningRate: config.actorLearningRate), critic: Adam(learningRate: config.criticLearningRate))
        collector = EpisodeCollector(tasks: tasks, observationSize: o, actionSize: model.actionSize)
        experience = LearnerEnvironment(environment: environment, tasks: tasks, seed: seed)
    }


    public mutating func restart(seed: UInt64) {
        experience.restart(seed: seed)
        collector.discardInProgress()
    }

    public mutating func learn(step: UnsafeMutableBufferPointer<Float>?) throws -> LearnerReport {
        var report = LearnerReport()
        // Collect whole episodes.
        let (episodes, steps) = try collector.collect(config.episodesPerUpdate * experience.count, experience: &experience, model: &model)
        report.environmentSteps = steps
        report.episodes = episodes.map { ($0.task, Double($0.rewards.reduce(0, +)), $0.length) }
        // Returns and advantages (eq. 40), over the transitions of all episodes.
        let observations = episodes.flatMap(\.observations)
        let rawActions = episodes.flatMap(\.rawActions)
        let rows = episodes.reduce(0) { $0 + $1.length }
        var values: [Float] = []
        try model.reserve(rows: rows)
        try observations.withUnsafeBufferPointer { try model.values($0, rows: rows, into: &values) }
        var advantages: [Float] = []
        advantages.reserveCapacity(rows)
        var start = 0
        for e in episodes {
            advantages += monteCarloAdvantages(rewards: e.rewards, values: Array(values[start..<(start + e.length)]), discount: config.discount)
            start += e.length
        }
        let returns = zip(advantages, values).map { $0 + $1 }
        // Gradients averaged over the transitions (eq. 43–44), then Adam.
        model.zeroGradients()
        let (_, entropy) = try observations.withUnsafeBufferPointer {
            try model.accumulatePolicyGradient(observations: $0, rawActions: rawActions, weights: advantages.map { $0 / Float(rows) },
                                               entropyCoefficient: config.entropyCoefficient, rows: rows)
        }
        let valueError = try observations.withUnsafeBufferPointer {
            try model.accumulateValueGradient(observations: $0, targets: returns, coefficient: 1, rows: rows)
        }
        try applyGradients(maxNorm: config.maxGradientNorm, step: step, report: &report)
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
