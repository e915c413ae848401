import Envs

/// Test episodes: `episodes` copies of one task, each run to the end of its first episode with
/// the learner's policy (most likely actions when `greedy`), seeded by `seed`. Returns one
/// return per episode.
public func evaluatePolicy<L: Learner>(_ learner: inout L, task: any RegisteredTask, parameters: JSONValue, episodes: Int,
                                       greedy: Bool, seed: UInt64, maxSteps: Int = 100_000) throws -> [Double] {
    try evaluateEpisodes(&learner, task: task, parameters: parameters, episodes: episodes, greedy: greedy, seed: seed, maxSteps: maxSteps).map(\.episodeReturn)
}

/// ``evaluatePolicy(_:task:parameters:episodes:greedy:seed:maxSteps:)`` with each episode's
/// family metric too (e.g. navigation's `safe_flight`; NaN for a family without one).
public func evaluateEpisodes<L: Learner>(_ learner: inout L, task: any RegisteredTask, parameters: JSONValue, episodes: Int,
                                         greedy: Bool, seed: UInt64, maxSteps: Int = 100_000) throws -> [(episodeReturn: Double, metric: Double)] {
    guard episodes > 0 else { return [] }
    var env = try task.makeVector([JSONValue](repeating: parameters, count: episodes), threads: 1)
    var batch = env.reset(seed: seed)
    var generator = RandomGenerator(seed: seed, index: 1 << 51)
    var returns = [Double?](repeating: nil, count: episodes)
    var metrics = [Double](repeating: .nan, count: episodes)
    var actions: [Float] = []
    var steps = 0
    while returns.contains(where: { $0 == nil }) {
        guard steps < maxSteps else {
            throw TrainingError("test episodes of \(task.id) did not end within \(maxSteps) steps; give the task a time limit (max_episode_steps)")
        }
        try learner.act(batch.observations, count: episodes, greedy: greedy, generator: &generator, into: &actions)
        try env.step(actions, into: &batch)
        steps += 1
        for r in 0..<episodes where returns[r] == nil && batch.ended(r) {
            returns[r] = Double(batch.episodes.returns[r])
            metrics[r] = Double(batch.episodes.metrics[r])
        }
    }
    return zip(returns, metrics).map { ($0 ?? .nan, $1) }
}
