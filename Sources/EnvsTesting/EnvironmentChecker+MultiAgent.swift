import Envs

/// The multi-agent contract (``MultiAgentVectorEnvironment``), checked like the single-agent one.
///
/// On every copy, agent and step it verifies:
/// - the spaces: one observation space, action space and distinct name per agent;
/// - every agent's observation and final observation, and the global state and final state, lie
///   in their spaces and are finite; every agent's reward is finite;
/// - the same seed gives bit-identical batches, for one thread and for several; a different seed
///   gives a different batch (identical ones for tasks tagged `deterministic`);
/// - autoreset marks `episodeStart` on exactly the copies that ended, and each agent's reported
///   return, and the shared length, equal what the checker summed;
/// - truncation happens exactly when an episode reaches the time limit;
/// - a wrong action count, a discrete action out of range for one agent, and a non-finite
///   continuous action are rejected with an error and leave the batch as it was.
extension EnvironmentChecker {
    /// Checks multi-agent environments built by `make(threads)`; `multiAgentTimeLimit` is the
    /// episode limit to verify (nil if none or unknown).
    public func check(multiAgentTimeLimit timeLimit: Int?, label: String = "environment", deterministic: Bool = false,
                      make: (Int) throws -> any MultiAgentVectorEnvironment) throws {
        func fail(_ message: String) -> CheckFailure { CheckFailure("\(label): \(message)") }
        let env = try make(1)
        guard env.count == count else { throw fail("made \(env.count) copies, \(count) were asked for") }
        guard env.agents >= 1, env.observationSpaces.count == env.agents, env.actionSpaces.count == env.agents,
              env.agentNames.count == env.agents else {
            throw fail("has \(env.agents) agents but \(env.observationSpaces.count) observation spaces, \(env.actionSpaces.count) action spaces and \(env.agentNames.count) names")
        }
        guard Set(env.agentNames).count == env.agents else { throw fail("agent names \(env.agentNames) are not distinct") }
        let actions = randomMultiAgentActions(env.actionSpaces, rows: count, steps: steps)

        let run1 = try recordMultiAgent(make(1), seed: seed, actions: actions, timeLimit: timeLimit, fail: fail)
        let run2 = try recordMultiAgent(make(1), seed: seed, actions: actions, timeLimit: timeLimit, fail: fail)
        if let step = firstMultiAgentDifference(run1, run2) {
            throw fail("the same seed gave different batches (first difference at step \(step))")
        }
        let parallel = try recordMultiAgent(make(threads), seed: seed, actions: actions, timeLimit: timeLimit, fail: fail)
        if let step = firstMultiAgentDifference(run1, parallel) {
            throw fail("\(threads) threads gave a different batch than 1 thread (first difference at step \(step))")
        }
        let other = try recordMultiAgent(make(1), seed: seed &+ 1, actions: actions, timeLimit: timeLimit, fail: fail)
        if deterministic {
            if let step = firstMultiAgentDifference(run1, other) {
                throw fail("is tagged deterministic, but seeds \(seed) and \(seed &+ 1) gave different batches (first difference at step \(step))")
            }
        } else if firstMultiAgentDifference(run1, other) == nil {
            throw fail("seeds \(seed) and \(seed &+ 1) gave identical batches")
        }
        if let timeLimit, steps > timeLimit, !run1.contains(where: { $0.truncated.contains(true) }) {
            throw fail("no episode was truncated in \(steps) steps with a time limit of \(timeLimit)")
        }
        try checkMultiAgentRejections(make(1), actions: actions, fail: fail)
    }

