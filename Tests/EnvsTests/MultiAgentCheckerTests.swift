import Envs
import EnvsTesting
import Testing

/// The checker on the multi-agent catalogue, and on deliberately broken multi-agent batches.
@Suite("The checker on multi-agent tasks")
struct MultiAgentCheckerTests {
    static let ids: [String] = ((try? TaskRegistry.standard)?.tasks.values.filter { $0 is any MultiAgentRegisteredTask } ?? [])
        .map(\.id.description).sorted()

    @Test("the standard registry holds the multi-agent tasks")
    func catalogue() {
        #expect(Self.ids == ["mpe/lapg-2-heterogeneous-v1", "mpe/lapg-2-v1", "mpe/lapg-5-heterogeneous-v1", "mpe/simple-spread-v1", "random-mdp/local-actions-v1"])
    }

    @Test("every multi-agent task passes the checker, also in its other forms", arguments: ids)
    func check(id: String) throws {
        let task = try TaskRegistry.standard.multiAgentTask(id)
        try EnvironmentChecker().check(task: task)
        if id == "mpe/simple-spread-v1" {
            for variant in [JSONValue.object([("continuous", .bool(true)), ("agents", .integer(4)), ("landmarks", .integer(2))]),
                            .object([("reward", .string("assigned-loss")), ("observation", .string("global")), ("terminate_on_success", .bool(true))])] {
                let derived = try task.derived(id: TaskID("mpe/checked-v1")!, summary: nil, preset: variant, variants: [], context: "test")
                try EnvironmentChecker().check(task: derived)
            }
        }
    }

    /// Wraps the simple-spread batch and breaks one rule after each step.
    struct Broken: MultiAgentVectorEnvironment {
        enum Fault { case episodeStart, seed, returns, chunkStreams }
        nonisolated(unsafe) static var resets: UInt64 = 0
        var base: SimpleSpreadBatch
        var fault: Fault
        var count: Int { base.count }
        var agents: Int { base.agents }
        var observationSpaces: [Space] { base.observationSpaces }
        var actionSpaces: [Space] { base.actionSpaces }
        var stateSpace: Space { base.stateSpace }
        mutating func reset(seed: UInt64, into rows: MultiAgentStepBatchRows) {
            Self.resets += 1
            base.reset(seed: fault == .seed ? Self.resets : seed, into: rows)
        }
        mutating func step(validated actions: UnsafeBufferPointer<Float>, into rows: MultiAgentStepBatchRows) {
            base.step(validated: actions, into: rows)
            for r in 0..<rows.count {
                if fault == .episodeStart { rows.episodeStart[r] = false }
                if fault == .returns && rows.episodeStart[r] { rows.returns(agent: 1)[r] = rows.returns(agent: 0)[r] + 1 }
            }
        }
    }

    func spreads(limit: Int, copies: Int = 6, firstIndex: Int = 0) throws -> SimpleSpreadBatch {
        var p = SimpleSpread.Parameters()
        p.maxEpisodeSteps = limit
        return try SimpleSpreadBatch(parameters: [SimpleSpread.Parameters](repeating: p, count: copies), firstIndex: firstIndex)
    }

    func failure(_ fault: Broken.Fault) -> String? {
        let result = #expect(throws: CheckFailure.self) {
            try EnvironmentChecker().check(multiAgentTimeLimit: 9) { threads in
                if fault == .chunkStreams && threads > 1 {
                    // Two chunks whose second forgets its global index: its copies repeat the first's streams.
                    return try ParallelMultiAgentVector(chunks: [Broken(base: try spreads(limit: 9, copies: 3), fault: fault),
                                                                 Broken(base: try spreads(limit: 9, copies: 3), fault: fault)], threads: threads)
                }
                return Broken(base: try spreads(limit: 9), fault: fault)
            }
        }
        return result?.message
    }

    @Test func rejectsMissingEpisodeStart() { #expect(failure(.episodeStart)?.contains("episodeStart") == true) }
    @Test func rejectsIgnoredSeed() { #expect(failure(.seed)?.contains("same seed") == true) }
    @Test func rejectsWrongReturns() { #expect(failure(.returns)?.contains("agent 1: episode return") == true) }
    @Test func rejectsThreadDependentStreams() { #expect(failure(.chunkStreams)?.contains("threads gave a different batch") == true) }

    @Test func rejectsWrongTruncation() {
        let result = #expect(throws: CheckFailure.self) {
            try EnvironmentChecker().check(multiAgentTimeLimit: 9) { _ in try spreads(limit: 10) }
        }
        #expect(result?.message.contains("truncated") == true)
    }

    @Test func acceptsTheCorrectOne() throws {
        try EnvironmentChecker().check(multiAgentTimeLimit: 9) { threads in
            var p = SimpleSpread.Parameters()
            p.maxEpisodeSteps = 9
            return try MultiAgentTask<SimpleSpreadBatch>("mpe/simple-spread-v1", summary: "", source: "")
                .makeTypedVector([SimpleSpread.Parameters](repeating: p, count: 6), threads: threads)
        }
    }
}
