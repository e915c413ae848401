import Envs
import Foundation
import ShoalEnvsC
import Testing

/// The multi-agent functions, called as a C program would, against the Swift batch.
@Suite("The C interface: multi-agent batches")
struct MultiAgentCInterfaceTests {
    var lastError: String { String(cString: shoal_last_error()) }

    func create(_ id: String, _ parameters: String? = nil, count: Int64, threads: Int64 = 1, seed: UInt64 = 0) throws -> Int64 {
        var handle: Int64 = 0
        let status = shoal_multi_agent_create(id, parameters, count, threads, seed, &handle)
        try #require(status == 0, "create failed: \(lastError)")
        return handle
    }

    func info(_ handle: Int64) throws -> [String: Any] {
        var length: UInt = 0
        #expect(shoal_multi_agent_info(handle, nil, 0, &length) == ShoalStatus.bufferTooSmall.rawValue)
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        try #require(shoal_multi_agent_info(handle, &buffer, UInt(buffer.count), &length) == 0, "\(lastError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(String(cString: buffer).utf8)) as? [String: Any])
    }

    /// Agent-major actions that vary with the step, valid for `spaces`.
    static func actions(_ spaces: [Space], count: Int, step t: Int) -> [Float] {
        var a: [Float] = []
        for (m, space) in spaces.enumerated() {
            switch space {
            case .discrete(let n): a += (0..<count).map { Float((m + $0 + t / 2) % n) }
            case .box: a += (0..<(count * space.size)).map { Float(sin(Double(m + 3 * $0 + t))) }
            }
        }
        return a
    }

    @Test(arguments: ["mpe/simple-spread-v1", "random-mdp/local-actions-v1"])
    func stepsMatchTheSwiftBatchAcrossAutoresets(task: String) throws {
        let count = 4, seed: UInt64 = 11, short = #"{"max_episode_steps": 20}"#
        let handle = try create(task, short, count: Int64(count), threads: 2, seed: seed)
        defer { _ = shoal_multi_agent_destroy(handle) }
        var env = try TaskRegistry.standard.makeMultiAgent(task, count: count, overrides: try JSONValue.parse(short), threads: 1)
        var batch = env.reset(seed: seed)
        let description = try info(handle)
        #expect(description["agents"] as? Int == env.agents)
        #expect(description["agent_names"] as? [String] == env.agentNames)
        #expect(description["observation_sizes"] as? [Int] == env.observationSpaces.map(\.size))
        #expect(description["state_size"] as? Int == env.stateSpace.size)
        let memory = MultiAgentCallerMemory(count: count, agents: env.agents, observationFloats: batch.observations.count,
                                            stateSize: batch.stateSize)
        #expect(shoal_multi_agent_reset(handle, seed, memory.raw) == 0, "\(lastError)")
        #expect(memory.observationArray == batch.observations)
        #expect(memory.stateArray == batch.states)
        #expect(memory.episodeStartArray == [Bool](repeating: true, count: count))
        var ended = 0
        for t in 0..<80 {
            let actions = Self.actions(env.actionSpaces, count: count, step: t)
            let status = actions.withUnsafeBufferPointer { shoal_multi_agent_step(handle, $0.baseAddress, UInt($0.count), memory.raw) }
            try #require(status == 0, "\(lastError)")
            try env.step(actions, into: &batch)
            #expect(memory.observationArray == batch.observations)
            #expect(memory.rewardArray == batch.rewards)
            #expect(memory.stateArray == batch.states)
            #expect(memory.terminatedArray == batch.terminated)
            #expect(memory.truncatedArray == batch.truncated)
            #expect(memory.episodeStartArray == batch.episodeStart)
            for r in batch.endedRows {
                ended += 1
                for m in 0..<env.agents {
                    let o = batch.observationSizes[m], start = batch.observationOffsets[m] + r * o
                    #expect(Array(UnsafeBufferPointer(start: memory.finalObservations + start, count: o)) == Array(batch.finalObservation(agent: m, row: r)))
                    #expect(memory.returns[m * count + r] == batch.episodes.episodeReturn(agent: m, row: r))
                }
                let s = batch.stateSize
                #expect(Array(UnsafeBufferPointer(start: memory.finalStates + r * s, count: s)) == Array(batch.finalState(r)))
                #expect(memory.lengths[r] == batch.episodes.lengths[r])
            }
        }
        #expect(ended >= 4 * count, "80 steps of 20-step episodes end four episodes on every copy")
    }

