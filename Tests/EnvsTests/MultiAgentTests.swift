import Envs
import Foundation
import Testing

@Suite("Multi-agent protocol")
struct MultiAgentTests {
    @Test("random-mdp/local-actions-v1 equals random-mdp-v1 stepped with the joint action a₀ + 3a₁ + 9a₂ + 27a₃")
    func localActionsEqualJointActions() throws {
        let registry = try TaskRegistry.standard
        var local = try registry.makeMultiAgent("random-mdp/local-actions-v1", count: 6, threads: 2)
        var joint = try registry.make("random-mdp-v1", count: 6)
        var a = local.reset(seed: 9), b = joint.reset(seed: 9)
        #expect(local.agents == 4 && local.actionSpaces == [Space](repeating: .discrete(3), count: 4))
        var g = RandomGenerator(seed: 1, index: 0)
        var truncations = 0
        for t in 0..<250 {
            let actions = (0..<(4 * 6)).map { _ in Float(g.below(3)) }
            var jointActions = [Float](repeating: 0, count: 6)
            for r in 0..<6 {
                jointActions[r] = actions[r] + 3 * actions[6 + r] + 9 * actions[12 + r] + 27 * actions[18 + r]
            }
            try local.step(actions, into: &a)
            try joint.step(jointActions, into: &b)
            for r in 0..<6 {
                for m in 0..<4 {
                    #expect(a.observation(agent: m, row: r) == b.observation(r), "step \(t)")
                    #expect(a.reward(agent: m, row: r) == b.rewards[r], "step \(t)")
                }
                #expect(a.state(r) == b.observation(r) && a.truncated[r] == b.truncated[r])
                if b.ended(r) {
                    truncations += 1
                    #expect(a.finalState(r) == b.finalObservation(r) && a.episodes.lengths[r] == b.episodes.lengths[r])
                }
            }
        }
        #expect(truncations == 12)
    }

    @Test("the local-actions task exports the joint-action model of random-mdp-v1")
    func tabularModel() throws {
        let registry = try TaskRegistry.standard
        let local = try #require(try registry.task("random-mdp/local-actions-v1") as? any TabularTask)
        let joint = try #require(try registry.task("random-mdp-v1") as? any TabularTask)
        let m = try local.tabularModel(.object([("agents", .integer(2))]), context: "test")
        #expect(m == (try joint.tabularModel(.object([("agents", .integer(2))]), context: "test")))
        #expect(m.stateCount == 100 && m.actionCount == 9)
    }

    @Test("the same seed gives the same batches whatever the thread count; the layout is agent-major")
    func determinismAndLayout() throws {
        let registry = try TaskRegistry.standard
        var one = try registry.makeMultiAgent("mpe/simple-spread-v1", count: 300, threads: 1)
        var two = try registry.makeMultiAgent("mpe/simple-spread-v1", count: 300, threads: 3)
        var a = one.reset(seed: 4), b = two.reset(seed: 4)
        var g = RandomGenerator(seed: 2, index: 0)
        for _ in 0..<30 {
            let actions = (0..<900).map { _ in Float(g.below(5)) }
            try one.step(actions, into: &a)
            try two.step(actions, into: &b)
            #expect(a.observations == b.observations && a.rewards == b.rewards && a.finalObservations == b.finalObservations)
        }
        // Agent 1's observation of copy 7 is row 7 of agent 1's block; its own position is the state's.
        #expect(a.observationOffsets == [0, 300 * 18, 600 * 18])
        let obs = a.observation(agent: 1, row: 7), state = a.state(7)
        #expect(obs[obs.startIndex + 2] == state[state.startIndex + 4] && obs[obs.startIndex] == state[state.startIndex + 6])
        var other = try registry.makeMultiAgent("mpe/simple-spread-v1", count: 300, threads: 1)
        #expect(other.reset(seed: 5).observations != one.reset(seed: 4).observations)
    }
}

@Suite("README, multi-agent example")
struct MultiAgentReadmeExampleTests {
    @Test("the README's multi-agent snippet runs and reads the agent-major buffers it describes")
    func snippet() throws {
        let registry = try TaskRegistry.standard
        var env = try registry.makeMultiAgent("mpe/simple-spread-v1", count: 1024, threads: 2)
        var batch = env.reset(seed: 7)
        var actions = [Float](repeating: 0, count: env.actionCount)
        for m in 0..<env.agents {
            for r in 0..<env.count { actions[m * env.count + r] = Float((m + r) % 5) }
        }
        try env.step(actions, into: &batch)
        let reward = batch.reward(agent: 2, row: 10)
        let obs = batch.observation(agent: 2, row: 10)
        let state = batch.state(10)
        #expect(reward == batch.rewards[2 * 1024 + 10] && reward < 0)
        // The agent's own position is in its observation (slots 2–3) and in the state (agent 2 at 8–9).
        #expect(obs.count == 18 && obs[obs.startIndex + 2] == state[state.startIndex + 8])
    }
}
