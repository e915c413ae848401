import Envs
import Foundation
import Testing

/// `mpe/simple-spread-v1` against MPE2: the golden step of the spec (§6) and trajectories
/// recorded from MPE2 1.1.1 (Fixtures/mpe, made by `record_simple_spread.py`).
@Suite("Simple spread")
struct SimpleSpreadTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mpe")

    func make(_ overrides: JSONValue = .object([]), count: Int = 1, threads: Int = 1) throws -> any MultiAgentVectorEnvironment {
        try TaskRegistry.standard.makeMultiAgent("mpe/simple-spread-v1", count: count, overrides: overrides, threads: threads)
    }

    @Test("the golden step of the spec: collision force, rewards, observation, then the second step")
    func goldenStep() throws {
        var env = try make()
        var batch = env.reset(seed: 0)
        // Agents (0,0), (0.2,0), (−0.5,0.5) at rest; landmarks (0.5,0.5), (−0.5,−0.5), (0,0.8).
        try env.setState([0, 0, 0, 0, 0.2, 0, 0, 0, -0.5, 0.5, 0, 0, 0.5, 0.5, -0.5, -0.5, 0, 0.8], row: 0, into: &batch)
        try env.step([2, 4, 0], into: &batch)
        #expect(batch.reward(agent: 0, row: 0) == Float(-1.4366485800778037))
        #expect(batch.reward(agent: 1, row: 0) == Float(-1.4366485800778037))
        #expect(batch.reward(agent: 2, row: 0) == Float(-0.9366485800778037))
        let expected: [Float] = [-0.5, -0, 0, 0, 0.5, 0.5, -0.5, -0.5, 0, 0.8, 0.2, 0, -0.5, 0.5, 0, 0, 0, 0]
        #expect(Array(batch.observation(agent: 0, row: 0)) == expected)
        // Velocities of the state: a0 (−0.5, ~0), a1 (1.0, 0.5), a2 (~0, ~0); positions unchanged.
        let s1 = Array(batch.state(0))
        #expect(s1[0] == 0 && s1[1] == 0 && s1[2] == -0.5 && abs(s1[3]) < 1e-30)
        #expect(s1[4] == Float(0.2) && s1[6] == 1 && s1[7] == 0.5)
        #expect(abs(s1[10]) < 1e-30 && abs(s1[11]) < 1e-30)
        try env.step([2, 4, 0], into: &batch)
        let s2 = Array(batch.state(0))
        #expect(abs(s2[0] - -0.05) < 1e-7 && abs(s2[2] - -0.875) < 1e-7)
        #expect(abs(s2[4] - 0.3) < 1e-7 && abs(s2[5] - 0.05) < 1e-7 && abs(s2[6] - 1.75) < 1e-7 && abs(s2[7] - 0.875) < 1e-7)
        #expect(s2[8] == -0.5 && s2[9] == 0.5)
        for m in 0..<3 { #expect(batch.reward(agent: m, row: 0) == Float(-0.8741096409640103)) }
    }

    static let fixtures = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()

    @Test("trajectories recorded from MPE2 replay within 1e-5", arguments: fixtures)
    func replaysMPE2(file: String) throws {
        let json = try JSONValue.parse(String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8))
        let continuous = json["params"]!["continuous"] == .bool(true)
        for threads in [1, 2] {
            // Copy 1 of 2 replays the case, so that the agent-major layout is exercised with count > 1.
            var env = try make(json["params"]!, count: 2, threads: threads)
            var batch = env.reset(seed: 5)
            let state = json["initial_state"]!.arrayValue!.map { $0.doubleValue! }
            try env.setState(state, row: 1, into: &batch)
            let agents = env.agents
            for (m, obs) in json["initial_obs"]!.arrayValue!.enumerated() {
                for (a, b) in zip(batch.observation(agent: m, row: 1), obs.arrayValue!) { #expect(abs(Double(a) - b.doubleValue!) <= 1e-5) }
            }
            let a = env.actionSpaces[0].size
            for (t, (step, expected)) in zip(json["actions"]!.arrayValue!, json["steps"]!.arrayValue!).enumerated() {
                var actions = [Float](repeating: 0, count: 2 * agents * a)
                for m in 0..<agents {
                    let values = continuous ? step.arrayValue![m].arrayValue!.map { Float($0.doubleValue!) } : [Float(step.arrayValue![m].doubleValue!)]
                    for k in 0..<a { actions[m * 2 * a + a + k] = values[k] }
                }
                try env.step(actions, into: &batch)
                let ended = batch.ended(1)
                #expect(batch.truncated[1] == (expected["truncated"] == .bool(true)), "\(file) step \(t)")
                #expect(batch.terminated[1] == (expected["terminated"] == .bool(true)), "\(file) step \(t)")
                for m in 0..<agents {
                    let obs = ended ? batch.finalObservation(agent: m, row: 1) : batch.observation(agent: m, row: 1)
                    for (x, y) in zip(obs, expected["obs"]!.arrayValue![m].arrayValue!) {
                        try #require(abs(Double(x) - y.doubleValue!) <= 1e-5, "\(file) step \(t) agent \(m): \(Array(obs))")
                    }
                    let r = expected["reward"]!.arrayValue![m].doubleValue!
                    try #require(abs(Double(batch.reward(agent: m, row: 1)) - r) <= 1e-5, "\(file) step \(t) agent \(m) reward")
                }
            }
        }
    }

    @Test("the native batch equals the serial vector of single copies, row by row, across an autoreset")
    func nativeEqualsSerial() throws {
        var parameters: [SimpleSpread.Parameters] = []
        for i in 0..<5 {
            var p = SimpleSpread.Parameters()
            p.maxEpisodeSteps = 7 + i % 2
            p.localRatio = 0.2 * Double(i)
            p.rewardScales = [1, 2, 0.5]
            if i == 3 { p.reward = "assigned-loss" }
            parameters.append(p)
        }
        var native = try SimpleSpreadBatch(parameters: parameters, firstIndex: 0)
        var serial = try MultiAgentSerialVector<SimpleSpread>(parameters: parameters)
        var a = native.reset(seed: 11), b = serial.reset(seed: 11)
        #expect(a.observations == b.observations && a.states == b.states)
        var g = RandomGenerator(seed: 3, index: 0)
        var ends = 0
        for t in 0..<20 {
            let actions = (0..<(5 * 3)).map { _ in Float(g.below(5)) }
            try native.step(actions, into: &a)
            try serial.step(actions, into: &b)
            #expect(a.observations == b.observations && a.rewards == b.rewards && a.states == b.states, "step \(t)")
            #expect(a.terminated == b.terminated && a.truncated == b.truncated && a.episodeStart == b.episodeStart, "step \(t)")
            for r in a.endedRows {
                ends += 1
                #expect(a.finalState(r) == b.finalState(r) && a.episodes.lengths[r] == b.episodes.lengths[r])
                for m in 0..<3 {
                    #expect(a.finalObservation(agent: m, row: r) == b.finalObservation(agent: m, row: r))
                    #expect(a.episodes.episodeReturn(agent: m, row: r) == b.episodes.episodeReturn(agent: m, row: r))
                }
            }
        }
        #expect(ends >= 5)
    }

    @Test("reward scales multiply MPE2's reward; the loss form is the distance to the own landmark plus collisions")
    func rewardOptions() throws {
        // Agents 0 and 1 overlap; landmark 0 at distance 0.5 from agent 0's start, landmark 1 at 0.3 from agent 1's.
        let state: [Double] = [0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0.5, 0.4, 0]
        func rewards(_ overrides: JSONValue) throws -> [Float] {
            var env = try make(overrides.merging(.object([("agents", .integer(2))])))
            var batch = env.reset(seed: 0)
            try env.setState(state, row: 0, into: &batch)
            try env.step([0, 0], into: &batch)
            return [batch.reward(agent: 0, row: 0), batch.reward(agent: 1, row: 0)]
        }
        let plain = try rewards(.object([]))
        let scaled = try rewards(.object([("reward_scales", .array([.real(2), .real(0.5)]))]))
        #expect(scaled[0] == 2 * plain[0] && scaled[1] == 0.5 * plain[1])
        // The loss form after one step: positions move only by the collision push (velocities were 0, so not yet).
        let loss = try rewards(.object([("reward", .string("assigned-loss")), ("collision_penalty", .real(3)),
                                        ("reward_scales", .array([.real(1), .real(2)]))]))
        #expect(abs(loss[0] - -(0.5 + 3)) < 1e-6)
        #expect(abs(loss[1] - -2 * (0.3 + 3)) < 1e-6)
    }

    @Test("continuous actions use MPE2's signs and are clipped to [0, 1]")
    func continuousSigns() throws {
        var env = try make(.object([("continuous", .bool(true)), ("agents", .integer(1)), ("landmarks", .integer(1))]))
        var batch = env.reset(seed: 0)
        try env.setState([0, 0, 0, 0, 0.5, 0.5], row: 0, into: &batch)
        // a₂ − a₁ = 1 − 0 (a₁ = −3 clipped to 0), a₄ − a₃ = 0 − 0.5: force (5, −2.5), velocity (0.5, −0.25).
        try env.step([7, -3, 1, 0.5, 0], into: &batch)
        #expect(Array(batch.state(0)) == [0, 0, 0.5, -0.25, 0.5, 0.5])
    }

    @Test("global observations are the state; terminate_on_success ends an episode on covered landmarks")
    func observationAndTermination() throws {
        var env = try make(.object([("observation", .string("global")), ("terminate_on_success", .bool(true)), ("agents", .integer(2))]))
        #expect(env.observationSpaces[0].size == 12 && env.stateSpace.size == 12)
        var batch = env.reset(seed: 0)
        #expect(Array(batch.observation(agent: 1, row: 0)) == Array(batch.state(0)))
        try env.setState([0, 0, 0, 0, 1, 1, 0, 0, 0.05, 0, 1, 0.95], row: 0, into: &batch)
        try env.step([0, 0], into: &batch)
        #expect(batch.terminated[0] && !batch.truncated[0] && batch.episodes.lengths[0] == 1)
    }

    @Test("bad input is one clear error, never a trap or a NaN")
    func badInput() throws {
        var env = try make()
        var batch = env.reset(seed: 0)
        let before = batch.observations
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return "\(error)" }
        }
        #expect(message { try env.step([0, 1], into: &batch) }.contains("expected 3 action values"))
        #expect(message { try env.step([0, 5, 1], into: &batch) }.contains("action 5.0 of agent 1 in copy 0 is not a valid discrete action: valid actions are the integers 0…4"))
        #expect(message { try env.step(agentActions: [[0], [1, 2], [0]], into: &batch) }.contains("the actions of agent 1 hold 2 values, expected 1"))
        #expect(batch.observations == before)
        #expect(message { try env.setState([0, 0, 0, 0], row: 0, into: &batch) }.contains("expected 18 state values"))
        #expect(message { try env.setState([0.3, 0.2, 0, 0, 0.3, 0.2, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], row: 0, into: &batch) }
            .contains("agents 0 and 1 are both at (0.3, 0.2)"))
        var continuous = try make(.object([("continuous", .bool(true))]))
        var cb = continuous.reset(seed: 0)
        var act = [Float](repeating: 0.5, count: 15)
        act[7] = .nan
        #expect(message { try continuous.step(act, into: &cb) }.contains("the action of agent 1 in copy 0 is not a finite number"))
        for scales in ["[1, 0, 1]", "[1, -2, 1]", "[1, 1]"] {
            let text = message { _ = try make(.object([("reward_scales", try JSONValue.parse(scales))])) }
            #expect(text.contains("reward_scales"), "\(scales): \(text)")
        }
        #expect(message { _ = try make(.object([("reward_scales", try JSONValue.parse("[1, 0, 1]"))])) }
            .contains("reward_scales[1] is 0: every reward scale must be a positive finite number"))
        #expect(message { _ = try TaskRegistry.standard.make("mpe/simple-spread-v1", count: 1) }.contains("is a multi-agent task"))
    }

    @Test("agents that meet during an episode never produce NaN")
    func noNaN() throws {
        var env = try make(.object([("agents", .integer(2))]), count: 1)
        var batch = env.reset(seed: 0)
        // Two agents flying head-on through each other's centre.
        try env.setState([-0.5, 0, 1, 0, 0.5, 0, -1, 0, 0, 0, 0, 1], row: 0, into: &batch)
        for _ in 0..<24 {
            try env.step([0, 0], into: &batch)
            #expect(batch.observations.allSatisfy(\.isFinite) && batch.rewards.allSatisfy(\.isFinite))
        }
    }
}