    @Test func badInputIsAStatusAndOneSentence() throws {
        var handle: Int64 = 0
        #expect(shoal_multi_agent_create("mpe/simple-sprad-v1", nil, 1, 1, 0, &handle) == ShoalStatus.unknownTask.rawValue)
        #expect(lastError.contains("did you mean mpe/simple-spread-v1"))
        #expect(shoal_multi_agent_create("cart-pole-v1", nil, 1, 1, 0, &handle) == ShoalStatus.invalidArgument.rawValue)
        #expect(lastError == "task cart-pole-v1 is a single-agent task: create its batches with shoal_batch_create")
        #expect(shoal_batch_create("mpe/simple-spread-v1", nil, 1, 1, 0, &handle) == ShoalStatus.invalidArgument.rawValue)
        #expect(lastError == "task mpe/simple-spread-v1 is a multi-agent task: create its batches with shoal_multi_agent_create")
        #expect(shoal_multi_agent_create("mpe/simple-spread-v1", #"{"agent": 4}"#, 1, 1, 0, &handle) == ShoalStatus.badParameters.rawValue)
        #expect(lastError.contains("unknown parameter 'agent'"))
        #expect(shoal_multi_agent_create("mpe/simple-spread-v1", "[{}]", 1, 1, 0, &handle) == ShoalStatus.badParameters.rawValue)
        #expect(lastError.hasPrefix("the parameters of a multi-agent batch must be a JSON object"))

        let ma = try create("mpe/simple-spread-v1", #"{"agents": 2, "landmarks": 2}"#, count: 2, seed: 1)
        defer { _ = shoal_multi_agent_destroy(ma) }
        let d = try info(ma)
        #expect(d["agent_names"] as? [String] == ["agent_0", "agent_1"])
        let sizes = try #require(d["observation_sizes"] as? [Int])
        let stateSize = try #require(d["state_size"] as? Int)
        let memory = MultiAgentCallerMemory(count: 2, agents: 2, observationFloats: 2 * sizes.reduce(0, +), stateSize: stateSize)
        #expect(shoal_multi_agent_reset(ma, 1, memory.raw) == 0)
        let before = memory.observationArray

        var actions: [Float] = [0, 1, 2, 3]
        #expect(shoal_multi_agent_step(ma, &actions, 3, memory.raw) == ShoalStatus.invalidAction.rawValue)
        #expect(lastError == "expected 4 action values (2 copies × (1 + 1) for 2 agents, agent-major), got 3")
        actions = [0, 1, 2, 5]
        #expect(shoal_multi_agent_step(ma, &actions, 4, memory.raw) == ShoalStatus.invalidAction.rawValue)
        #expect(lastError == "action 5.0 of agent 1 in copy 1 is not a valid discrete action: valid actions are the integers 0…4")
        #expect(memory.observationArray == before, "a refused step writes nothing")

        let wrong = MultiAgentCallerMemory(count: 2, agents: 2, observationFloats: 2 * sizes.reduce(0, +), stateSize: stateSize, declaredAgents: 3)
        #expect(shoal_multi_agent_reset(ma, 1, wrong.raw) == ShoalStatus.invalidArgument.rawValue)
        #expect(lastError.hasPrefix("the output buffers are declared for 2 copies of 3 agents"))
        #expect(shoal_multi_agent_reset(ma, 1, nil) == ShoalStatus.invalidArgument.rawValue)

        let single = try { () throws -> Int64 in
            var h: Int64 = 0
            try #require(shoal_batch_create("cart-pole-v1", nil, 1, 1, 0, &h) == 0)
            return h
        }()
        defer { _ = shoal_batch_destroy(single) }
        #expect(shoal_multi_agent_reset(single, 0, memory.raw) == ShoalStatus.invalidHandle.rawValue)
        #expect(lastError == "batch handle \(single) is a single-agent batch: use the shoal_batch_ functions")
        #expect(shoal_batch_destroy(ma) == ShoalStatus.invalidHandle.rawValue)
        #expect(lastError == "batch handle \(ma) is a multi-agent batch: use the shoal_multi_agent_ functions")
        #expect(shoal_multi_agent_destroy(single) == ShoalStatus.invalidHandle.rawValue)

        let dead = try create("random-mdp/local-actions-v1", count: 1)
        #expect(shoal_multi_agent_destroy(dead) == 0)
        #expect(shoal_multi_agent_destroy(dead) == ShoalStatus.invalidHandle.rawValue)
        #expect(lastError.contains("is not a live batch"))
    }

    @Test func setStateWritesTheCopysObservationsAndState() throws {
        let handle = try create("mpe/simple-spread-v1", count: 2, seed: 4)
        defer { _ = shoal_multi_agent_destroy(handle) }
        var env = try TaskRegistry.standard.makeMultiAgent("mpe/simple-spread-v1", count: 2)
        var batch = env.reset(seed: 4)
        let memory = MultiAgentCallerMemory(count: 2, agents: 3, observationFloats: batch.observations.count, stateSize: batch.stateSize)
        #expect(shoal_multi_agent_reset(handle, 4, memory.raw) == 0)
        let state: [Double] = [0, 0, 0, 0, 0.2, 0, 0, 0, -0.5, 0.5, 0, 0, 0.5, 0.5, -0.5, -0.5, 0, 0.8]
        #expect(state.withUnsafeBufferPointer { shoal_multi_agent_set_state(handle, 1, $0.baseAddress, UInt($0.count), memory.raw) } == 0, "\(lastError)")
        try env.setState(state, row: 1, into: &batch)
        #expect(memory.observationArray == batch.observations)
        #expect(memory.stateArray == batch.states)
        #expect(Array(batch.state(1)) == state.map(Float.init))
        #expect(state.withUnsafeBufferPointer { shoal_multi_agent_set_state(handle, 1, $0.baseAddress, 3, memory.raw) } == ShoalStatus.invalidState.rawValue)
        #expect(lastError.hasPrefix("task mpe/simple-spread-v1 takes 18 state values ("))
        #expect(state.withUnsafeBufferPointer { shoal_multi_agent_set_state(handle, 2, $0.baseAddress, 18, memory.raw) } == ShoalStatus.invalidState.rawValue)
        #expect(lastError == "row 2 is outside the batch: rows are 0…1")
    }
}
