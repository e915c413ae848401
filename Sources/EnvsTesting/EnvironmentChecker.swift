import Envs

/// Checks that a vector environment keeps the ``VectorEnvironment`` contract. Public and
/// throwing, so any test framework (and any downstream family) can run it:
///
/// ```swift
/// try EnvironmentChecker().check(task: registry.task("cart-pole-v1"))
/// ```
///
/// It steps random valid actions and verifies, on every row and step:
/// - observations and final observations lie in the observation space and are finite,
///   rewards are finite;
/// - the same seed gives bit-identical batches, for one thread and for several;
/// - a different seed gives a different batch — except for tasks tagged `deterministic`
///   (deterministic dynamics and start, such as most grid worlds), whose batches must then be
///   identical whatever the seed;
/// - autoreset marks `episodeStart` on exactly the rows that ended, and the reported episode
///   return and length equal the sums the checker kept itself;
/// - truncation happens exactly when an episode reaches the time limit;
/// - a wrong action count, and for discrete spaces an out-of-range action, is rejected with an
///   error and leaves the batch as it was.
public struct EnvironmentChecker: Sendable {
    /// Copies per batch.
    public var count: Int
    /// Steps per run.
    public var steps: Int
    /// Root seed of the checked runs (a second run uses `seed + 1`).
    public var seed: UInt64
    /// Thread count of the parallel run compared with the single-threaded one.
    public var threads: Int

    public init(count: Int = 6, steps: Int = 60, seed: UInt64 = 7, threads: Int = 2) {
        self.count = count
        self.steps = steps
        self.seed = seed
        self.threads = threads
    }

    /// Checks a registered task with a short time limit (when it has a `max_episode_steps`
    /// parameter) so that truncation is exercised.
    ///
    /// A multi-agent task (``MultiAgentRegisteredTask``) is checked with
    /// ``check(multiAgentTimeLimit:label:deterministic:make:)``.
    public func check(task: any RegisteredTask, timeLimit: Int = 9) throws {
        var overrides = JSONValue.object([])
        var limit: Int?
        if task.parameterFields.contains(where: { $0.name == "max_episode_steps" }) {
            overrides = overrides.setting("max_episode_steps", to: .integer(timeLimit))
            limit = timeLimit
        }
        let resolved = try task.resolve(overrides, context: "checker")
        if let multi = task as? any MultiAgentRegisteredTask {
            try check(multiAgentTimeLimit: limit, label: task.id.description, deterministic: task.tags.contains("deterministic")) { threads in
                try multi.makeMultiAgentVector([JSONValue](repeating: resolved, count: count), threads: threads)
            }
            return
        }
        try check(timeLimit: limit, label: task.id.description, deterministic: task.tags.contains("deterministic")) { threads in
            try task.makeVector([JSONValue](repeating: resolved, count: count), threads: threads)
        }
    }

    /// Checks environments built by `make(threads)`; `timeLimit` is the episode limit to verify
    /// (nil if the environment has none or it is unknown); `deterministic` environments must give
    /// the same batch for every seed instead of different ones.
    public func check(timeLimit: Int?, label: String = "environment", deterministic: Bool = false,
                      make: (Int) throws -> any VectorEnvironment) throws {
        func fail(_ message: String) -> CheckFailure { CheckFailure("\(label): \(message)") }
        let env = try make(1)
        guard env.count == count else { throw fail("made \(env.count) copies, \(count) were asked for") }
        let actions = randomActions(env.actionSpace, rows: count, steps: steps)

        let run1 = try record(make(1), seed: seed, actions: actions, timeLimit: timeLimit, fail: fail)
        let run2 = try record(make(1), seed: seed, actions: actions, timeLimit: timeLimit, fail: fail)
        if let step = firstDifference(run1, run2) {
            throw fail("the same seed gave different batches (first difference at step \(step))")
        }
        let parallel = try record(make(threads), seed: seed, actions: actions, timeLimit: timeLimit, fail: fail)
        if let step = firstDifference(run1, parallel) {
            throw fail("\(threads) threads gave a different batch than 1 thread (first difference at step \(step))")
        }
        let other = try record(make(1), seed: seed &+ 1, actions: actions, timeLimit: timeLimit, fail: fail)
        if deterministic {
            if let step = firstDifference(run1, other) {
                throw fail("is tagged deterministic, but seeds \(seed) and \(seed &+ 1) gave different batches (first difference at step \(step))")
            }
        } else if firstDifference(run1, other) == nil {
            throw fail("seeds \(seed) and \(seed &+ 1) gave identical batches")
        }
        if let timeLimit, steps > timeLimit, !run1.contains(where: { $0.truncated.contains(true) }) {
            throw fail("no episode was truncated in \(steps) steps with a time limit of \(timeLimit)")
        }
        try checkRejections(make(1), actions: actions, fail: fail)
    }

