import Envs
import Foundation
import Testing
@testable import Locomotion

@Suite struct HopperTests {
    func quietHopper(_ edit: (inout Hopper.Parameters) -> Void = { _ in }) throws -> Hopper {
        var p = Hopper.Parameters()
        p.resetNoiseScale = 0
        edit(&p)
        var hopper = try Hopper(parameters: p)
        var g = RandomGenerator(seed: 1)
        hopper.reset(using: &g)
        return hopper
    }

    func run(_ hopper: inout Hopper, steps: Int, action: [Float] = [0, 0, 0], stopOnEnd: Bool = true) -> (steps: Int, last: StepOutcome) {
        var g = RandomGenerator(seed: 2)
        var last = StepOutcome(reward: 0, terminated: false)
        for k in 0..<steps {
            last = action.withUnsafeBufferPointer { hopper.step($0, using: &g) }
            if stopOnEnd && last.terminated { return (k + 1, last) }
        }
        return (steps, last)
    }

    @Test func restMassesMatchMuJoCo() throws {
        let hopper = try quietHopper()
        // Hopper-v5 masses (spec §5.1; density 1000, capsules).
        let expected = [3.665191, 4.057891, 2.781357, 5.315575]
        for (m, e) in zip(hopper.world.masses, expected) { #expect(abs(m - e) < 1e-5) }
        #expect(abs(hopper.world.totalMass - 15.820014) < 1e-4)
    }

    @Test func drawnMassScaleScalesTotalMass() throws {
        let hopper = try quietHopper { $0.massScale = 0.37 }
        #expect(abs(hopper.world.totalMass - 0.37 * 15.820014) < 1e-4)
    }

    @Test func restPoseReadsAsTheReferenceQpos() throws {
        let hopper = try quietHopper()
        let expected: [Double] = [0, 1.25, 0, 0, 0, 0]
        for i in 0..<6 { #expect(abs(hopper.qpos(i) - expected[i]) < 1e-12) }
        var o = [Float](repeating: 9, count: 11)
        o.withUnsafeMutableBufferPointer { hopper.observe(into: $0) }
        #expect(o == [1.25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    /// Forward kinematics and sign conventions: a state set through the reference's qpos/qvel
    /// reads back identically.
    @Test func setStateRoundTrips() throws {
        var hopper = try quietHopper()
        let state: [Double] = [0.3, 1.1, 0.15, -0.4, -0.7, 0.2, 0.5, -0.2, 0.3, 1.5, -2.0, 0.7]
        try hopper.setState(state)
        for i in 0..<6 {
            #expect(abs(hopper.qpos(i) - state[i]) < 1e-9, "qpos \(i)")
            #expect(abs(hopper.qvel(i) - state[6 + i]) < 1e-9, "qvel \(i)")
        }
        // By hand (MuJoCo frame): the hip is 0.2 m below the torso centre, turned by the pitch φ
        // about +y; the thigh hangs 0.45 m from the hip turned by φ − θ (its hinge is about −y).
        let phi = 0.15, theta = -0.4
        let hip = Vec3(0.3 - 0.2 * sin(phi), 0, 1.1 - 0.2 * cos(phi))
        let knee = hip + Vec3(-0.45 * sin(phi - theta), 0, -0.45 * cos(phi - theta))
        let thigh = hopper.world.geometry()[1]
        #expect(length(thigh.b - hip) < 1e-9)
        #expect(length(thigh.a - knee) < 1e-9)
    }

    @Test func hugeStatesAreRejectedWithOneSentence() throws {
        var hopper = try quietHopper()
        var state = [Double](repeating: 0, count: 12)
        state[7] = 1e300
        #expect(throws: EnvironmentError.invalidState("state value z_dot = 1e+300 is outside the range the physics can hold (|value| ≤ 1e6)")) {
            try hopper.setState(state)
        }
    }

    @Test func unactuatedHopperFallsAndTerminatesUnhealthy() throws {
        var hopper = try quietHopper()
        let (steps, last) = run(&hopper, steps: 1000)
        #expect(last.terminated && !last.diverged)
        #expect(steps > 20 && steps < 1000)
        #expect(!hopper.isHealthy)
    }

    /// Full torque one way then the other: the soft stops let a swinging joint overshoot a
    /// little on impact (as MuJoCo's soft limits do), never by more than 0.1 rad, and a joint
    /// pushed steadily against its stop in the air rests within 0.02 rad of it.
    @Test func jointLimitsHold() throws {
        var hopper = try quietHopper { $0.maxEpisodeSteps = 0 }
        try hopper.setState([0, 3.0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])   // high up: the joints swing freely
        let limits = [(-150.0, 0.0), (-150.0, 0.0), (-45.0, 45.0)].map { ($0.0 * .pi / 180, $0.1 * .pi / 180) }
        var g = RandomGenerator(seed: 3)
        for k in 0..<300 {
            let a: [Float] = k % 100 < 50 ? [1, 1, 1] : [-1, -1, -1]
            _ = a.withUnsafeBufferPointer { hopper.step($0, using: &g) }
            for j in 0..<3 {
                let q = hopper.qpos(3 + j)
                #expect(q > limits[j].0 - 0.1 && q < limits[j].1 + 0.1, "joint \(j) at \(q) rad, step \(k)")
                if k == 49 {   // still in the air: nothing else holds the joints back
                    let bound = a[0] > 0 ? limits[j].1 : limits[j].0
                    #expect(abs(q - bound) < 0.02, "joint \(j) at \(q) rad, pushed to \(bound), step \(k)")
                }
            }
        }
    }

    @Test func energyDoesNotGrowWithoutInput() throws {
        var hopper = try quietHopper()
        try hopper.setState([0, 1.4, 0.1, -0.3, -0.2, 0.1, 0.5, 0, 1, 0, 0, 0])
        let e0 = hopper.world.mechanicalEnergy
        var g = RandomGenerator(seed: 4)
        let zero: [Float] = [0, 0, 0]
        var previous = e0
        for _ in 0..<400 {
            _ = zero.withUnsafeBufferPointer { hopper.step($0, using: &g) }
            let e = hopper.world.mechanicalEnergy
            #expect(e < e0 + 0.05, "energy \(e) J exceeds the start \(e0) J")
            previous = e
        }
        #expect(previous < e0)
    }

    @Test func windPushesAPassiveHopperDownwind() throws {
        func torsoX(wind: Double) throws -> Double {
            var hopper = try quietHopper { $0 = .inAir; $0.resetNoiseScale = 0; $0.windX = wind }
            _ = run(&hopper, steps: 60, stopOnEnd: false)
            return hopper.qpos(0)
        }
        let still = try torsoX(wind: 0), east = try torsoX(wind: 15), west = try torsoX(wind: -15)
        #expect(east > still + 1e-3)
        #expect(west < still - 1e-3)
    }

    @Test func dragIsStokesPlusQuadratic() {
        // Hand-computed: r = (0.1, 0.2, 0.3), v = (2, 0, 0), ρ = 1.2, β = 2e-4.
        // viscous = −3π·2e-4·(2·0.6/3)·2 = −0.0015080; quadratic = −2·1.2·(0.2·0.3)·2·2 = −0.576.
        let f = dragForce(velocity: Vec3(2, 0, 0), halfSizes: Vec3(0.1, 0.2, 0.3), density: 1.2, viscosity: 2e-4)
        #expect(abs(f.x - (-0.576 - 0.0015079645)) < 1e-9)
        #expect(f.y == 0 && f.z == 0)
        // A box's own moments give back its half-sizes.
        let m = 2.0, r = Vec3(0.1, 0.2, 0.3)
        let i = Vec3(m * (r.y * r.y + r.z * r.z) / 3, m * (r.z * r.z + r.x * r.x) / 3, m * (r.x * r.x + r.y * r.y) / 3)
        let back = equivalentBoxHalfSizes(mass: m, inertiaDiagonal: i)
        #expect(length(back - r) < 1e-12)
    }
}
