import Envs
import Foundation
import Testing
@testable import Locomotion

@Suite struct BodyModelTests {
    let base = """
    {
      "name": "pendulum",
      "contact": {"erp": 0.2, "cfm": 1e-5},
      "bodies": [
        {"name": "base", "geoms": [{"type": "sphere", "center": [0, 0, 1], "radius": 0.1}]},
        {"name": "arm", "density": 500, "geoms": [{"type": "capsule", "from": [0, 0, 1], "to": [0, 0, 0.5], "radius": 0.05}]}
      ],
      "joints": [{"name": "swing", "parent": "base", "child": "arm", "anchor": [0, 0, 1], "axis": [0, 1, 0], "range": [-90, 90]}],
      "actuators": [{"joint": "swing", "gear": 10}]
    }
    """

    func error(_ text: String) -> String? {
        do { _ = try BodyModel.parse(text, file: "robot.json"); return nil } catch { return error.message }
    }

    @Test func aValidFileBuildsAWorld() throws {
        let model = try BodyModel.parse(base, file: "robot.json")
        #expect(model.bodies.count == 2 && model.joints.count == 1 && model.actuators.count == 1)
        #expect(abs(model.joints[0].range!.upperBound - .pi / 2) < 1e-15)
        let world = try ArticulatedWorld(model: model)
        // Sphere 1000·4/3·π·0.1³ + capsule 500·(π·0.05²·0.5 + 4/3·π·0.05³).
        let pi = Double.pi
        let sphere: Double = 1000 * 4.0 / 3 * pi * 0.001
        let cylinder: Double = pi * 0.0025 * 0.5
        let caps: Double = 4.0 / 3 * pi * 0.000125
        let capsule: Double = 500 * (cylinder + caps)
        #expect(abs(world.totalMass - (sphere + capsule)) < 1e-9)
    }

    @Test func bundledBodiesLoad() throws {
        #expect(try BodyModel.bundled("hopper").joints.count == 3)
        #expect(try BodyModel.bundled("ant").actuators.count == 8)
    }

    @Test func jointNamingAMissingBody() {
        let text = base.replacingOccurrences(of: "\"child\": \"arm\"", with: "\"child\": \"amr\"")
        #expect(error(text) == "body file robot.json, joint swing: field child: no body is named 'amr'; did you mean 'arm'? Bodies: base, arm.")
    }

    @Test func negativeMass() {
        let text = base.replacingOccurrences(of: "\"density\": 500,", with: "\"density\": 500, \"mass\": -2,")
        #expect(error(text) == "body file robot.json, body arm: field mass: -2 is not a positive mass (kg)")
    }

    @Test func zeroLengthCapsule() {
        let text = base.replacingOccurrences(of: "\"to\": [0, 0, 0.5]", with: "\"to\": [0, 0, 1]")
        #expect(error(text) == "body file robot.json, body arm, geom 0: the capsule has zero length (from and to are the same point); use a sphere")
    }

    @Test func unknownField() {
        let text = base.replacingOccurrences(of: "\"density\": 500,", with: "\"densty\": 500,")
        #expect(error(text) == "body file robot.json, body arm: unknown field 'densty'; did you mean 'density'? Valid fields: name, density, mass, geoms, friction.")
    }

    @Test func syntaxErrorNamesLineAndColumn() {
        let message = error("{\n  \"name\": \"x\",\n  oops\n}") ?? ""
        #expect(message.hasPrefix("body file robot.json: line 3, column 3"))
    }

    @Test func unattachedBodyAndBadRange() {
        let orphan = base.replacingOccurrences(of: "\"joints\": [{\"name\": \"swing\", \"parent\": \"base\", \"child\": \"arm\", \"anchor\": [0, 0, 1], \"axis\": [0, 1, 0], \"range\": [-90, 90]}]", with: "\"joints\": []")
            .replacingOccurrences(of: "{\"joint\": \"swing\", \"gear\": 10}", with: "")
        #expect(error(orphan) == "body file robot.json: body arm is not attached: no joint names it as its child")
        let range = base.replacingOccurrences(of: "[-90, 90]", with: "[90, -90]")
        #expect(error(range) == "body file robot.json, joint swing: field range: expected [low, high] in degrees with −180 < low ≤ high < 180")
    }
}

extension BodyModelTests {
    @Test func contactSlipIsReadAndRangeChecked() throws {
        let slipping = base.replacingOccurrences(of: "\"contact\": {\"erp\": 0.2, \"cfm\": 1e-5}", with: "\"contact\": {\"erp\": 0.2, \"cfm\": 1e-5, \"slip\": 0.02}")
        #expect(try BodyModel.parse(slipping, file: "robot.json").contact.slip == 0.02)
        #expect(try BodyModel.parse(base, file: "robot.json").contact.slip == 0)
        let bad = base.replacingOccurrences(of: "\"contact\": {\"erp\": 0.2, \"cfm\": 1e-5}", with: "\"contact\": {\"erp\": 0.2, \"cfm\": 1e-5, \"slip\": -1}")
        let message = error(bad) ?? ""
        #expect(message.contains("slip") && message.contains("[0, 1]"), "\(message)")
    }
}
