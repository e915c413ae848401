import Envs

/// Test episodes: `episodes` copies of one task, each run to the end of its first episode with
/// the learner's policy (most likely actions when `greedy`), seeded by `seed`. Returns one
/// return per episode.
public func evaluatePolicy<L: Learner>(_ learner: inout L, task: any RegisteredTask, parameters: JSONValue, episodes: Int,
                                       greedy: Bool, seed: UInt64, maxSteps: Int = 100_000) throws -> [Double] {
    guard episodes > 0 else { return [] }
    var env = try task.makeVector([JSONValue](repeating: parameters, count: episodes), threads: 1)
    var batch = env.reset(seed: seed)
    var generator = RandomGenerator(seed: seed, index: 1 << 51)
    var returns = [Double?](repeating: nil, count: episodes)
    var actions: [Float] = []
    var steps = 0
    while returns.contains(where: { $0 == nil }) {
        guard steps < maxSteps else {
            throw TrainingError("test episodes of \(task.id) did not end within \(maxSteps) steps; give the task a time limit (max_episode_steps)")
        }
        try learner.act(batch.observations, count: episodes, greedy: greedy, generator: &generator, into: &actions)
        try env.step(actions, into: &batch)
        steps += 1
        for r in 0..<episodes where returns[r] == nil && batch.ended(r) { returns[r] = Double(batch.episodes.returns[r]) }
    }
    return returns.map { $0! }
}