    func recordMultiAgent(_ env: any MultiAgentVectorEnvironment, seed: UInt64, actions: [[Float]], timeLimit: Int?,
                          fail: (String) -> CheckFailure) throws -> [MultiAgentStepBatch] {
        var env = env
        var batch = env.makeBatch()
        env.reset(seed: seed, into: &batch)
        guard batch.episodeStart.allSatisfy({ $0 }) else { throw fail("reset did not mark every copy as an episode start") }
        try checkMultiAgentRows(batch, env, rows: 0..<count, final: false, what: "reset", fail: fail)
        var history = [batch]
        let agents = env.agents
        var runningReturns = [Double](repeating: 0, count: agents * count)
        var elapsed = [Int](repeating: 0, count: count)
        for (t, a) in actions.enumerated() {
            try env.step(a, into: &batch)
            for r in 0..<count {
                for m in 0..<agents {
                    let reward = batch.reward(agent: m, row: r)
                    guard reward.isFinite else { throw fail("step \(t), copy \(r), agent \(m): reward \(reward) is not finite") }
                    runningReturns[m * count + r] += Double(reward)
                }
                elapsed[r] += 1
                let ended = batch.terminated[r] || batch.truncated[r]
                if batch.episodeStart[r] != ended {
                    throw fail("step \(t), copy \(r): episodeStart is \(batch.episodeStart[r]) but the episode \(ended ? "ended" : "did not end")")
                }
                if let limit = timeLimit, limit > 0, batch.truncated[r] != (elapsed[r] >= limit) {
                    throw fail("step \(t), copy \(r): truncated is \(batch.truncated[r]) after \(elapsed[r]) steps with a time limit of \(limit)")
                }
                if ended {
                    try checkMultiAgentRows(batch, env, rows: r..<(r + 1), final: true, what: "step \(t)", fail: fail)
                    if batch.episodes.lengths[r] != Int32(elapsed[r]) {
                        throw fail("step \(t), copy \(r): episode length \(batch.episodes.lengths[r]) reported, \(elapsed[r]) counted")
                    }
                    for m in 0..<agents {
                        let expected = Float(runningReturns[m * count + r]), got = batch.episodes.episodeReturn(agent: m, row: r)
                        if abs(got - expected) > 1e-3 * max(1, abs(expected)) {
                            throw fail("step \(t), copy \(r), agent \(m): episode return \(got) reported, \(expected) summed")
                        }
                        runningReturns[m * count + r] = 0
                    }
                    elapsed[r] = 0
                }
            }
            try checkMultiAgentRows(batch, env, rows: 0..<count, final: false, what: "step \(t)", fail: fail)
            history.append(batch)
        }
        return history
    }

    /// Every agent's (final) observation and the (final) state of `rows` lie in their spaces.
    func checkMultiAgentRows(_ batch: MultiAgentStepBatch, _ env: any MultiAgentVectorEnvironment, rows: Range<Int>, final: Bool,
                             what: String, fail: (String) -> CheckFailure) throws {
        let kind = final ? "final " : ""
        for r in rows {
            for m in 0..<env.agents {
                let row = Array(final ? batch.finalObservation(agent: m, row: r) : batch.observation(agent: m, row: r))
                try checkInside(row, env.observationSpaces[m], "\(what), copy \(r): agent \(m)'s \(kind)observation", fail)
            }
            try checkInside(Array(final ? batch.finalState(r) : batch.state(r)), env.stateSpace, "\(what), copy \(r): the \(kind)state", fail)
        }
    }

    func checkInside(_ row: [Float], _ space: Space, _ what: String, _ fail: (String) -> CheckFailure) throws {
        if let i = row.firstIndex(where: { !$0.isFinite }) { throw fail("\(what): element \(i) is \(row[i])") }
        let inside = row.withUnsafeBufferPointer { space.contains($0) }
        if !inside { throw fail("\(what): \(row) lies outside \(space)") }
    }

    func checkMultiAgentRejections(_ env: any MultiAgentVectorEnvironment, actions: [[Float]], fail: (String) -> CheckFailure) throws {
        var env = env
        var batch = env.makeBatch()
        env.reset(seed: seed, into: &batch)
        let before = batch.observations, beforeState = batch.states
        do {
            try env.step(Array(actions[0].dropLast()), into: &batch)
            throw fail("a short action buffer was accepted")
        } catch is EnvironmentError {}
        // The last agent's action of the last copy is the last value of the buffer.
        let last = env.agents - 1
        var bad = actions[0]
        switch env.actionSpaces[last] {
        case .discrete(let n):
            bad[bad.count - 1] = Float(n)
            do {
                try env.step(bad, into: &batch)
                throw fail("discrete action \(n) (out of range) of agent \(last) was accepted")
            } catch is EnvironmentError {}
        case .box:
            bad[bad.count - 1] = .nan
            do {
                try env.step(bad, into: &batch)
                throw fail("a NaN action of agent \(last) was accepted")
            } catch is EnvironmentError {}
        }
        guard batch.observations == before && batch.states == beforeState else { throw fail("a rejected action changed the batch") }
    }

    /// Random valid actions, agent-major blocks per step.
    func randomMultiAgentActions(_ spaces: [Space], rows: Int, steps: Int) -> [[Float]] {
        var g = RandomGenerator(seed: seed, index: 98)
        return (0..<steps).map { _ in
            spaces.flatMap { space -> [Float] in
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
    }

    func firstMultiAgentDifference(_ a: [MultiAgentStepBatch], _ b: [MultiAgentStepBatch]) -> Int? {
        for (t, (x, y)) in zip(a, b).enumerated() {
            if x.observations != y.observations || x.states != y.states || x.rewards != y.rewards || x.terminated != y.terminated
                || x.truncated != y.truncated || x.episodeStart != y.episodeStart { return t }
            for r in 0..<x.count where x.ended(r) {
                if x.finalState(r) != y.finalState(r) { return t }
                for m in 0..<x.agents where x.finalObservation(agent: m, row: r) != y.finalObservation(agent: m, row: r) { return t }
            }
        }
        return nil
    }
}
