import Envs
import Foundation
import Testing

/// A trajectory recorded from Gymnasium 1.4.0 (see Fixtures/classic-control/README.md).
struct ReferenceCase {
    var file: String
    var env: String
    var params: JSONValue
    var initialState: [Double]
    var actions: [[Float]]
    var steps: [(obs: [Double], reward: Double, terminated: Bool, truncated: Bool)]

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/classic-control")

    static func all() throws -> [ReferenceCase] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { try load($0) }
    }

    static func load(_ name: String) throws -> ReferenceCase {
        let json = try JSONValue.parse(String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
        let actions: [[Float]] = json["actions"]!.arrayValue!.map { a in
            if let list = a.arrayValue { return list.map { Float($0.doubleValue!) } }
            return [Float(a.doubleValue!)]
        }
        let steps = json["steps"]!.arrayValue!.map { s in
            (obs: s["obs"]!.arrayValue!.map { $0.doubleValue! }, reward: s["reward"]!.doubleValue!,
             terminated: s["terminated"]! == .bool(true), truncated: s["truncated"]! == .bool(true))
        }
        return ReferenceCase(file: name, env: json["env"]!.stringValue!, params: json["params"]!,
                             initialState: json["initial_state"]!.arrayValue!.map { $0.doubleValue! }, actions: actions, steps: steps)
    }

    var taskID: String {
        switch env {
        case "pendulum": return "pendulum-v1"
        case "cartpole": return "cart-pole-v1"
        default: return "acrobot-v1"
        }
    }
}

@Suite("Classic control matches the Gymnasium reference trajectories")
struct ReferenceConformanceTests {
    @Test("every recorded step is reproduced", arguments: try ReferenceCase.all().map(\.file))
    func replay(file: String) throws {
        let ref = try ReferenceCase.load(file)
        let registry = try TaskRegistry.standard
        var env = try registry.make(ref.taskID, count: 1, overrides: ref.params)
        var batch = env.reset(seed: 0)
        try env.setState(ref.initialState, row: 0, into: &batch)
        #expect(ref.actions.count == ref.steps.count)
        for (t, (action, expected)) in zip(ref.actions, ref.steps).enumerated() {
            try env.step(action, into: &batch)
            let ended = expected.terminated || expected.truncated
            let obs = ended ? Array(batch.finalObservation(0)) : Array(batch.observation(0))
            for (k, (mine, theirs)) in zip(obs, expected.obs).enumerated() {
                try #require(abs(Double(mine) - theirs) <= 1e-5, "\(file) step \(t) obs[\(k)]: \(mine) vs \(theirs)")
            }
            try #require(abs(Double(batch.rewards[0]) - expected.reward) <= 1e-6, "\(file) step \(t) reward \(batch.rewards[0]) vs \(expected.reward)")
            try #require(batch.terminated[0] == expected.terminated, "\(file) step \(t) terminated")
            try #require(batch.truncated[0] == expected.truncated, "\(file) step \(t) truncated")
        }
    }
}

@Suite("Golden steps of the reference spec")
struct GoldenStepTests {
    @Test func pendulum() {
        var s = Pendulum.State(theta: 1.0, thetaDot: 0.5)
        let cost = pendulumStep(&s, torque: 1.5, Pendulum.Parameters())
        #expect(s.theta == 1.0678051619302962)
        #expect(s.thetaDot == 1.3561032386059226)
        #expect(abs(-cost - (-1.027250000135973)) < 1e-15)
        var clipped = Pendulum.State(theta: 3.0, thetaDot: 7.9)
        let cost2 = pendulumStep(&clipped, torque: 2.0, Pendulum.Parameters())
        #expect(abs(clipped.theta - 3.4) < 1e-12 && clipped.thetaDot == 8.0)
        #expect(abs(-cost2 - (-15.24500000018999)) < 1e-12)
    }

    @Test func cartPole() {
        let start = CartPole.State(x: 0.01, xDot: 0.02, theta: 0.03, thetaDot: 0.04)
        var right = start
        cartPoleStep(&right, force: 10, CartPole.Parameters())
        #expect(right == CartPole.State(x: 0.0104, xDot: 0.21467919574755523, theta: 0.030799999999999998, thetaDot: -0.2430687179600081))
        var left = start
        cartPoleStep(&left, force: -10, CartPole.Parameters())
        #expect(left == CartPole.State(x: 0.0104, xDot: -0.17553901710278938, theta: 0.030799999999999998, thetaDot: 0.34199522377603914))
    }

    @Test func acrobotBookAndNips() {
        let start = SIMD4<Double>(0.1, -0.2, 0.3, -0.4)
        let book = acrobotStep(start, torque: 1, Acrobot.Parameters())
        let expectedBook = SIMD4<Double>(0.1282116312891261, -0.211840321026976, -0.023484731535001357, 0.28679521459777013)
        let diffBook = book - expectedBook
        #expect((0..<4).allSatisfy { Swift.abs(diffBook[$0]) < 1e-14 })
        var nipsParameters = Acrobot.Parameters()
        nipsParameters.bookDynamics = false
        let nips = acrobotStep(start, torque: -1, nipsParameters)
        let expectedNips = SIMD4<Double>(0.15454657412262998, -0.27998528006797363, 0.23213634227051066, -0.37822173761944317)
        let diffNips = nips - expectedNips
        #expect((0..<4).allSatisfy { Swift.abs(diffNips[$0]) < 1e-14 })
    }

    @Test func angleNormalizeFollowsFloorModulo() {
        #expect(angleNormalize(0) == 0)
        #expect(angleNormalize(.pi) == -.pi)
        #expect(abs(angleNormalize(-3 * .pi / 2) - .pi / 2) < 1e-15)
        #expect(abs(angleNormalize(7) - (7 - 2 * .pi)) < 1e-15)
    }

    @Test func swingUpRewardAtGoalAndHanging() {
        let p = CartPole.Parameters.swingUpDefaults
        #expect(abs(swingUpReward(CartPole.State(x: 0, xDot: 0, theta: 0, thetaDot: 0), p) - 2) < 1e-15)
        // Hanging straight down: the tip is 2·(2l) = 1 m below the goal, cos θ = −1.
        let hanging = swingUpReward(CartPole.State(x: 0, xDot: 0, theta: .pi, thetaDot: 0), p)
        #expect(abs(hanging - (2 / (1 + exp(1.0)) - 1)) < 1e-12)
    }
}