    /// Steps a run, checking per-step invariants, and returns every batch.
    func record(_ env: any VectorEnvironment, seed: UInt64, actions: [[Float]], timeLimit: Int?,
                fail: (String) -> CheckFailure) throws -> [StepBatch] {
        var env = env
        var batch = env.makeBatch()
        env.reset(seed: seed, into: &batch)
        let space = env.observationSpace
        let o = space.size
        guard batch.episodeStart.allSatisfy({ $0 }) else { throw fail("reset did not mark every row as an episode start") }
        try checkRows(batch.observations, space: space, rows: 0..<count, what: "reset observation", fail: fail)
        var history = [batch]
        var runningReturn = [Double](repeating: 0, count: count)
        var elapsed = [Int](repeating: 0, count: count)
        for (t, a) in actions.enumerated() {
            try env.step(a, into: &batch)
            for r in 0..<count {
                let reward = batch.rewards[r]
                guard reward.isFinite else { throw fail("step \(t), row \(r): reward \(reward) is not finite") }
                runningReturn[r] += Double(reward)
                elapsed[r] += 1
                let ended = batch.terminated[r] || batch.truncated[r]
                if batch.episodeStart[r] != ended {
                    throw fail("step \(t), row \(r): episodeStart is \(batch.episodeStart[r]) but the episode \(ended ? "ended" : "did not end")")
                }
                if let limit = timeLimit, limit > 0, batch.truncated[r] != (elapsed[r] >= limit) {
                    throw fail("step \(t), row \(r): truncated is \(batch.truncated[r]) after \(elapsed[r]) steps with a time limit of \(limit)")
                }
                if ended {
                    try checkRows(batch.finalObservations, space: space, rows: r..<(r + 1), what: "final observation", fail: fail)
                    if batch.episodes.lengths[r] != Int32(elapsed[r]) {
                        throw fail("step \(t), row \(r): episode length \(batch.episodes.lengths[r]) reported, \(elapsed[r]) counted")
                    }
                    let expected = Float(runningReturn[r])
                    if abs(batch.episodes.returns[r] - expected) > 1e-3 * max(1, abs(expected)) {
                        throw fail("step \(t), row \(r): episode return \(batch.episodes.returns[r]) reported, \(expected) summed")
                    }
                    runningReturn[r] = 0
                    elapsed[r] = 0
                }
            }
            try checkRows(batch.observations, space: space, rows: 0..<count, what: "observation at step \(t)", fail: fail)
            history.append(batch)
        }
        _ = o
        return history
    }

    func checkRows(_ buffer: [Float], space: Space, rows: Range<Int>, what: String, fail: (String) -> CheckFailure) throws {
        let o = space.size
        for r in rows {
            let row = Array(buffer[r * o..<(r + 1) * o])
            if let i = row.firstIndex(where: { !$0.isFinite }) { throw fail("\(what), row \(r): element \(i) is \(row[i])") }
            let inside = row.withUnsafeBufferPointer { space.contains($0) }
            if !inside { throw fail("\(what), row \(r): \(row) lies outside \(space)") }
        }
    }

    func checkRejections(_ env: any VectorEnvironment, actions: [[Float]], fail: (String) -> CheckFailure) throws {
        var env = env
        var batch = env.makeBatch()
        env.reset(seed: seed, into: &batch)
        let before = batch.observations
        do {
            try env.step(Array(actions[0].dropLast()), into: &batch)
            throw fail("a short action buffer was accepted")
        } catch is EnvironmentError {}
        if case .discrete(let n) = env.actionSpace {
            var bad = actions[0]
            bad[count - 1] = Float(n)
            do {
                try env.step(bad, into: &batch)
                throw fail("discrete action \(n) (out of range) was accepted")
            } catch is EnvironmentError {}
        }
        guard batch.observations == before else { throw fail("a rejected action changed the batch") }
    }

    func randomActions(_ space: Space, rows: Int, steps: Int) -> [[Float]] {
        var g = RandomGenerator(seed: seed, index: 99)
        return (0..<steps).map { _ in
            switch space {
            case .discrete(let n): return (0..<rows).map { _ in Float(g.below(n)) }
            case .box(let box):
                return (0..<rows).flatMap { _ in
                    box.low.indices.map { i -> Float in
                        let lo = box.low[i].isFinite ? box.low[i] : -1, hi = box.high[i].isFinite ? box.high[i] : 1
                        return Float(g.uniform(Double(lo), Double(hi)))
                    }
                }
            }
        }
    }

    func firstDifference(_ a: [StepBatch], _ b: [StepBatch]) -> Int? {
        for (t, (x, y)) in zip(a, b).enumerated() {
            if x.observations != y.observations || x.rewards != y.rewards || x.terminated != y.terminated
                || x.truncated != y.truncated || x.episodeStart != y.episodeStart { return t }
            for r in 0..<x.count where x.terminated[r] || x.truncated[r] {
                let o = x.observationSize
                if x.finalObservations[r * o..<(r + 1) * o] != y.finalObservations[r * o..<(r + 1) * o] { return t }
            }
        }
        return nil
    }
}

/// A broken contract, described in one sentence.
public struct CheckFailure: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
