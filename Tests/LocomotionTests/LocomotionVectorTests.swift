import Envs
import Foundation
import Testing
@testable import Locomotion

@Suite struct LocomotionVectorTests {
    let registry: TaskRegistry

    init() throws {
        registry = try TaskRegistry().addingLocomotion()
    }

    /// Steps `vector` with random actions from a fixed stream; returns every observation, reward
    /// and end flag, and the number of rows whose episode diverged.
    func rollout(_ vector: inout any VectorEnvironment, steps: Int, seed: UInt64) throws -> (trace: [Float], diverged: Int, nonFinite: Int) {
        var batch = vector.makeBatch()
        vector.reset(seed: seed, into: &batch)
        var g = RandomGenerator(seed: 99)
        var actions = [Float](repeating: 0, count: vector.count * vector.actionSpace.size)
        var trace: [Float] = []
        var diverged = 0, nonFinite = 0
        for _ in 0..<steps {
            for i in actions.indices { actions[i] = Float(g.uniform(-1, 1)) }
            try vector.step(actions, into: &batch)
            trace += batch.observations
            trace += batch.rewards
            trace += batch.terminated.map { $0 ? 1 : 0 }
            for row in 0..<batch.count where batch.ended(row) && batch.episodes.diverged[row] { diverged += 1 }
            nonFinite += batch.observations.filter { !$0.isFinite }.count + batch.rewards.filter { !$0.isFinite }.count
        }
        return (trace, diverged, nonFinite)
    }

    @Test(arguments: ["hopper-v1", "ant-v1"])
    func bitIdenticalWhateverTheThreadCount(_ id: String) throws {
        var traces: [[Float]] = []
        for threads in [1, 2, 3] {
            var v = try registry.make(id, count: 6, threads: threads)
            traces.append(try rollout(&v, steps: 60, seed: 5).trace)
        }
        #expect(traces[0] == traces[1])
        #expect(traces[0] == traces[2])
        var other = try registry.make(id, count: 6, threads: 2)
        let different = try rollout(&other, steps: 60, seed: 6).trace
        #expect(different != traces[0])
    }

    @Test func taskSetsHoldTwentyFiveDrawnTasks() throws {
        for name in ["hopper/random-mass-25", "hopper/wind-25", "ant/random-mass-25", "ant/wind-25"] {
            let set = try registry.taskSet(name)
            #expect(set.tasks.count == 25)
        }
        // Paper 000, appendix A.3: Beta(0.1, 0.1) transformed to [0.05, 0.95].
        for name in ["hopper/random-mass-25", "ant/random-mass-25"] {
            let masses = try registry.taskSet(name).tasks.compactMap { $0["mass_scale"]?.doubleValue }
            #expect(masses.count == 25)
            #expect(masses.allSatisfy { $0 >= 0.05 && $0 <= 0.95 }, "\(name): \(masses)")
            #expect(Set(masses).count == 25)
            // Beta(0.1, 0.1) piles up near the ends of the range.
            #expect(masses.filter { $0 < 0.2 || $0 > 0.8 }.count >= 15, "\(name): \(masses)")
        }
        let winds = try registry.taskSet("hopper/wind-25").tasks
        #expect(winds.allSatisfy { $0["air_density"]?.doubleValue == 1.2 && $0["air_viscosity"]?.doubleValue == 2e-4 })
        #expect(winds.allSatisfy { abs($0["wind_x"]!.doubleValue!) <= 15 && abs($0["wind_y"]!.doubleValue!) <= 15 })
    }

    @Test func drawnMassScaleChangesTotalMass() throws {
        let set = try registry.taskSet("hopper/random-mass-25")
        let task = try #require(try registry.task("hopper/random-mass-v1") as? Task<SerialVector<Hopper>>)
        for assignment in set.tasks.prefix(5) {
            let p = try task.typedParameters(assignment, context: "test")
            let hopper = try Hopper(parameters: p)
            #expect(abs(hopper.world.totalMass - p.massScale * 15.820014) < 1e-4)
        }
    }

    /// 10 000 random-action steps of every family (a task set's batch, 25 rows × 400 steps):
    /// nothing non-finite ever reaches a batch.
    @Test(arguments: ["hopper/random-mass-25", "hopper/wind-25", "ant/random-mass-25", "ant/wind-25"])
    func noNaNInTenThousandRandomSteps(_ set: String) throws {
        var v = try registry.make(taskSet: set, threads: 2)
        let result = try rollout(&v, steps: 400, seed: 11)
        #expect(result.nonFinite == 0)
    }

    @Test func aDivergingCopyEndsFlaggedAndResets() throws {
        var v = try registry.make("hopper-v1", count: 3)
        var batch = v.makeBatch()
        v.reset(seed: 1, into: &batch)
        var state = [Double](repeating: 0, count: 12)
        state[1] = 1.25
        state[7] = 5e4   // a vertical speed the physics cannot hold
        try v.setState(state, row: 1, into: &batch)
        try v.step([Float](repeating: 0, count: 9), into: &batch)
        #expect(batch.terminated[1] && batch.episodes.diverged[1] && batch.episodeStart[1])
        #expect(!batch.episodes.diverged[0] && !batch.terminated[0])
        #expect(batch.finalObservations.allSatisfy { $0.isFinite })
        // The reset copy is back near the start pose.
        #expect(abs(batch.observation(1).first! - 1.25) < 0.01)
        try v.step([Float](repeating: 0, count: 9), into: &batch)
        #expect(!batch.terminated[1])
    }
}
