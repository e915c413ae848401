import Envs

/// One complete episode of one copy: what episode-based learners (SiAC, REINFORCE) learn from.
public struct Episode: Sendable {
    /// Task index of the copy that ran it.
    public var task: Int
    /// `[length × observationSize]`.
    public var observations: [Float] = []
    /// `[length × actionSize]`: the policy's unscaled samples.
    public var rawActions: [Float] = []
    /// `[length]`.
    public var rewards: [Float] = []
    public var terminated = false
    /// The family's episode metric when it ended (``VectorEnvironment/episodeMetricName``,
    /// e.g. `safe_flight`; NaN if it has none or the episode has not ended).
    public var metric = Double.nan
    /// The observation after the last step (for bootstrapping a truncated episode).
    public var finalObservation: [Float] = []
    public var length: Int { rewards.count }
}

/// Steps a batch with a policy and hands back whole episodes. Episodes in progress when enough
/// were collected carry over to the next call (they continue under the updated policy, as an
/// episode-based learner on a vector environment must).
public struct EpisodeCollector {
    var current: [Episode]
    let observationSize: Int
    let actionSize: Int
    var raw: [Float] = []
    var actions: [Float] = []

    public init(tasks: TaskAssignment, observationSize: Int, actionSize: Int) {
        current = tasks.taskOfRow.map { Episode(task: $0) }
        self.observationSize = observationSize
        self.actionSize = actionSize
    }

    /// Forgets the episodes in progress (after the environment was reset).
    public mutating func discardInProgress() {
        for i in current.indices { current[i] = Episode(task: current[i].task) }
    }

    /// Steps until at least `count` episodes finished, acting with `model` (sampling from
    /// `generator`). Returns the finished episodes and the number of environment steps taken.
    public mutating func collect(_ count: Int, experience: inout LearnerEnvironment,
                                 model: inout PolicyValueModel) throws -> (episodes: [Episode], steps: Int) {
        let n = experience.count, o = observationSize, a = actionSize
        var finished: [Episode] = []
        var steps = 0
        try model.reserve(rows: n)
        while finished.count < count {
            try experience.batch.observations.withUnsafeBufferPointer {
                try model.act($0, rows: n, greedy: false, generator: &experience.generator, raw: &raw, actions: &actions)
            }
            // The observation each action was taken from, before the step overwrites it.
            for r in 0..<n {
                current[r].observations += experience.batch.observations[(r * o)..<((r + 1) * o)]
                current[r].rawActions += raw[(r * a)..<((r + 1) * a)]
            }
            try experience.step(actions)
            steps += n
            for r in 0..<n {
                current[r].rewards.append(experience.batch.rewards[r])
                if experience.batch.ended(r) {
                    current[r].terminated = experience.batch.terminated[r]
                    current[r].metric = Double(experience.batch.episodes.metrics[r])
                    current[r].finalObservation = Array(experience.batch.finalObservation(r))
                    finished.append(current[r])
                    current[r] = Episode(task: current[r].task)
                }
            }
        }
        return (finished, steps)
    }
}
