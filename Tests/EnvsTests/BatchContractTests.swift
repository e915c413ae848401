import Envs
import Testing

@Suite("Step batches, bad actions and threads")
struct BatchContractTests {
    @Test func badActionsAreRejectedAndChangeNothing() throws {
        var env = try TaskRegistry.standard.make("cart-pole-v1", count: 3)
        var batch = env.reset(seed: 1)
        let before = batch.observations
        let count = #expect(throws: EnvironmentError.self) { try env.step([1, 0], into: &batch) }
        #expect(count == .wrongActionCount(expected: 3, got: 2))
        #expect(count?.description == "expected 3 action values (one row per copy), got 2")
        let range = #expect(throws: EnvironmentError.self) { try env.step([1, 2, 0], into: &batch) }
        #expect(range?.description == "action 2.0 of copy 1 is not a valid discrete action: valid actions are the integers 0…1")
        let fraction = #expect(throws: EnvironmentError.self) { try env.step([1, 0.5, 0], into: &batch) }
        #expect(fraction == .discreteActionOutOfRange(row: 1, value: 0.5, n: 2))
        #expect(batch.observations == before)

        var pendulum = try TaskRegistry.standard.make("pendulum-v1", count: 1)
        var pb = pendulum.reset(seed: 1)
        let nan = #expect(throws: EnvironmentError.self) { try pendulum.step([.nan], into: &pb) }
        #expect(nan == .nonFiniteAction(row: 0))
    }

    @Test func continuousActionsAreClippedAsTheReference() throws {
        var a = try TaskRegistry.standard.make("pendulum-v1", count: 1)
        var b = try TaskRegistry.standard.make("pendulum-v1", count: 1)
        var ba = a.reset(seed: 4), bb = b.reset(seed: 4)
        try a.step([5], into: &ba)
        try b.step([2], into: &bb)
        #expect(ba.observations == bb.observations && ba.rewards == bb.rewards)
    }

    @Test func sameStepAutoresetKeepsTheFinalObservation() throws {
        var env = try TaskRegistry.standard.make("pendulum-v1", count: 2, overrides: .object([("max_episode_steps", .integer(3))]))
        var batch = env.reset(seed: 9)
        var last = batch.observations
        for t in 1...3 {
            last = batch.observations
            try env.step([0.5, -0.5], into: &batch)
            #expect(batch.truncated == [t == 3, t == 3])
        }
        #expect(batch.episodeStart == [true, true])
        #expect(batch.episodes.lengths == [3, 3])
        #expect(batch.finalObservations != batch.observations)
        #expect(last != batch.finalObservations)
        // The new episode's observation is a fresh start: pendulum starts have |θ̇| ≤ 1.
        #expect(abs(batch.observations[2]) <= 1 && abs(batch.observations[5]) <= 1)
    }

    @Test func threadCountDoesNotChangeTheNumbers() throws {
        let registry = try TaskRegistry.standard
        var results: [[Float]] = []
        for threads in [1, 2, 3, 7] {
            var env = try registry.make(taskSet: "acrobot-extreme-25", copiesPerTask: 1, threads: threads)
            var batch = env.reset(seed: 42)
            var g = RandomGenerator(seed: 5)
            var trace: [Float] = []
            for _ in 0..<120 {
                let actions = (0..<env.count).map { _ in Float(g.below(3)) }
                try env.step(actions, into: &batch)
                trace += batch.observations + batch.rewards + batch.finalObservations
            }
            results.append(trace)
        }
        #expect(results.allSatisfy { $0 == results[0] })
    }

    @Test func perCopyParametersDiffer() throws {
        let registry = try TaskRegistry.standard
        var env = try registry.make(taskSet: "pendulum-25")
        var batch = env.reset(seed: 0)
        for r in 0..<25 { try env.setState([0.5, 0], row: r, into: &batch) }
        try env.step([Float](repeating: 0, count: 25), into: &batch)
        // θ̇' = 3g/(2l)·sin θ·dt depends on the length only: rows 0 and 5 share length 0.8, row 1 has 0.9.
        #expect(batch.observations[0 * 3 + 2] == batch.observations[5 * 3 + 2])
        #expect(batch.observations[0 * 3 + 2] != batch.observations[1 * 3 + 2])
    }
}

@Suite("Parallel batches balance chunks over threads")
struct ParallelScheduleTests {
    @Test func manyChunksAndBothSchedulesGiveTheSameNumbers() throws {
        // 1024 rows on 2 threads make 8 chunks; 40 steps cover the 32 timed steps, which run both
        // on one thread and on two.
        #expect(chunkRanges(count: 1024, threads: 2).count == 8)
        #expect(chunkRanges(count: 100, threads: 2).count == 2)
        #expect(chunkRanges(count: 1024, threads: 1).count == 1)
        let registry = try TaskRegistry.standard
        var traces: [[Float]] = []
        for threads in [1, 2, 3] {
            var env = try registry.make("cart-pole-v1", count: 1024, threads: threads)
            var batch = env.reset(seed: 3)
            var g = RandomGenerator(seed: 8)
            var trace: [Float] = []
            for _ in 0..<40 {
                try env.step((0..<1024).map { _ in Float(g.below(2)) }, into: &batch)
                trace += batch.observations + batch.rewards + batch.finalObservations
            }
            traces.append(trace)
        }
        #expect(traces[1] == traces[0] && traces[2] == traces[0])
    }

    @Test func theScheduleKeepsTheFasterWay() {
        var s = ThreadSchedule()
        for k in 0..<32 {
            let parallel = s.nextRunsParallel()
            #expect(parallel == (k % 2 == 0))
            s.record(parallel: parallel, nanoseconds: parallel ? 900 : 1000)
        }
        let afterFast = s.nextRunsParallel()
        #expect(afterFast)
        var t = ThreadSchedule()
        for _ in 0..<32 {
            let parallel = t.nextRunsParallel()
            t.record(parallel: parallel, nanoseconds: parallel ? 5000 : 1000)
        }
        let afterSlow = t.nextRunsParallel()
        #expect(!afterSlow)
    }
}

@Test("the episode tracker truncates exactly at the limit, and never with limit 0")
func episodeTrackerRule() {
    var tracker = EpisodeTracker(count: 2)
    tracker.begin(0)
    tracker.begin(1)
    #expect(tracker.record(0, reward: 1, limit: 2) == false)
    #expect(tracker.record(0, reward: 1, limit: 2) == true)
    #expect(tracker.elapsedSteps(0) == 2)
    for _ in 0..<1000 { #expect(tracker.record(1, reward: 0, limit: 0) == false) }
}
