import Envs
import Foundation
import Testing
@testable import Locomotion

@Suite struct AntTests {
    func quietAnt(_ edit: (inout Ant.Parameters) -> Void = { _ in }) throws -> Ant {
        var p = Ant.Parameters()
        p.resetNoiseScale = 0
        edit(&p)
        var ant = try Ant(parameters: p)
        var g = RandomGenerator(seed: 1)
        ant.reset(using: &g)
        return ant
    }

    @Test func massesMatchMuJoCo() throws {
        let ant = try quietAnt()
        // Spec §5.2: rigid torso composite 0.483881 kg, short leg 0.039158, ankle 0.067592; total 0.91088.
        #expect(abs(ant.world.masses[0] - 0.483881) < 1e-5)
        #expect(abs(ant.world.masses[1] - 0.039158) < 1e-5)
        #expect(abs(ant.world.masses[2] - 0.067592) < 1e-5)
        #expect(abs(ant.world.totalMass - 0.91088) < 1e-4)
        let heavy = try quietAnt { $0.massScale = 1.8 }
        #expect(abs(heavy.world.totalMass - 1.8 * 0.91088) < 1e-4)
    }

    @Test func restObservation() throws {
        let ant = try quietAnt()
        #expect(ant.observationSpace.size == 105)
        var o = [Float](repeating: 9, count: 105)
        o.withUnsafeMutableBufferPointer { ant.observe(into: $0) }
        var expected = [Float](repeating: 0, count: 105)   // in the air: no contact forces yet
        expected[0] = 0.75; expected[1] = 1
        #expect(o == expected)
        let short = try quietAnt { $0 = .withoutContactForces; $0.resetNoiseScale = 0 }
        #expect(short.observationSpace.size == 27)
        var o27 = [Float](repeating: 9, count: 27)
        o27.withUnsafeMutableBufferPointer { short.observe(into: $0) }
        #expect(Array(o27) == Array(expected[0..<27]))
    }

    /// Ant-v5 at rest after 100 zero-action steps (no reset noise), `clip(cfrc_ext[1:], −1, 1)`
    /// measured with Gymnasium 1.4.0 + MuJoCo 4.0.0: only the four shins (bodies 4, 7, 10, 13)
    /// touch the floor, each row [±1, ±1, 0, ±0.854, ±0.854, 1] (raw: torque ±1.047 about the
    /// mass centre, a 2.234 N vertical force, ±0.854 N outward). The surrogate's rows agree to
    /// within 0.02 except the outward friction, 0.67 N (within 25 %: the force-dependent slip
    /// that lets the feet creep as MuJoCo's do carries less friction), and it carries the weight
    /// of the ant: the clipped vertical forces are 1, the unclipped ones sum to m·g.
    @Test func restingContactForcesMatchMuJoCos() throws {
        var ant = try quietAnt()
        var g = RandomGenerator(seed: 2)
        let zero = [Float](repeating: 0, count: 8)
        for _ in 0..<100 { _ = zero.withUnsafeBufferPointer { ant.step($0, using: &g) } }
        var o = [Float](repeating: 9, count: 105)
        o.withUnsafeMutableBufferPointer { ant.observe(into: $0) }
        let mujoco: [Int: [Float]] = [
            3: [1, -1, 0, -0.854, -0.854, 1], 6: [1, 1, 0, 0.854, -0.854, 1],
            9: [-1, 1, 0, 0.854, 0.854, 1], 12: [-1, -1, 0, -0.854, 0.854, 1],
        ]
        for row in 0..<13 {
            let expected = mujoco[row] ?? [Float](repeating: 0, count: 6)
            for k in 0..<6 {
                let tolerance: Float = k == 3 || k == 4 ? 0.25 * abs(expected[k]) : 0.02
                #expect(abs(o[27 + 6 * row + k] - expected[k]) <= tolerance, "row \(row + 1), component \(k): \(o[27 + 6 * row + k]) vs \(expected[k])")
            }
        }
        var support = 0.0
        for b in 0..<ant.world.model.bodies.count { support += ant.world.contactWrench[6 * b + 5] }
        #expect(abs(support - ant.world.totalMass * 9.81) < 0.02 * ant.world.totalMass * 9.81, "support \(support) N")
    }

    @Test func setStateRoundTrips() throws {
        var ant = try quietAnt()
        let half = 0.5.squareRoot()
        var state = [Double](repeating: 0, count: 29)
        state[0] = 0.2; state[1] = -0.1; state[2] = 0.8
        state[3] = half; state[6] = half          // 90° about z
        for j in 0..<8 { state[7 + j] = 0.1 * Double(j + 1) - 0.4; state[21 + j] = 0.3 * Double(j) - 1 }
        state[15] = 0.4; state[17] = -0.2; state[18] = 0.5; state[20] = 0.3
        try ant.setState(state)
        var o = [Float](repeating: 0, count: 105)
        o.withUnsafeMutableBufferPointer { ant.observe(into: $0) }
        for i in 0..<27 { #expect(abs(Double(o[i]) - state[2 + i]) < 1e-5, "observation \(i)") }
        #expect(abs(ant.world.position(0).x - 0.2) < 1e-12)
    }

    @Test func passiveAntSettlesOnItsLegsAndStaysHealthy() throws {
        var ant = try quietAnt()
        var g = RandomGenerator(seed: 2)
        let zero = [Float](repeating: 0, count: 8)
        var contact = 0.0
        for _ in 0..<100 {
            let outcome = zero.withUnsafeBufferPointer { ant.step($0, using: &g) }
            #expect(!outcome.terminated)
            contact = ant.world.clippedContactWrenchSquared
        }
        let z = ant.world.position(0).z
        #expect(z > 0.3 && z < 0.75, "torso at \(z) m")
        #expect(contact > 0)
        // Energy does not grow without input.
        let e0 = ant.world.mechanicalEnergy
        for _ in 0..<100 { _ = zero.withUnsafeBufferPointer { ant.step($0, using: &g) } }
        #expect(ant.world.mechanicalEnergy < e0 + 1e-3)
    }

    @Test func windPushesAPassiveAntDownwind() throws {
        func torso(_ wx: Double, _ wy: Double) throws -> Vec3 {
            var ant = try quietAnt { $0 = .inAir; $0.resetNoiseScale = 0; $0.windX = wx; $0.windY = wy }
            try ant.setState([0, 0, 2.5, 1, 0, 0, 0] + [Double](repeating: 0, count: 22))   // in the air
            var g = RandomGenerator(seed: 2)
            let zero = [Float](repeating: 0, count: 8)
            for _ in 0..<8 { _ = zero.withUnsafeBufferPointer { ant.step($0, using: &g) } }
            return ant.world.position(0)
        }
        let still = try torso(0, 0), pushed = try torso(15, -15)
        #expect(pushed.x > still.x + 1e-3)
        #expect(pushed.y < still.y - 1e-3)
    }
}
