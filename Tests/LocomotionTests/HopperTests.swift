import Envs
import Foundation
import Testing
@testable import Locomotion

@Suite struct HopperTests {
    @Test func restMassesMatchMuJoCo() throws {
        let hopper = try Hopper(parameters: .init())
        let expected = [3.665191, 4.057891, 2.781357, 5.315575]
        for (m, e) in zip(hopper.world.masses, expected) { #expect(abs(m - e) < 1e-5) }
        #expect(abs(hopper.world.totalMass - 15.820014) < 1e-4)
    }

    @Test func unactuatedHopperFallsAndTerminatesUnhealthy() throws {
        var p = Hopper.Parameters()
        p.resetNoiseScale = 0
        var hopper = try Hopper(parameters: p)
        var g = RandomGenerator(seed: 1)
        hopper.reset(using: &g)
        #expect(hopper.qpos(1) == 1.25)
        let zero: [Float] = [0, 0, 0]
        var steps = 0
        var outcome = StepOutcome(reward: 0, terminated: false)
        while steps < 1000 && !outcome.terminated {
            outcome = zero.withUnsafeBufferPointer { hopper.step($0, using: &g) }
            steps += 1
        }
        print("hopper zero action terminated at step", steps, "z", hopper.qpos(1), "pitch", hopper.qpos(2))
        #expect(outcome.terminated && !outcome.diverged)
        #expect(steps > 20 && steps < 1000)
        #expect(!hopper.isHealthy)
    }
}
