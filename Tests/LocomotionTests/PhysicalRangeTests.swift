import Envs
import Foundation
import Testing
@testable import Locomotion

/// Physical parameters outside the range where ODE is valid are errors, never an abort inside ODE.
@Suite struct PhysicalRangeTests {
    let base = """
    {
      "name": "pendulum",
      "contact": {"erp": 0.2, "cfm": 1e-5},
      "bodies": [
        {"name": "base", "geoms": [{"type": "sphere", "center": [0, 0, 1], "radius": 0.1}]},
        {"name": "arm", "density": DENSITY, "geoms": [{"type": "capsule", "from": [0, 0, 1], "to": [0, 0, 0.5], "radius": RADIUS}]}
      ],
      "joints": [{"name": "swing", "parent": "base", "child": "arm", "anchor": [0, 0, 1], "axis": [0, 1, 0]}],
      "actuators": [{"joint": "swing", "gear": 10}]
    }
    """

    func model(density: String, radius: String = "0.05") throws -> BodyModel {
        try BodyModel.parse(base.replacingOccurrences(of: "DENSITY", with: density).replacingOccurrences(of: "RADIUS", with: radius), file: "robot.json")
    }

    @Test func nearZeroOrHugeDensitiesAreRefusedWithTheRange() throws {
        for d in ["1e-300", "1e-9", "0.5", "1e9"] {
            do {
                _ = try model(density: d)
                Issue.record("density \(d) accepted")
            } catch {
                let message = (error as? BodyModelError)?.message ?? "\(error)"
                #expect(message.contains("field density") && message.contains("[1, 50000] kg/m³"), "\(message)")
            }
        }
        #expect(throws: BodyModelError.self) { _ = try model(density: "500", radius: "1e-9") }
        _ = try ArticulatedWorld(model: try model(density: "1"))
    }

    @Test func scaledMassesOutsideTheValidRangeAreRefused() throws {
        // A 1 mm sphere of density 1 weighs 4e-9 kg: below the mass ODE simulates validly.
        let tiny = try model(density: "1", radius: "0.001")
        do {
            _ = try ArticulatedWorld(model: tiny, massScale: 0.01)
            Issue.record("accepted")
        } catch {
            let message = error.message
            #expect(message.contains("weighs") && message.contains("kg"), "\(message)")
        }
    }

    @Test func runawayBodiesStopTheStepBeforeODEDoes() throws {
        let world = try ArticulatedWorld(model: try model(density: "500"))
        // Launch the root body far beyond the position limit's reach in one step.
        world.setPose(rootPosition: Vec3(0, 0, 1), rootRotation: Rotation3(axis: Vec3(0, 0, 1), angle: 0),
                      rootVelocity: Vec3(9000, 0, 0), rootAngularVelocity: Vec3(0, 0, 0),
                      jointAngle: { _ in 0 }, jointRate: { _ in 0 })
        let action = [Float](repeating: 0, count: 1)
        var ok = true
        for _ in 0..<2000 where ok { ok = action.withUnsafeBufferPointer { world.step($0, substeps: 1, h: 0.01) } }
        #expect(!ok)
        #expect(abs(world.position(0).x) < 2 * ArticulatedWorld.positionLimit)
    }
}
