import Envs
import Foundation
import Testing

/// A map document: a `width × depth` room (floor 0, ceiling 3) with extra JSON fields spliced in.
private func roomJSON(width: Double, depth: Double, start: String, extra: String = "") -> String {
    """
    {"name": "room", "floor_z": 0, "ceiling_z": 3,
     "colors": {"wall": "#808080", "floor": "#404040", "ceiling": "#c0c0c0"},
     "light": {"level": 1, "azimuth_degrees": 0, "falloff": 10},
     "boundary": [[0, 0], [\(width), 0], [\(width), \(depth)], [0, \(depth)], [0, 0]],
     \(extra)
     "start_poses": [\(start)]}
    """
}

private func decodeMap(_ text: String) throws -> IndoorMap {
    try IndoorMap.decode(try JSONValue.parse(text), file: "test.json")
}

/// Writes a map to a temporary file and returns its path (the `map` parameter accepts paths).
private func mapFile(_ text: String, name: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-nav-\(ProcessInfo.processInfo.processIdentifier)-\(name).json")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

private func mapError(_ text: String) -> String {
    do { _ = try decodeMap(text); return "no error" } catch { return "\(error)" }
}

@Suite("Navigation geometry")
struct NavigationGeometryTests {
    @Test("rays against segments: hand-computed distances")
    func raySegment() {
        #expect(raySegmentDistance(ox: 0, oy: 0, dx: 1, dy: 0, ax: 3, ay: -1, bx: 3, by: 1) == 3)
        let d = raySegmentDistance(ox: 0, oy: 0, dx: 0.5.squareRoot(), dy: 0.5.squareRoot(), ax: 2, ay: -5, bx: 2, by: 5)
        #expect(abs(d - 2 * 2.0.squareRoot()) < 1e-12)
        #expect(raySegmentDistance(ox: 0, oy: 0, dx: 1, dy: 0, ax: 3, ay: 1, bx: 3, by: 2) == .infinity)   // passes below
        #expect(raySegmentDistance(ox: 0, oy: 0, dx: 1, dy: 0, ax: 1, ay: 0, bx: 5, by: 0) == .infinity)   // parallel
        #expect(raySegmentDistance(ox: 0, oy: 0, dx: -1, dy: 0, ax: 3, ay: -1, bx: 3, by: 1) == .infinity) // behind
    }

    @Test("rays against circles: hand-computed distances")
    func rayCircle() {
        #expect(rayCircleDistance(ox: 0, oy: 0, dx: 1, dy: 0, cx: 5, cy: 0, r: 1) == 4)
        #expect(abs(rayCircleDistance(ox: 0, oy: 0, dx: 1, dy: 0, cx: 5, cy: 0.6, r: 1) - 4.2) < 1e-12) // 5 − √(1 − 0.36)
        #expect(rayCircleDistance(ox: 0, oy: 0, dx: 1, dy: 0, cx: 5, cy: 1.5, r: 1) == .infinity)
        #expect(rayCircleDistance(ox: 5, oy: 0, dx: 1, dy: 0, cx: 5, cy: 0, r: 1) == 0)
    }

    @Test("casting through the grid finds the nearest wall, pillar and furniture")
    func castRay() throws {
        let map = try decodeMap(roomJSON(width: 10, depth: 4, start: #"{"x": 1, "y": 2, "yaw_degrees": 0}"#, extra: """
            "cylinders": [{"center": [6, 3.2], "radius": 0.5}],
            "boxes": [{"center": [4, 2], "size": [1, 1], "height": 0.8}],
            """))
        // Along +x from (1, 2): the table's near face at x = 3.5 (low), the far wall at x = 10.
        let straight = map.castRay(x: 1, y: 2, dx: 1, dy: 0, maxDistance: 50)
        #expect(straight.distance == 9)
        #expect(straight.lowDistance == 2.5)
        // At 45°: the top wall y = 4 at 2/sin 45° = 2√2.
        let diagonal = map.castRay(x: 1, y: 2, dx: 0.5.squareRoot(), dy: 0.5.squareRoot(), maxDistance: 50)
        #expect(abs(diagonal.distance - 2 * 2.0.squareRoot()) < 1e-12)
        // Along y = 3.2: the pillar centred on the ray at x = 6, radius 0.5 → x = 5.5.
        let pillar = map.castRay(x: 1, y: 3.2, dx: 1, dy: 0, maxDistance: 50)
        #expect(abs(pillar.distance - 4.5) < 1e-12)
        // Out of range: nothing hit, distance = the range.
        #expect(map.castRay(x: 1, y: 2, dx: 1, dy: 0, maxDistance: 5).obstacle == -1)
        #expect(map.collides(x: 3.3, y: 2, z: 0.5, radius: 0.25))     // against the table's edge
        #expect(!map.collides(x: 3.3, y: 2, z: 1.5, radius: 0.25))    // over it
        #expect(map.isInsideSolid(x: 4, y: 2, z: 0.5) && !map.isInsideSolid(x: 4, y: 2, z: 1.5) && !map.isInsideSolid(x: 2, y: 2, z: 0.5))
        #expect(map.collides(x: 9.9, y: 2, z: 1.5, radius: 0.25))     // the wall
    }

    @Test("the camera's depth plane: a wall head-on and the floor's bottom row")
    func cameraDepth() throws {
        let path = try mapFile(roomJSON(width: 10, depth: 8, start: #"{"x": 1, "y": 4, "yaw_degrees": 0, "z": 1.5}"#), name: "camera")
        var p = IndoorNavigation.Parameters()
        p.map = path
        p.startPose = 0
        let env = try IndoorNavigation(parameters: p)
        var obs = [Float](repeating: 0, count: env.observationSpace.size)
        obs.withUnsafeMutableBufferPointer { env.observe(into: $0) }
        let range = 50.0 / 255 * 100
        // Planar depth of a wall facing the camera is its distance, 9 m, in every column.
        #expect(abs(Double(obs[11 * 32 + 8]) - 9 / range) < 1e-6)
        #expect(abs(Double(obs[12 * 32 + 16]) - 9 / range) < 1e-6)
        // Bottom row: the floor 1.5 m below at slope 11.5/f, f = 16 / tan 40°.
        let f = 16 / tan(40 * Double.pi / 180)
        #expect(abs(Double(obs[23 * 32 + 5]) - 1.5 * f / 11.5 / range) < 1e-5)
        // Colour planes are in [0, 1] and the floor differs from the wall.
        #expect(obs.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(obs[768 + 23 * 32 + 5] != obs[768 + 12 * 32 + 5])
    }

    @Test("the colour scan: the plain scan's depths, then the wall's shaded colour (hand-computed)")
    func colourScan() throws {
        let path = try mapFile(roomJSON(width: 10, depth: 8, start: #"{"x": 1, "y": 4, "yaw_degrees": 0, "z": 1.5}"#), name: "scan-rgb")
        var p = IndoorNavigation.Parameters()
        p.map = path
        p.startPose = 0
        p.observation = "scan"
        p.scanRays = 1
        let plain = try IndoorNavigation(parameters: p)
        p.scanChannels = "depth_rgb"
        let coloured = try IndoorNavigation(parameters: p)
        #expect(coloured.observationSpace == .box(Box(shape: [4], low: 0, high: 1)))
        var a = [Float](repeating: 0, count: 1), b = [Float](repeating: 0, count: 4)
        a.withUnsafeMutableBufferPointer { plain.observe(into: $0) }
        b.withUnsafeMutableBufferPointer { coloured.observe(into: $0) }
        #expect(b[0] == a[0])
        #expect(abs(Double(a[0]) - 9 / (50.0 / 255 * 100)) < 1e-6)
        // The wall x = 10, 9 m ahead, faces the light (azimuth 0): Lambert term 1, so the
        // brightness is level 1 / (1 + (9 / falloff 10)²) times the palette's #808080.
        let expected = Float(128.0 / 255) * Float(1 / (1 + 0.81))
        for c in 1...3 { #expect(abs(b[c] - expected) < 1e-6, "plane \(c): \(b[c])") }
        // Nothing within range is black: a scan range shorter than the wall's distance.
        p.depthRange = 5
        let short = try IndoorNavigation(parameters: p)
        b.withUnsafeMutableBufferPointer { short.observe(into: $0) }
        #expect(b == [1, 0, 0, 0])
    }

    @Test("the four worlds' colour scans tell them apart; the task set carries them")
    func colourScansTellWorldsApart() throws {
        var planes: [[Float]] = []
        for map in ["long", "twist", "vanleer", "complex"] {
            var p = IndoorNavigation.Parameters()
            p.map = map
            p.startPose = 0
            p.actions = "planar"
            p.observation = "scan"
            p.scanChannels = "depth_rgb"
            let env = try IndoorNavigation(parameters: p)
            var o = [Float](repeating: 0, count: 64)
            o.withUnsafeMutableBufferPointer { env.observe(into: $0) }
            #expect(o.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(map)")
            planes.append(Array(o[16...]))
        }
        for a in 0..<4 { for b in (a + 1)..<4 { #expect(planes[a] != planes[b]) } }
        let vector = try TaskRegistry.standard.make(taskSet: "navigation-indoor-4-scan-rgb")
        #expect(vector.count == 4)
        #expect(vector.observationSpace == .box(Box(shape: [64], low: 0, high: 1)))
    }
}

@Suite("PEDRA rules")
struct NavigationRulesTests {
    @Test("the 25 actions: yaw and pitch bins of PEDRA 2.0")
    func actions() {
        let yawSpan = 80.0 / 1.5 * .pi / 180, pitchSpan = 30.0 * .pi / 180
        let deg = 180 / Double.pi
        let a0 = pedraActionAngles(0, yawSpan: yawSpan, pitchSpan: pitchSpan)
        #expect(abs(a0.yaw * deg + 21.333333333) < 1e-6 && abs(a0.pitch * deg + 12) < 1e-9)
        let a12 = pedraActionAngles(12, yawSpan: yawSpan, pitchSpan: pitchSpan)
        #expect(a12.yaw == 0 && a12.pitch == 0)
        let a7 = pedraActionAngles(7, yawSpan: yawSpan, pitchSpan: pitchSpan)   // v = 1, h = 2
        #expect(a7.yaw == 0 && abs(a7.pitch * deg + 6) < 1e-9)
        let a24 = pedraActionAngles(24, yawSpan: yawSpan, pitchSpan: pitchSpan)
        #expect(abs(a24.yaw * deg - 21.333333333) < 1e-6 && abs(a24.pitch * deg - 12) < 1e-9)
    }

    @Test("region bounds: n = g·50/3 windows, hand-computed")
    func bounds() {
        // g = 0.3: n = 5, window 4.8 × 6.4, h = ⌊8.64⌋, w = ⌊12.8⌋; ends round(12.8), round(18.4), round(5.6), round(24.8).
        let b = pedraRegionBounds(meanDepth: 0.3, height: 24, width: 32)
        #expect(b.rows == 8..<13 && b.left == 6..<12 && b.centre == 12..<18 && b.right == 18..<25)
        // g small: n = 1, the centre is the whole image.
        let near = pedraRegionBounds(meanDepth: 0.05, height: 24, width: 32)
        #expect(near.rows == 0..<24 && near.centre == 0..<32 && near.left.isEmpty && near.right.isEmpty)
        #expect(pedraSmallestCount(30) == 2 && pedraSmallestCount(50) == 2 && pedraSmallestCount(768) == 38 && pedraSmallestCount(10) == 1)
    }

    @Test("region depths: the mean of the smallest 5 %")
    func regions() {
        var image = [Float](repeating: 0.3, count: 24 * 32)
        image[9 * 32 + 13] = 0.1
        image[10 * 32 + 15] = 0.2
        image[8 * 32 + 6] = 0.05
        // g ≈ 0.2993: same windows as g = 0.3; each region has 30 pixels, k = 2.
        let d = pedraRegionDepths(image, height: 24, width: 32)
        #expect(abs(d.centre - 0.15) < 1e-6)
        #expect(abs(d.left - 0.175) < 1e-6)
        #expect(abs(d.right - 0.3) < 1e-6)
        #expect(pedraRegionDepths([Float](repeating: 0, count: 24 * 32), height: 24, width: 32).centre == 0)
    }
}

@Suite("Indoor navigation")
struct IndoorNavigationTests {
    func straight(_ path: String) throws -> IndoorNavigation {
        var p = IndoorNavigation.Parameters()
        p.map = path
        p.startPose = 0
        p.actions = "planar"
        p.actionNoise = false
        return try IndoorNavigation(parameters: p)
    }

    @Test("flying straight into a wall: rewards d/range, then a crash below 0.07 (≈ 1.37 m)")
    func crashIntoWall() throws {
        // Wall at x = 10; the first step ends 2.4 m from it, nearer than the floor's nearest pixel
        // (2.487 m), so every pixel reads the wall and the centre depth is d / 19.608.
        let path = try mapFile(roomJSON(width: 10, depth: 8, start: #"{"x": 7.2, "y": 4, "yaw_degrees": 0, "z": 1.5}"#), name: "crash")
        var env = try straight(path)
        var g = RandomGenerator(seed: 1)
        env.reset(using: &g)
        let range = 50.0 / 255 * 100
        var rewards: [Double] = []
        var ended = false
        let action: [Float] = [2]
        for _ in 0..<10 where !ended {
            let o = action.withUnsafeBufferPointer { env.step($0, using: &g) }
            rewards.append(o.reward)
            ended = o.terminated
        }
        #expect(rewards.count == 4)
        for (k, d) in [2.4, 2.0, 1.6].enumerated() { #expect(abs(rewards[k] - d / range) < 1e-5) }
        #expect(rewards[3] == -1)
        #expect(abs(env.episodeMetric - 1.6) < 1e-9)   // four steps of 0.4 m
    }

    @Test("flying into a pillar is a contact crash even with crash_threshold 0")
    func contact() throws {
        let path = try mapFile(roomJSON(width: 20, depth: 8, start: #"{"x": 1, "y": 4, "yaw_degrees": 0, "z": 1.5}"#,
                                        extra: #""cylinders": [{"center": [3, 4], "radius": 0.3}],"#), name: "contact")
        var p = IndoorNavigation.Parameters()
        p.map = path
        p.actions = "planar"
        p.actionNoise = false
        p.crashThreshold = 0
        var env = try IndoorNavigation(parameters: p)
        var g = RandomGenerator(seed: 1)
        env.reset(using: &g)
        var steps = 0, outcome = StepOutcome(reward: 0, terminated: false)
        let action: [Float] = [2]
        while !outcome.terminated && steps < 20 {
            outcome = action.withUnsafeBufferPointer { env.step($0, using: &g) }
            steps += 1
        }
        // Contact when x > 3 − 0.3 − 0.25 = 2.45: the fourth step (2.2 → 2.6, checked every 0.1 m)
        // touches at 2.5 and stops the drone at 2.4.
        #expect(outcome.reward == -1 && steps == 4)
        #expect(abs(env.x - 2.4) < 1e-9)
    }

    @Test("the reward in a straight 3 m corridor (independent hand computation: 0.32416)")
    func corridor() throws {
        // Corridor 3 m wide, 200 m long, z = 1.5 in a 3 m high hall. Pixel depth = min(1.5/tan|a|,
        // 1.5·f/|v|) / 19.608, clipped to 1; g = 0.19857, n = 3.3095, centre rows 7..<14, columns
        // 11..<21 (70 pixels), mean of the smallest 4 = 0.324157.
        let path = try mapFile(roomJSON(width: 200, depth: 3, start: #"{"x": 1, "y": 1.5, "yaw_degrees": 0, "z": 1.5}"#), name: "corridor")
        var env = try straight(path)
        var g = RandomGenerator(seed: 1)
        env.reset(using: &g)
        let action: [Float] = [2]
        let o = action.withUnsafeBufferPointer { env.step($0, using: &g) }
        #expect(!o.terminated)
        #expect(abs(o.reward - 0.324157) < 2e-5)
        #expect(abs(env.x - 1.4) < 1e-12 && env.y == 1.5)
    }

    @Test("same seed, same batches whatever the threads; another seed differs; safe_flight is reported")
    func determinism() throws {
        let registry = try TaskRegistry.standard
        let task = try registry.task("navigation/indoor-v1")
        let assignments: [JSONValue] = ["long", "twist", "vanleer", "complex"].map { .object([("map", .string($0))]) }
        func run(seed: UInt64, threads: Int) throws -> ([Float], [Float], [Float]) {
            var v = try task.makeVector(assignments + assignments, threads: threads)
            #expect(v.episodeMetricName == "safe_flight")
            var batch = v.reset(seed: seed)
            var g = RandomGenerator(seed: 99)
            var rewards: [Float] = [], metrics: [Float] = []
            for _ in 0..<60 {
                let actions = (0..<v.count).map { _ in Float(g.below(25)) }
                try v.step(actions, into: &batch)
                rewards += batch.rewards
                for r in 0..<v.count where batch.terminated[r] { metrics.append(batch.episodes.metrics[r]) }
            }
            return (batch.observations, rewards, metrics)
        }
        let a = try run(seed: 3, threads: 1), b = try run(seed: 3, threads: 2), c = try run(seed: 4, threads: 2)
        #expect(a.0 == b.0 && a.1 == b.1 && a.2 == b.2)
        #expect(a.1 != c.1)
        #expect(!a.2.isEmpty && a.2.allSatisfy { $0 >= 0 && $0.isFinite })
    }
}

@Suite("Indoor maps")
struct IndoorMapTests {
    @Test("the four bundled maps load and every start pose is free")
    func bundled() throws {
        #expect(IndoorMap.bundledNames == ["complex", "long", "twist", "vanleer"])
        for name in IndoorMap.bundledNames {
            let map = try IndoorMap.named(name)
            #expect(map.starts.count >= 4)
            for s in map.starts {
                #expect(map.isInside(x: s.x, y: s.y))
                #expect(!map.collides(x: s.x, y: s.y, z: s.z, radius: IndoorMap.startClearance))
                #expect(!map.isInsideSolid(x: s.x, y: s.y, z: s.z))
            }
            var p = IndoorNavigation.Parameters()
            p.map = name
            _ = try IndoorNavigation(parameters: p)
        }
    }

    @Test("an open boundary is one clear error naming the file and field")
    func openBoundary() {
        let text = roomJSON(width: 10, depth: 4, start: #"{"x": 1, "y": 2, "yaw_degrees": 0}"#)
            .replacingOccurrences(of: "[0, 4.0], [0, 0]]", with: "[0, 4.0]]")
        #expect(mapError(text) == "map file test.json: field boundary is open: its last point (0, 4) does not return to its first (0, 0)")
    }

    @Test("a start pose inside an obstacle is one clear error")
    func startInside() {
        let text = roomJSON(width: 10, depth: 4, start: #"{"x": 5, "y": 2, "yaw_degrees": 0}"#,
                            extra: #""cylinders": [{"center": [5, 2], "radius": 0.5}],"#)
        #expect(mapError(text).hasPrefix("map file test.json: field start_poses[0]: the pose (5, 2, z 1.5) lies inside an obstacle"))
        let inBox = roomJSON(width: 10, depth: 4, start: #"{"x": 5, "y": 2, "yaw_degrees": 0}"#,
                             extra: #""boxes": [{"center": [5, 2], "size": [2, 2]}],"#)
        #expect(mapError(inBox).hasPrefix("map file test.json: field start_poses[0]: the pose (5, 2, z 1.5) lies inside an obstacle"))
        let outside = roomJSON(width: 10, depth: 4, start: #"{"x": 12, "y": 2, "yaw_degrees": 0}"#)
        #expect(mapError(outside) == "map file test.json: field start_poses[0]: the pose (12, 2, z 1.5) lies outside the boundary")
    }

    @Test("an unknown field is one clear error with a suggestion")
    func unknownField() {
        let text = roomJSON(width: 10, depth: 4, start: #"{"x": 1, "y": 2, "yaw_degrees": 0}"#,
                            extra: #""cylinders": [{"centre": [5, 2], "radius": 0.5}],"#)
        #expect(mapError(text).hasPrefix("map file test.json: field cylinders[0].centre is unknown; did you mean 'center'?"))
    }

    @Test("an unknown map name suggests the closest bundled one")
    func unknownMap() throws {
        let task = try TaskRegistry.standard.task("navigation/indoor-v1")
        #expect(throws: ParameterError.self) { _ = try task.resolve(.object([("map", .string("twsit"))]), context: "test") }
        do { _ = try task.resolve(.object([("map", .string("twsit"))]), context: "test") } catch {
            #expect("\(error)".contains("unknown indoor map 'twsit'; did you mean 'twist'?"))
        }
    }
}
