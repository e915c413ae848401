import Envs
import Foundation
import ShoalEnvsC
import Testing

/// The exported C functions, called as a C program would: handles, caller buffers, status codes.
@Suite("The C interface")
struct CInterfaceTests {
    func create(_ id: String, _ parameters: String? = nil, count: Int64, threads: Int64 = 1, seed: UInt64 = 0) throws -> Int64 {
        var handle: Int64 = 0
        let status = shoal_batch_create(id, parameters, count, threads, seed, &handle)
        try #require(status == 0, "create failed: \(lastError)")
        return handle
    }

    var lastError: String { String(cString: shoal_last_error()) }

    func info(_ handle: Int64) throws -> [String: Any] {
        var length: UInt = 0
        #expect(shoal_batch_info(handle, nil, 0, &length) == ShoalStatus.bufferTooSmall.rawValue)
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        try #require(shoal_batch_info(handle, &buffer, UInt(buffer.count), &length) == 0)
        let text = String(cString: buffer)
        #expect(text.utf8.count == Int(length))
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func stepsMatchTheSwiftBatchAcrossAutoresets() throws {
        let count = 8, seed: UInt64 = 5
        let handle = try create("cart-pole-v1", count: Int64(count), threads: 2, seed: seed)
        defer { _ = shoal_batch_destroy(handle) }
        var env = try TaskRegistry.standard.make("cart-pole-v1", count: count, threads: 1)
        var batch = env.reset(seed: seed)
        let memory = CallerMemory(count: count, observationSize: 4)
        #expect(shoal_batch_reset(handle, seed, memory.raw) == 0)
        #expect(memory.observationArray == batch.observations)
        #expect(memory.episodeStartArray == [Bool](repeating: true, count: count))
        var ended = 0
        for t in 0..<300 {
            let actions = (0..<count).map { Float(($0 + t / 3) % 2) }
            #expect(actions.withUnsafeBufferPointer { shoal_batch_step(handle, $0.baseAddress, UInt(count), memory.raw) } == 0)
            try env.step(actions, into: &batch)
            #expect(memory.observationArray == batch.observations)
            #expect(memory.rewardArray == batch.rewards)
            #expect(memory.terminatedArray == batch.terminated)
            #expect(memory.truncatedArray == batch.truncated)
            #expect(memory.episodeStartArray == batch.episodeStart)
            for r in batch.endedRows {
                ended += 1
                #expect(Array(UnsafeBufferPointer(start: memory.finalObservations + r * 4, count: 4)) == Array(batch.finalObservation(r)))
                #expect(memory.returns[r] == batch.episodes.returns[r])
                #expect(memory.lengths[r] == batch.episodes.lengths[r])
            }
        }
        #expect(ended > 8, "the alternating policy should end many episodes in 300 steps")
    }

    @Test func perTaskParametersBuildAMultiTaskBatch() throws {
        let handle = try create("pendulum-v1", #"[{"mass": 0.5}, {"mass": 2.0, "length": 0.8}]"#, count: 4, seed: 9)
        defer { _ = shoal_batch_destroy(handle) }
        let description = try info(handle)
        #expect(description["count"] as? Int == 4)
        let runs = try #require(description["parameters"] as? [[String: Any]])
        #expect(runs.count == 2)
        #expect(runs[0]["rows"] as? [Int] == [0, 2] && runs[1]["rows"] as? [Int] == [2, 4])
        #expect((runs[1]["parameters"] as? [String: Any])?["length"] as? Double == 0.8)
        let action = try #require(description["action_space"] as? [String: Any])
        #expect(action["type"] as? String == "box" && action["high"] as? [Double] == [2] && action["dtype"] as? String == "float32")

        let task = try TaskRegistry.standard.task("pendulum-v1")
        let light = try JSONValue.parse(#"{"mass": 0.5}"#), heavy = try JSONValue.parse(#"{"mass": 2.0, "length": 0.8}"#)
        var env = try task.makeVector([light, light, heavy, heavy], threads: 1)
        var batch = env.reset(seed: 9)
        let memory = CallerMemory(count: 4, observationSize: 3)
        #expect(shoal_batch_reset(handle, 9, memory.raw) == 0)
        for t in 0..<20 {
            let actions: [Float] = [1, -1, 0.5, Float(t) / 10]
            #expect(actions.withUnsafeBufferPointer { shoal_batch_step(handle, $0.baseAddress, 4, memory.raw) } == 0)
            try env.step(actions, into: &batch)
            #expect(memory.observationArray == batch.observations)
            #expect(memory.rewardArray == batch.rewards)
        }
    }

    @Test func boundMemoryStepsLikeStep() throws {
        let a = try create("acrobot-v1", count: 3, seed: 6), b = try create("acrobot-v1", count: 3, seed: 6)
        defer { _ = shoal_batch_destroy(a); _ = shoal_batch_destroy(b) }
        #expect(shoal_batch_step_bound(a) == ShoalStatus.invalidArgument.rawValue)
        #expect(lastError == "the batch has no bound buffers: call shoal_batch_bind first")
        let plain = CallerMemory(count: 3, observationSize: 6), bound = CallerMemory(count: 3, observationSize: 6)
        let actions = UnsafeMutablePointer<Float>.allocate(capacity: 3)
        defer { actions.deallocate() }
        #expect(shoal_batch_bind(b, actions, 2, bound.raw) == ShoalStatus.invalidAction.rawValue)
        #expect(shoal_batch_bind(b, actions, 3, plain.raw) == 0)
        #expect(shoal_batch_bind(b, actions, 3, bound.raw) == 0)  // binding again replaces the memory
        for t in 0..<600 {
            for i in 0..<3 { actions[i] = Float((i + t / 7) % 3) }
            #expect(shoal_batch_step(a, actions, 3, plain.raw) == 0)
            #expect(shoal_batch_step_bound(b) == 0)
            #expect(plain.observationArray == bound.observationArray && plain.rewardArray == bound.rewardArray)
            #expect(plain.truncatedArray == bound.truncatedArray && plain.episodeStartArray == bound.episodeStartArray)
        }
        actions[0] = 5
        #expect(shoal_batch_step_bound(b) == ShoalStatus.invalidAction.rawValue)
    }

    @Test func aTaskSetIsOneBatch() throws {
        var handle: Int64 = 0
        try #require(shoal_batch_create_task_set("acrobot-extreme-25", 2, 1, 3, &handle) == 0, "\(lastError)")
        defer { _ = shoal_batch_destroy(handle) }
        #expect(try info(handle)["count"] as? Int == 50)
        #expect(shoal_batch_create_task_set("acrobot-extreme-52", 2, 1, 3, &handle) == ShoalStatus.unknownTask.rawValue)
        #expect(lastError.contains("did you mean acrobot-extreme-25"))
    }

    @Test func badInputIsAStatusAndOneSentence() throws {
        var handle: Int64 = 0
        #expect(shoal_batch_create("cart-pol-v1", nil, 4, 1, 0, &handle) == ShoalStatus.unknownTask.rawValue)
        #expect(lastError.hasPrefix("unknown task 'cart-pol-v1'; did you mean cart-pole-v1?"))
        #expect(shoal_batch_create("pendulum-v1", #"{"mas": 1}"#, 4, 1, 0, &handle) == ShoalStatus.badParameters.rawValue)
        #expect(lastError.contains("unknown parameter 'mas'; did you mean 'mass'?"))
        #expect(shoal_batch_create("pendulum-v1", #"{"mass": -1}"#, 4, 1, 0, &handle) == ShoalStatus.badParameters.rawValue)
        #expect(lastError.contains("outside the valid range"))
        #expect(shoal_batch_create("pendulum-v1", #"{"mass": "#, 4, 1, 0, &handle) == ShoalStatus.invalidArgument.rawValue)
        #expect(lastError.hasPrefix("the parameters are not valid JSON: line 1"))
        #expect(shoal_batch_create("pendulum-v1", "[{}, {}]", 3, 1, 0, &handle) == ShoalStatus.invalidArgument.rawValue)
        #expect(shoal_batch_create("pendulum-v1", nil, 0, 1, 0, &handle) == ShoalStatus.invalidArgument.rawValue)
        #expect(lastError == "the number of copies must be in [1, 16777216], got 0")
        #expect(shoal_batch_create("pendulum-v1", nil, 4, 0, 0, &handle) == ShoalStatus.invalidArgument.rawValue)
        #expect(shoal_batch_create("navigation/indoor-v1", nil, 200_000, 1, 0, &handle) == ShoalStatus.invalidArgument.rawValue)
        #expect(lastError.hasPrefix("200000 copies of navigation/indoor-v1 would need more than 2 GiB of buffers: at most "))
        #expect(shoal_batch_create(nil, nil, 4, 1, 0, &handle) == ShoalStatus.invalidArgument.rawValue)
        #expect(shoal_batch_create("pendulum-v1", nil, 4, 1, 0, nil) == ShoalStatus.invalidArgument.rawValue)

        handle = try create("cart-pole-v1", count: 2)
        let memory = CallerMemory(count: 2, observationSize: 4)
        #expect(shoal_batch_reset(handle, 1, memory.raw) == 0)
        let before = memory.observationArray
        let three: [Float] = [0, 1, 1]
        #expect(shoal_batch_step(handle, three, 3, memory.raw) == ShoalStatus.invalidAction.rawValue)
        #expect(lastError == "expected 2 action values (one row per copy), got 3")
        let outOfRange: [Float] = [0, 2]
        #expect(shoal_batch_step(handle, outOfRange, 2, memory.raw) == ShoalStatus.invalidAction.rawValue)
        #expect(lastError.contains("action 2.0 of copy 1 is not a valid discrete action"))
        #expect(memory.observationArray == before, "a rejected step leaves the caller's buffers as they were")
        #expect(shoal_batch_step(handle, nil, 2, memory.raw) == ShoalStatus.invalidArgument.rawValue)
        let wrongShape = CallerMemory(count: 3, observationSize: 4)
        #expect(shoal_batch_step(handle, [0, 1], 2, wrongShape.raw) == ShoalStatus.invalidArgument.rawValue)
        #expect(lastError == "the output buffers are declared for 3 rows of 4 floats, but the batch has 2 rows of 4")
        let noObservations = CallerMemory(count: 2, observationSize: 4)
        noObservations.clear(field: 0)
        #expect(shoal_batch_step(handle, [0, 1], 2, noObservations.raw) == ShoalStatus.invalidArgument.rawValue)
        #expect(shoal_batch_step(handle, [0, 1], 2, nil) == ShoalStatus.invalidArgument.rawValue)
        // After all that, the batch still steps as if nothing had happened.
        #expect(shoal_batch_step(handle, [0, 1], 2, memory.raw) == 0)

        #expect(shoal_batch_destroy(handle) == 0)
        #expect(shoal_batch_step(handle, [0, 1], 2, memory.raw) == ShoalStatus.invalidHandle.rawValue)
        #expect(lastError.contains("is not a live batch"))
        #expect(shoal_batch_destroy(handle) == ShoalStatus.invalidHandle.rawValue)

        let pendulum = try create("pendulum-v1", count: 1)
        defer { _ = shoal_batch_destroy(pendulum) }
        let one = CallerMemory(count: 1, observationSize: 3)
        #expect(shoal_batch_step(pendulum, [Float.nan], 1, one.raw) == ShoalStatus.invalidAction.rawValue)
        #expect(lastError == "the action of copy 0 is not a finite number")
    }

    @Test func handlesAreNeverReusedAndOnlyLiveOnesAnswer() throws {
        let first = try create("cart-pole-v1", count: 1)
        #expect(first > 0)
        #expect(shoal_batch_destroy(first) == 0)
        let second = try create("cart-pole-v1", count: 1)
        defer { _ = shoal_batch_destroy(second) }
        #expect(second > first, "a new batch never takes the handle of a destroyed one")
        let memory = CallerMemory(count: 1, observationSize: 4)
        for stale in [first, 0, -1, second + 1_000, Int64.max, Int64.min] {
            #expect(shoal_batch_reset(stale, 0, memory.raw) == ShoalStatus.invalidHandle.rawValue)
            #expect(lastError == "batch handle \(stale) is not a live batch (it was destroyed, or never created)")
            #expect(shoal_batch_step_bound(stale) == ShoalStatus.invalidHandle.rawValue)
        }
        #expect(shoal_batch_reset(second, 0, memory.raw) == 0)
    }

    @Test func setStateWritesTheRowsObservation() throws {
        let handle = try create("cart-pole-v1", count: 3, seed: 2)
        defer { _ = shoal_batch_destroy(handle) }
        #expect(try info(handle)["state_names"] as? [String] == ["x", "x_dot", "theta", "theta_dot"])
        let memory = CallerMemory(count: 3, observationSize: 4)
        #expect(shoal_batch_reset(handle, 2, memory.raw) == 0)
        let others = Array(memory.observationArray[0..<4]) + Array(memory.observationArray[8..<12])
        let state: [Double] = [0.01, 0.02, 0.03, 0.04]
        #expect(shoal_batch_set_state(handle, 1, state, 4, memory.raw) == 0)
        #expect(Array(memory.observationArray[4..<8]) == state.map { Float($0) })
        #expect(Array(memory.observationArray[0..<4]) + Array(memory.observationArray[8..<12]) == others)
        #expect(shoal_batch_set_state(handle, 1, state, 3, memory.raw) == ShoalStatus.invalidState.rawValue)
        #expect(lastError == "task cart-pole-v1 takes 4 state values (x, x_dot, theta, theta_dot), got 3")
        #expect(shoal_batch_set_state(handle, 3, state, 4, memory.raw) == ShoalStatus.invalidState.rawValue)
        #expect(shoal_batch_set_state(handle, -1, state, 4, memory.raw) == ShoalStatus.invalidState.rawValue)
    }

    @Test func rendersClassicControlAndSaysWhatElseCannot() throws {
        let handle = try create("cart-pole-v1", count: 2)
        defer { _ = shoal_batch_destroy(handle) }
        var length: UInt = 0
        var buffer = [CChar](repeating: 0, count: 4096)
        #expect(shoal_batch_render_svg(handle, 1, &buffer, UInt(buffer.count), &length) == 0)
        let svg = String(cString: buffer)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>") && svg.contains("<title>cart-pole-v1</title>"))
        #expect(shoal_batch_render_svg(handle, 1, &buffer, 10, &length) == ShoalStatus.bufferTooSmall.rawValue)
        #expect(Int(length) == svg.utf8.count)
        #expect(shoal_batch_render_svg(handle, 2, &buffer, UInt(buffer.count), &length) == ShoalStatus.invalidArgument.rawValue)

        let grid = try create("grid-world/simple-5x5-v1", count: 1)
        defer { _ = shoal_batch_destroy(grid) }
        #expect(shoal_batch_render_svg(grid, 0, &buffer, UInt(buffer.count), &length) == ShoalStatus.unsupported.rawValue)
        #expect(lastError.contains("has no picture through the C interface"))
    }

    @Test func listsEveryTask() throws {
        var length: UInt = 0
        _ = shoal_list_tasks(nil, 0, &length)
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        try #require(shoal_list_tasks(&buffer, UInt(buffer.count), &length) == 0)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(String(cString: buffer).utf8)) as? [[String: Any]])
        let ids = Set(items.compactMap { $0["id"] as? String })
        let expected = Set(try TaskRegistry.standard.ids.map(\.description)).union(["hopper-v1", "ant-v1"])
        #expect(expected.isSubset(of: ids))
        #expect(items.contains { $0["task_set"] as? String == "pendulum-25" })
    }
}
