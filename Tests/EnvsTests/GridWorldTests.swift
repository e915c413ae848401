import EnvsTesting
import Testing
@testable import Envs

@Suite struct GridWorldTests {
    @Test func mapErrorsNameFileLineAndColumn() {
        func message(_ text: String) -> String {
            do { _ = try GridMap(text: text, source: "bad.txt"); return "" } catch { return error.description }
        }
        #expect(message("S..\n..\n..G\n") == "map bad.txt, line 2, column 3: the map is ragged: this row has 2 cells, row 1 has 3")
        #expect(message("S..\n.Q.\n..G\n").hasPrefix("map bad.txt, line 2, column 2: unknown character 'Q'"))
        #expect(message("...\n...\n..G\n") == "map bad.txt, line 3, column 4: the map has no start cell S")
        #expect(message("S..\n...\n...\n") == "map bad.txt, line 3, column 4: the map has no goal cell G")
        #expect(message("") == "map bad.txt, line 1, column 1: the map is empty")
        // Windows line ends and trailing blank lines are fine.
        #expect(message("S.\r\n.G\r\n\n") == "")
    }

    @Test func unknownMapAndOutOfRangeProbabilityAreClearErrors() throws {
        let registry = try TaskRegistry.standard
        #expect(throws: (any Error).self) { _ = try registry.make("grid-world-v1", count: 1, overrides: .object([("map", .string("simple-5x6"))])) }
        do {
            _ = try registry.make("grid-world/windy-5x5-v1", count: 1, overrides: .object([("wind_up", .real(1.5))]))
            Issue.record("no error")
        } catch {
            #expect("\(error)" == "task grid-world/windy-5x5-v1: parameter wind_up: 1.5 is outside the valid range: wind_up must be a number in [0, 1]")
        }
        do {
            _ = try registry.make("grid-world-v1", count: 1, overrides: .object([("map", .string("simple-5x6"))]))
        } catch {
            #expect("\(error)".contains("unknown map 'simple-5x6'; did you mean 'simple-5x5'?"))
        }
    }

    @Test func frozenLakeSlipsLikeGymnasium() throws {
        let m = try GridWorld.Parameters.frozenLake4x4.tabularModel()
        // State 0, LEFT: turns up (stays), left (stays), or down (to 4), 1/3 each.
        #expect(abs(m.probability(0, 0, 0) - 2.0 / 3.0) < 1e-12)
        #expect(abs(m.probability(0, 0, 4) - 1.0 / 3.0) < 1e-12)
        // State 14, RIGHT: to the goal 15 with 1/3, paying 1/3 in expectation.
        #expect(abs(m.probability(14, 2, 15) - 1.0 / 3.0) < 1e-12)
        #expect(abs(m.reward(14, 2) - 1.0 / 3.0) < 1e-12)
        #expect(m.terminal[5] && m.terminal[15] && !m.terminal[0])
        #expect(m.initial[0] == 1)
    }

    @Test func windPushesUpAndLeftIndependently() throws {
        let m = try GridWorld.Parameters.windy5x5.tabularModel()
        // Cell 12 (row 2, col 2), RIGHT → 13, then up (−5) w.p. 0.3 and left (−1) w.p. 0.3.
        #expect(abs(m.probability(12, 2, 13) - 0.49) < 1e-12)
        #expect(abs(m.probability(12, 2, 8) - 0.21) < 1e-12)
        #expect(abs(m.probability(12, 2, 12) - 0.21) < 1e-12)
        #expect(abs(m.probability(12, 2, 7) - 0.09) < 1e-12)
        #expect(m.reward(12, 2) == -1)
        // Reaching the goal pays 0 and ends the episode.
        #expect(m.terminal[24] && m.reward(23, 2) > -1)
    }

    /// Sampled transitions agree with the exported model: frequencies within 5 standard errors,
    /// rewards equal to the model's expectation.
    @Test(arguments: ["frozen-lake/4x4-v1", "grid-world/windy-5x5-v1", "grid-world/dcpg-resolvable-v1",
                      "grid-world/two-task-chain-v1:stochastic-task-2", "random-mdp-v1:small"])
    func sampledTransitionsMatchTheModel(_ spec: String) throws {
        let registry = try TaskRegistry.standard
        let parts = spec.split(separator: ":").map(String.init)
        let task = try registry.task(parts[0])
        var assignment = JSONValue.object([])
        if parts.count > 1 {
            assignment = parts[1] == "small" ? .object([("states", .integer(6)), ("agents", .integer(2))]) : try task.variant(parts[1])
        }
        let tabular = try #require(task as? any TabularTask)
        let model = try tabular.tabularModel(assignment, context: spec)
        let resolved = try task.resolve(assignment, context: spec)
        var env = try task.makeVector([resolved], threads: 1)
        var batch = env.reset(seed: 11)
        for s in 0..<model.stateCount where !model.terminal[s] {
            for a in 0..<model.actionCount {
                // Deterministic rows need few draws; random ones enough for a 5-σ band.
                let random = (0..<model.stateCount).contains { model.probability(s, a, $0) > 0 && model.probability(s, a, $0) < 1 }
                let draws = random ? 3000 : 10
                var counts = [Int](repeating: 0, count: model.stateCount)
                var rewardTotal = 0.0
                for _ in 0..<draws {
                    try env.setState([Double(s)], row: 0, into: &batch)
                    try env.step([Float(a)], into: &batch)
                    let next = Int(batch.ended(0) ? batch.finalObservations[0] : batch.observations[0])
                    counts[next] += 1
                    rewardTotal += Double(batch.rewards[0])
                }
                for k in 0..<model.stateCount {
                    let p = model.probability(s, a, k)
                    let f = Double(counts[k]) / Double(draws)
                    let se = max((p * (1 - p) / Double(draws)).squareRoot(), 1e-9)
                    #expect(abs(f - p) <= 5 * se + 1e-12, "\(spec): P(\(k)|\(s),\(a)) = \(p), sampled \(f)")
                }
                let spread = model.rewards.map(abs).max() ?? 1
                #expect(abs(rewardTotal / Double(draws) - model.reward(s, a)) <= 5 * spread / Double(draws).squareRoot() + 1e-9)
            }
        }
    }

