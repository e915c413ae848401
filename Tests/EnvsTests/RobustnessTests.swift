import Envs
import Foundation
import Testing

/// Wrapping, clamping and divergence on extreme states, and the memory budget of sizes.
struct EnvsRobustnessTests {
    /// The reference's `wrap`: repeated ±2π.
    func loopWrap(_ x: Double) -> Double {
        var v = x
        while v > .pi { v -= 2 * .pi }
        while v < -.pi { v += 2 * .pi }
        return v
    }

    @Test func wrapAngleIsBitIdenticalToTheReferenceOnOrdinaryAnglesAndO1Beyond() {
        var g = RandomGenerator(seed: 5, index: 0)
        for _ in 0..<200_000 {
            let x = g.uniform(-16 * .pi, 16 * .pi)
            #expect(wrapAngle(x).bitPattern == loopWrap(x).bitPattern, "\(x)")
        }
        for x in [1e20, -1e20, 1e300, -Double.greatestFiniteMagnitude, 123456.789] {
            let w = wrapAngle(x)
            #expect(w >= -.pi && w <= .pi, "\(x) → \(w)")
            #expect(abs(sin(w) - sin(x)) < 1e-6 || abs(x) > 1e15, "\(x)")
        }
        #expect(wrapAngle(.infinity).isNaN && wrapAngle(-.infinity).isNaN && wrapAngle(.nan).isNaN)
    }

    @Test func acrobotWithHugeAnglesStepsInO1AndNativeEqualsSerial() throws {
        var p = Acrobot.Parameters()
        p.dt = 2; p.maxVel1 = 10_000; p.maxVel2 = 10_000
        let parameters = [Acrobot.Parameters](repeating: p, count: 4)
        var native = try AcrobotBatch(parameters: parameters, firstIndex: 0)
        var serial = try SerialVector<Acrobot>(parameters: parameters, firstIndex: 0)
        var a = native.reset(seed: 1), b = serial.reset(seed: 1)
        try native.setState([3e38, -1e20, 1e4, -1e4], row: 2, into: &a)
        try serial.setState([3e38, -1e20, 1e4, -1e4], row: 2, into: &b)
        let start = Date()
        for _ in 0..<500 {
            try native.step([2, 0, 2, 0], into: &a)
            try serial.step([2, 0, 2, 0], into: &b)
            #expect(a.observations.allSatisfy { $0.isFinite } && a.finalObservations.allSatisfy { $0.isFinite })
            #expect(a.observations == b.observations && a.terminated == b.terminated && a.episodes.diverged == b.episodes.diverged)
        }
        #expect(Date().timeIntervalSince(start) < 30)
    }

    @Test func acrobotStepOfANonFiniteStateIsDiverged() {
        // A NaN state stays NaN through RK4 and the wrap: the step's outcome flags divergence.
        let s = acrobotStep(SIMD4(.nan, 0, 0, 0), torque: 0, Acrobot.Parameters())
        #expect(!s.sum().isFinite)
        #expect(wrapAngle(.infinity).isNaN)
    }

    @Test func cartPoleRunawayStatesEndAsDivergedNotNull() throws {
        var env = try SerialVector<CartPoleSwingUp>(parameters: [CartPoleSwingUp.Parameters()], firstIndex: 0)
        var batch = env.reset(seed: 0)
        try env.setState([0, 0, 0, 3e38], row: 0, into: &batch)
        var sawEnd = false
        for _ in 0..<5 {
            try env.step([0], into: &batch)
            #expect(batch.observations.allSatisfy { $0.isFinite } && batch.finalObservations.allSatisfy { $0.isFinite })
            sawEnd = sawEnd || batch.terminated[0]
        }
        #expect(sawEnd)
        #expect(cartPoleDiverged(CartPole.State(x: 0, xDot: .nan, theta: 0, thetaDot: 0)))
        #expect(!cartPoleDiverged(CartPole.State(x: 1, xDot: -2, theta: 0.1, thetaDot: 3)))
    }

    @Test func statesBeyondFloatAreRejected() throws {
        var env = try TaskRegistry.standard.make("cart-pole-v1", count: 1)
        var batch = env.reset(seed: 0)
        #expect(throws: EnvironmentError.self) { try env.setState([0, 1e39, 0, 0], row: 0, into: &batch) }
        try env.setState([0, 3e38, 0, 0], row: 0, into: &batch)
    }

