/// Every scalar a training run logs, named once (DESIGN §5): the JSON Lines keys, the CSV
/// columns and the TensorBoard tags all come from this list. Steps are environment steps.
public enum Metric: String, CaseIterable, Sendable {
    case round
    case envSteps = "env_steps"
    case wallSeconds = "wall_seconds"
    /// Mean return of the training episodes that ended in the interval.
    case episodeReturn = "train/episode_return"
    /// Mean discounted return Σ_t γ^t r_t of those episodes, paper 003's μ^reward (§3.2), for the
    /// algorithms that discount their episodes' returns (ES's F, the value-based algorithms).
    case discountedReturn = "train/discounted_return"
    /// Mean length of those episodes.
    case episodeLength = "train/episode_length"
    /// How many ended.
    case episodes = "train/episodes"
    /// Mean over agents of their last `return_window` training returns (what the stop rule reads).
    case meanRecentReturn = "train/mean_recent_return"
    /// Mean over tasks of each task's return in the interval (not biased toward short episodes).
    case taskMeanReturn = "train/task_mean_return"
    /// Mean safe flight of the training episodes that ended in the interval: metres flown before
    /// a crash (the navigation family's episode metric `safe_flight`; PEDRA's MSF, paper 001 §5.2).
    case safeFlight = "train/safe_flight"
    /// Updates rejected because the gradient was not finite.
    case rejectedUpdates = "train/rejected_updates"
    /// The exact value V_i^{π_θi}(ρ_i) of each agent's current policy on its own task(s), averaged
    /// over agents (DCPG with a finite task's exact model, paper 001 eq. 5).
    case exactValue = "train/exact_value"
    /// Mean return of the test episodes of an evaluation during training (`eval_every`).
    case evalReturn = "eval/episode_return"
    /// The best evaluation so far.
    case bestEvalReturn = "eval/best_episode_return"
    case policyLoss = "loss/policy"
    case valueLoss = "loss/value"
    case entropy = "policy/entropy"
    /// PPO: mean of (r − 1) − log r over the last epoch's minibatches.
    case approxKL = "policy/approx_kl"
    /// PPO: fraction of samples whose ratio left [1 − ε, 1 + ε].
    case clipFraction = "policy/clip_fraction"
    /// Global gradient norm before clipping.
    case gradientNorm = "grad/norm"
    case learningRate = "optim/learning_rate"
    /// The largest importance weight e^{c_e} the critic used in the interval (paper 004 eq. 55;
    /// the weights are not clipped).
    case importanceWeightMax = "policy/max_importance_weight"
    case messages = "comm/messages"
    case scalars = "comm/scalars"
    case bytes = "comm/bytes"
    /// Messages a link dropped in the interval.
    case missing = "comm/missing"
    /// μ^frequency (paper 003 §3.2): the fraction of agents that sent at least one message in a
    /// round (an episode, for ES and the value-based algorithms), averaged over the interval.
    case messageFrequency = "comm/message_frequency"
    /// μ^size (paper 003 §3.2): the size of the messages the agents sent in the interval, in the
    /// algorithm's unit — scalars for the cohort's strategies (1 for ES), samples (s, a, r, s′) for
    /// DQL and EBCDQL, gradient entries for DAVIA.
    case messageSize = "comm/message_size"
    /// Cumulative learner-to-controller uploads (paper 002's communication axis): one per gradient
    /// or innovation a learner sent. Only the central policy-gradient runs (`pg`) count them apart.
    case uploads = "comm/uploads"
    /// Cumulative controller-to-learner broadcasts of θ.
    case broadcasts = "comm/broadcasts"
    /// Σ_j σ_j / Σ_j |μ_j| over the agents' parameter rows (see ``relativeDeviation(_:)``).
    case relativeDeviation = "params/relative_deviation"
    case consensusDistance = "params/consensus_distance"
    case stepsPerSecond = "perf/env_steps_per_second"

    /// The learner diagnostics, averaged over learners and rounds of a log interval.
    public static let diagnostics: [Metric] = [.policyLoss, .valueLoss, .entropy, .approxKL, .clipFraction, .gradientNorm, .learningRate,
                                              .importanceWeightMax]
}

/// Per-round diagnostics of one learner, by metric.
public struct LearnerDiagnostics: Sendable {
    public private(set) var values: [(metric: Metric, value: Double)] = []
    public init() {}
    /// Records `value` for `metric` (a second record of the same metric replaces the first).
    public mutating func record(_ metric: Metric, _ value: Double) {
        if let i = values.firstIndex(where: { $0.metric == metric }) { values[i].value = value } else { values.append((metric, value)) }
    }
    public subscript(metric: Metric) -> Double? { values.first(where: { $0.metric == metric })?.value }
}