    /// The native vector equals `SerialVector<GridWorld>` row by row, across autoresets, with
    /// copies carrying different parameters.
    @Test func nativeVectorEqualsSerialVector() throws {
        var parameters: [GridWorld.Parameters] = []
        for i in 0..<24 {
            var p = i % 3 == 0 ? GridWorld.Parameters.windy5x5 : (i % 3 == 1 ? .frozenLake5x5 : .simple5x5)
            p.actions = 5
            p.maxEpisodeSteps = 7 + i % 5
            p.observation = "one-hot"
            p.start = i % 4 == 0 ? "uniform" : "map"
            parameters.append(p)
        }
        var native = try GridWorldVector(parameters: parameters, firstIndex: 3)
        var serial = try SerialVector<GridWorld>(parameters: parameters, firstIndex: 3)
        var a = native.reset(seed: 5), b = serial.reset(seed: 5)
        #expect(a.observations == b.observations)
        var g = RandomGenerator(seed: 99)
        var ended = 0
        for _ in 0..<300 {
            let actions = (0..<parameters.count).map { _ in Float(g.below(5)) }
            try native.step(actions, into: &a)
            try serial.step(actions, into: &b)
            #expect(a.observations == b.observations)
            #expect(a.rewards == b.rewards)
            #expect(a.terminated == b.terminated)
            #expect(a.truncated == b.truncated)
            #expect(a.episodeStart == b.episodeStart)
            for row in a.endedRows {
                ended += 1
                #expect(a.finalObservation(row) == b.finalObservation(row))
                #expect(a.episodes.returns[row] == b.episodes.returns[row])
                #expect(a.episodes.lengths[row] == b.episodes.lengths[row])
            }
        }
        #expect(ended > 100)
    }

    @Test func sameSeedSameBatchesWhateverTheThreadCount() throws {
        let registry = try TaskRegistry.standard
        func run(_ threads: Int, seed: UInt64) throws -> [Float] {
            var env = try registry.make("grid-world/windy-5x5-v1", count: 37, threads: threads)
            var batch = env.reset(seed: seed)
            var out: [Float] = []
            var g = RandomGenerator(seed: 1)
            for _ in 0..<50 {
                try env.step((0..<37).map { _ in Float(g.below(5)) }, into: &batch)
                out += batch.observations + batch.rewards
            }
            return out
        }
        #expect(try run(1, seed: 4) == run(2, seed: 4))
        #expect(try run(1, seed: 4) == run(3, seed: 4))
        #expect(try run(1, seed: 4) != run(1, seed: 5))
    }

    /// A `deterministic` tag is checked, not trusted: a windy (random) grid tagged so is rejected.
    @Test func checkerRejectsAFalseDeterministicTag() throws {
        let task = try TaskRegistry.standard.task("grid-world/windy-5x5-v1")
        let resolved = try task.resolve(.object([]), context: "test")
        #expect(throws: CheckFailure.self) {
            try EnvironmentChecker().check(timeLimit: nil, label: "windy", deterministic: true) { threads in
                try task.makeVector([JSONValue](repeating: resolved, count: 6), threads: threads)
            }
        }
        try EnvironmentChecker().check(task: task)
    }

    @Test func observationKinds() throws {
        var p = GridWorld.Parameters.simple5x5
        p.observation = "row-col"
        var env = try GridWorld(parameters: p)
        try env.setState([13])
        var o = [Float](repeating: -1, count: 2)
        o.withUnsafeMutableBufferPointer { env.observe(into: $0) }
        #expect(o == [2, 3])
        #expect(env.observationSpace == .box(low: [0, 0], high: [4, 4]))
        #expect(try GridWorld(parameters: .simple5x5).observationSpace == .discrete(25))
        #expect(throws: EnvironmentError.self) { try env.setState([25]) }
    }

    @Test func registryHoldsTheNamedTasksAndSets() throws {
        let registry = try TaskRegistry.standard
        for id in ["grid-world/two-task-chain-v1", "grid-world/sutton-barto-4x4-v1", "grid-world/simple-5x5-v1",
                   "grid-world/windy-5x5-v1", "frozen-lake/4x4-v1", "frozen-lake/5x5-v1", "random-mdp-v1",
                   "grid-world/dcpg-no-conflict-v1", "grid-world/dcpg-start-top-right-v1"] {
            #expect(registry.tasks[TaskID(id)!] != nil, "\(id)")
        }
        #expect(try registry.taskSet("dcpg-start-top-left").tasks.count == 6)
        #expect(try registry.taskSet("dcpg-unresolvable").tasks.count == 4)
        #expect(try registry.task("grid-world/two-task-chain-v1").variants.map(\.name) == ["task-1", "task-2", "stochastic-task-1", "stochastic-task-2"])
    }
}