    @Test func memoryBudgetNamesTheEstimateAndTheLimit() throws {
        let budget = MemoryBudget(limitBytes: 1e9, limitSource: "a test limit")
        try budget.check(5e8, for: "five hundred megabytes")
        do {
            try budget.check(MemoryBudget.bytes(Int.max, perItem: 1024), for: "--num-envs \(Int.max)")
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("--num-envs 9223372036854775807 needs about 9.4e+09 TB of memory, more than the limit of 1.0 GB (a test limit)"), "\(error)")
        }
        #expect(!budget.allows(.nan) && !budget.allows(.infinity))
        #expect(MemoryBudget.standard.limitBytes > 0)
        #expect(throws: EnvironmentError.self) { _ = try TaskRegistry.standard.make("cart-pole-v1", count: Int.max) }
        #expect(throws: EnvironmentError.self) { _ = try TaskRegistry.standard.make("cart-pole-v1", count: 4_000_000_000, threads: 2) }
    }

    @Test func batchesOfOneAssignmentDecodeItOnce() throws {
        // A million copies build in well under the time per-copy decoding took (about 17 s).
        let start = Date()
        let env = try TaskRegistry.standard.make("cart-pole-v1", count: 1_000_000, overrides: .object([("pole_half_length", .real(0.7))]), threads: 2)
        #expect(env.count == 1_000_000)
        #expect(Date().timeIntervalSince(start) < 15)
    }

    static let mapText = """
    {"name": "room", "floor_z": 0, "ceiling_z": 3,
     "colors": {"wall": "#c8b89a", "floor": "#6b5a48", "ceiling": "#e8e4da"},
     "light": {"level": 0.9, "azimuth_degrees": 30, "falloff": 14},
     "boundary": BOUNDARY,
     "walls": WALLS,
     "start_poses": [{"x": 2, "y": 2, "yaw_degrees": 0, "z": 1.5}]}
    """

    func mapError(boundary: String = "[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]", walls: String = "[]") -> String? {
        let text = Self.mapText.replacingOccurrences(of: "BOUNDARY", with: boundary).replacingOccurrences(of: "WALLS", with: walls)
        do {
            _ = try IndoorMap.decode(try JSONValue.parse(text), file: "room.json")
            return nil
        } catch { return "\(error)" }
    }

    @Test func indoorMapsRejectWallsOutsideSelfIntersectingBoundariesAndHugeSizes() {
        #expect(mapError() == nil)
        #expect(mapError(walls: #"[{"from": [10, 0], "to": [10, 5]}]"#) == nil, "a wall on the boundary is inside")
        #expect(mapError(walls: #"[{"from": [5, 5], "to": [15, 5]}]"#)?.contains("lies outside the boundary") == true)
        #expect(mapError(boundary: "[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]")?.contains("intersects itself") == true)
        #expect(mapError(boundary: "[[0, 0], [1e300, 0], [1e300, 10], [0, 10], [0, 0]]")?.contains("within ±100000 m") == true)
        #expect(mapError(boundary: "[[-99999, -99999], [99999, -99999], [99999, 99999], [-99999, 99999], [-99999, -99999]]")?
            .contains("memory") == true)
    }

    @Test func navigationStartsOutsideTheWallsAreErrors() throws {
        var env = try TaskRegistry.standard.make("navigation/indoor-v1", count: 1)
        var batch = env.reset(seed: 0)
        #expect(throws: EnvironmentError.self) { try env.setState([-1000, -1000, 0, 1.5], row: 0, into: &batch) }
        #expect(throws: EnvironmentError.self) { try env.setState([2, 2, 0, 100], row: 0, into: &batch) }
    }

    @Test func taskSetSizesAndSeedsAreChecked() throws {
        let registry = try TaskRegistry.standard
        func setError(_ body: String) -> String? {
            do {
                _ = try TaskSet.decode(name: "s", from: try JSONValue.parse(body), registry: registry, context: "family file f.json")
                return nil
            } catch { return "\(error)" }
        }
        #expect(setError(#"{"task": "pendulum-v1", "draw": {"count": 1e300, "seed": 0, "parameters": {"mass": {"uniform": [1, 2]}}}}"#)?
            .contains("memory") == true)
        #expect(setError(#"{"task": "pendulum-v1", "draw": {"count": 2, "seed": 1e30, "parameters": {"mass": {"uniform": [1, 2]}}}}"#)?
            .contains("2^64") == true)
        let axis = "[" + (0..<1000).map { _ in "1.0" }.joined(separator: ",") + "]"
        #expect(setError("{\"task\": \"pendulum-v1\", \"grid\": {\"mass\": \(axis), \"length\": \(axis), \"max_speed\": \(axis), \"dt\": \(axis)}}")?
            .contains("memory") == true)
    }

    @Test func largeJSONObjectsParseInLinearTimeAndStillRejectDuplicates() throws {
        let keys = (0..<50_000).map { "\"k\($0)\": \($0)" }
        let start = Date()
        let value = try JSONValue.parse("{" + keys.joined(separator: ",") + "}")
        #expect(value.objectPairs?.count == 50_000)
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(throws: JSONSyntaxError.self) { _ = try JSONValue.parse("{" + keys.joined(separator: ",") + ", \"k20000\": 1}") }
        #expect(throws: JSONSyntaxError.self) { _ = try JSONValue.parse(#"{"a": 1, "a": 2}"#) }
    }

    @Test func actionsFilesAreParsedStrictly() throws {
        #expect(try ActionsFile.parse("[0, 2, 1]", space: .discrete(3), path: "a.json") == [[0], [2], [1]])
        #expect(try ActionsFile.parse("[[0.5], -1.5]", space: .box(low: [-2], high: [2]), path: "a.json") == [[0.5], [-1.5]])
        for (text, space) in [("[3]", Space.discrete(3)), ("[1.5]", .discrete(3)), ("[[1e39]]", .box(low: [-2], high: [2])),
                              ("[[1, 2]]", .box(low: [-2], high: [2])), ("{}", .discrete(2)), ("[0,", .discrete(2))] {
            do {
                _ = try ActionsFile.parse(text, space: space, path: "a.json")
                Issue.record("\(text) accepted")
            } catch {
                #expect("\(error)".hasPrefix("actions file a.json"), "\(error)")
            }
        }
    }
}
