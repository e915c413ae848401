import Envs
import Foundation
import Testing
@testable import Locomotion

/// The surrogates against Gymnasium's MuJoCo robots (Hopper-v5, Ant-v5), on the statistics
/// `bench/locomotion_vs_mujoco.py` measures side by side. MuJoCo's figures here were measured
/// with Gymnasium 1.4.0 and MuJoCo 4.0.0 by that script (30 episodes each); the targets are the
/// calibration's: means within 25 %, resting heights within 5 %.
@Suite struct CalibrationTests {
    /// Mean episode length of the zero-action hopper over reset-noise seeds 0..<n, as
    /// `shoal envs stats hopper-v1 --policy zero` measures it.
    func zeroActionLengths(_ n: Int) throws -> [Int] {
        var env = try TaskRegistry().addingLocomotion().make("hopper-v1", count: 1)
        let zero: [Float] = [0, 0, 0]
        return try (0..<n).map { e in
            var batch = env.reset(seed: UInt64(e))
            for t in 1...1000 {
                try env.step(zero, into: &batch)
                if batch.ended(0) { return t }
            }
            return 1000
        }
    }

    /// MuJoCo's zero-action hopper falls after 157 steps on average (median 148) whatever the
    /// start noise. Before the joint stops were softened (ERP 0.8) and the rotor inertia kept at
    /// the stops, a thigh that started 0.003 rad past its stop was kicked back at about 1.4 rad/s
    /// and the mean fell to 56 steps.
    @Test func zeroActionHopperStandsAsLongAsMuJoCos() throws {
        let lengths = try zeroActionLengths(12)
        let mean = Double(lengths.reduce(0, +)) / Double(lengths.count)
        #expect(mean > 0.75 * 156.9 && mean < 1.25 * 156.9, "mean length \(mean), lengths \(lengths)")
        #expect(lengths.min()! > 60, "lengths \(lengths)")
    }

    /// A joint that starts just past its stop is eased back, not kicked: the torso's pitch rate
    /// after one step stays small (MuJoCo's soft limits behave so).
    @Test func aJointStartingPastItsStopIsNotKicked() throws {
        var p = Hopper.Parameters()
        p.resetNoiseScale = 0
        var hopper = try Hopper(parameters: p)
        try hopper.setState([0, 1.25, 0, 0.003, 0.003, 0, 0, 0, 0, 0, 0, 0])
        var g = RandomGenerator(seed: 1)
        let zero: [Float] = [0, 0, 0]
        _ = zero.withUnsafeBufferPointer { hopper.step($0, using: &g) }
        #expect(abs(hopper.qvel(2)) < 0.1, "pitch rate \(hopper.qvel(2)) rad/s after one step")
        #expect(abs(hopper.qvel(3)) < 0.2, "thigh rate \(hopper.qvel(3)) rad/s after one step")
    }

    /// Ant-v5 at rest (zero action, no reset noise): torso height 0.547 m averaged over steps
    /// 80–100, as its soft contacts let the feet creep outward (0.593 m at step 10, 0.493 m at
    /// step 200). The surrogate's feet creep through ODE's force-dependent slip.
    @Test func restingAntHeightWithinFivePercentOfMuJoCos() throws {
        var p = Ant.Parameters()
        p.resetNoiseScale = 0
        var ant = try Ant(parameters: p)
        var g = RandomGenerator(seed: 0)
        ant.reset(using: &g)
        let zero = [Float](repeating: 0, count: 8)
        var heights: [Double] = []
        for _ in 0..<100 {
            let outcome = zero.withUnsafeBufferPointer { ant.step($0, using: &g) }
            #expect(!outcome.terminated)
            heights.append(ant.world.position(0).z)
        }
        let resting = heights[79..<100].reduce(0, +) / 21
        #expect(abs(resting - 0.547) < 0.05 * 0.547, "resting height \(resting) m")
        #expect(abs(heights[9] - 0.593) < 0.05 * 0.593, "height at step 10: \(heights[9]) m")
    }
}
