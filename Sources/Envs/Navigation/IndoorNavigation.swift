#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `navigation/indoor-v1` — a PEDRA-like drone flying through an indoor map with a front camera.
///
/// **Source.** PEDRA 2.0 (Anwar & Raychowdhury, IEEE Access 2020; `aqeelanwar/PEDRA`) as
/// recorded in the Shoal environment spec §8; used by paper 001 §5.2 (four indoor environments
/// differing in light, wall colours, furniture and hallways; scored by mean safe flight). This is a
/// 2.5D surrogate: the Unreal worlds are replaced by ``IndoorMap`` floor plans and the AirSim
/// camera by a ray caster (one ray per image column, floor and ceiling rows from the height).
///
/// **Action** (`actions`):
/// | mode | space | meaning |
/// |---|---|---|
/// | `pedra` (default) | `Discrete(25)` | `k → (v, h) = (k / 5, k % 5)`: yaw `+ yaw_span/5·(h−2)`, pitch `pitch_span/5·(v−2)` (``pedraActionAngles(_:yawSpan:pitchSpan:)``), each plus uniform noise of ± a sixth of its bin when `action_noise` |
/// | `planar` | `Discrete(5)` | the five yaw bins, pitch 0 (the height never changes) |
/// | `continuous` | `Box(−1, 1, (2,))` | `[yaw, pitch]` in units of two bins (±21.3°, ±12°), no noise |
///
/// Then the drone teleports by `step_length` (0.4 m): `x += r·cos(α+ψ)`, `y += r·sin(α+ψ)`,
/// `z += r·sin θ`, yaw `α+ψ` (the horizontal step is `r`, not `r·cos θ`, as in PEDRA). The path is
/// checked for contact at spacing `drone_radius / 2`; a contact stops the drone before it.
///
/// **Observation** (`observation`):
/// | mode | shape | content |
/// |---|---|---|
/// | `camera` (default) | `[C, camera_height, camera_width]`, in [0, 1] | planes: normalised depth, then R, G, B (`channels`: `depth_rgb`, `depth`, `rgb`) |
/// | `scan` | `[scan_rays]`, in [0, 1] | normalised horizontal depth of rays spread over the field of view, left to right |
/// | `scan` with `scan_channels` `depth_rgb` | `[4 · scan_rays]`, in [0, 1] | the depths, then the R, G and B planes of the surface each ray meets (the camera's shading: the worlds' wall colours and light; black beyond `depth_range`) |
///
/// Normalised depth is planar depth over `depth_range` (19.6 m: AirSim DepthVis clipped at 50/255
/// of its 100 m scale, then divided by 50), clipped to 1. Colour is the map palette times the light
/// level, a Lambert term for the light azimuth (``diffuseLight(_:)``) and a distance falloff
/// (``IndoorMap/shade(_:distance:)``). Column 0 is the left edge, row 0 the top.
///
/// **Reward** (PEDRA `reward_gen`): the depth image's centre region depth `C`
/// (``pedraRegionDepths(_:height:width:)``); if `C < crash_threshold` (0.07), −1 and the episode
/// ends. A contact with a wall, furniture, floor or ceiling, or less than `stuck_distance` (0.1 m)
/// flown since the start, is also a crash (−1, end). The camera is rendered on every step.
///
/// **Start** a start pose of the map: `start_pose` (−1: uniformly among the map's poses).
/// **Termination** a crash. **Truncation** none by default (`max_episode_steps`).
/// **Episode metric** `safe_flight`: horizontal distance flown in the episode (m); its mean over
/// episodes is PEDRA's mean safe flight (MSF).
///
/// **Parameters** (defaults): map `long`, start_pose −1, actions `pedra`, observation `camera`,
/// channels `depth_rgb`, scan_channels `depth`, camera_width 32, camera_height 24, fov_degrees 80, scan_rays 16,
/// step_length 0.4, yaw_span_degrees 53.333, pitch_span_degrees 30, action_noise true,
/// crash_threshold 0.07, depth_range 19.608, drone_radius 0.25, stuck_distance 0.1,
/// max_episode_steps 0. **State** `[x, y, yaw, z]`.
///
/// **Versions.** v1: first version.
public struct IndoorNavigation: Environment, Sendable {
    public struct Parameters: TaskParameters {
        public var map = "long"
        public var startPose = -1
        public var actions = "pedra"
        public var observation = "camera"
        public var channels = "depth_rgb"
        public var scanChannels = "depth"
        public var cameraWidth = 32
        public var cameraHeight = 24
        public var fovDegrees = 80.0
        public var scanRays = 16
        public var stepLength = 0.4
        public var yawSpanDegrees = 80.0 / 1.5
        public var pitchSpanDegrees = 45.0 / 1.5
        public var actionNoise = true
        public var crashThreshold = 0.07
        public var depthRange = 50.0 / 255.0 * 100.0
        public var droneRadius = 0.25
        public var stuckDistance = 0.1
        public var maxEpisodeSteps = 0

        public init() {}

        enum CodingKeys: String, CodingKey {
            case map, actions, observation, channels
            case scanChannels = "scan_channels"
            case startPose = "start_pose", cameraWidth = "camera_width", cameraHeight = "camera_height"
            case fovDegrees = "fov_degrees", scanRays = "scan_rays", stepLength = "step_length"
            case yawSpanDegrees = "yaw_span_degrees", pitchSpanDegrees = "pitch_span_degrees", actionNoise = "action_noise"
            case crashThreshold = "crash_threshold", depthRange = "depth_range", droneRadius = "drone_radius"
            case stuckDistance = "stuck_distance", maxEpisodeSteps = "max_episode_steps"
        }

        public static let fields: [ParameterField] = [
            ParameterField("map", .text(allowed: []), "indoor map: a bundled name (long, twist, vanleer, complex) or a path to a .json map"),
            ParameterField("start_pose", .integer(-1...1000), "index of the map's start pose (−1: uniform among them)"),
            ParameterField("actions", .text(allowed: ["pedra", "planar", "continuous"]), "action space: PEDRA's 25 (yaw × pitch), 5 yaw bins, or continuous [yaw, pitch]"),
            ParameterField("observation", .text(allowed: ["camera", "scan"]), "front camera image or low-dimensional depth scan"),
            ParameterField("channels", .text(allowed: ["depth_rgb", "depth", "rgb"]), "camera planes"),
            ParameterField("camera_width", .integer(4...512), "camera image width (pixels)"),
            ParameterField("camera_height", .integer(4...512), "camera image height (pixels)"),
            ParameterField("fov_degrees", .real(10...170), "horizontal field of view (degrees)"),
            ParameterField("scan_rays", .integer(1...1024), "rays of the depth scan"),
            ParameterField("scan_channels", .text(allowed: ["depth", "depth_rgb"]), "what each scan ray reports: its depth, or its depth and the colour the camera sees along it"),
            ParameterField("step_length", .real(0.01...5), "distance flown per step (m)"),
            ParameterField("yaw_span_degrees", .real(0...180), "yaw span of the five yaw bins (degrees; PEDRA 80/1.5)"),
            ParameterField("pitch_span_degrees", .real(0...90), "pitch span of the five pitch bins (degrees; PEDRA 45/1.5)"),
            ParameterField("action_noise", .boolean, "uniform noise of ± a sixth of a bin on the discrete angles"),
            ParameterField("crash_threshold", .real(0...1), "centre depth below which the drone has crashed"),
            ParameterField("depth_range", .real(0.5...1000), "distance (m) of normalised depth 1"),
            ParameterField("drone_radius", .real(0.01...2), "radius of the drone (m)"),
            ParameterField("stuck_distance", .real(0...10), "distance (m) below which a drone is stuck"),
            ParameterField("max_episode_steps", .integer(0...100_000_000), "steps before truncation (0: none)"),
        ]

        public func validationProblem() -> String? {
            let map: IndoorMap
            do { map = try IndoorMap.named(self.map) } catch { return "parameter map: \(error.message)" }
            if startPose >= map.starts.count {
                return "parameter start_pose: \(startPose) is outside the map's \(map.starts.count) start poses (0…\(map.starts.count - 1), or −1)"
            }
            return nil
        }
    }

    enum ActionMode: Sendable { case pedra, planar, continuous }

    public let parameters: Parameters
    /// The world, shared by every copy built from the same map.
    public let map: IndoorMap
    let actionMode: ActionMode
    let scanMode: Bool
    /// The scan also reports each ray's colour (`scan_channels` `depth_rgb`).
    let scanColor: Bool
    let writesDepth: Bool
    let writesColor: Bool
    let width: Int
    let height: Int
    /// Per column: cosine and sine of the angle from the optical axis (positive left).
    let columnCos: [Double]
    let columnSin: [Double]
    /// Per row: vertical slope `v/f` of the pixel ray (positive up).
    let rowSlope: [Float]
    let scanAngle: [Double]

    /// Position (m) and heading (rad) of the drone.
    public var x = 0.0, y = 0.0, yaw = 0.0, z = 1.5
    /// Horizontal distance flown in this episode (m): the safe-flight distance.
    public var distanceFlown = 0.0

    /// The last rendering, nine planes of `width` floats: wall depth (planar m), wall R, G, B,
    /// furniture depth, furniture top above the drone, furniture R, G, B.
    var columns: [Float]
    /// The last rendering, four planes of `height` floats: floor or ceiling depth (planar m;
    /// `.infinity` at the horizon), its R, G, B.
    var rows: [Float]
    /// Scratch: one image row, per-column sums, the smallest pixels of the centre region.
    var scratch: [Float]

    public init(parameters: Parameters) throws(EnvironmentError) {
        if let problem = parameters.validationProblem() { throw .invalid(problem) }
        let map: IndoorMap
        do { map = try IndoorMap.named(parameters.map) } catch { throw .invalid(error.message) }
        for (k, s) in map.starts.enumerated() where map.collides(x: s.x, y: s.y, z: s.z, radius: parameters.droneRadius) {
            throw .invalid("start pose \(k) of map \(map.name) is within drone_radius \(formatJSONNumber(parameters.droneRadius)) m of an obstacle, the floor or the ceiling")
        }
        self.parameters = parameters
        self.map = map
        switch parameters.actions {
        case "planar": actionMode = .planar
        case "continuous": actionMode = .continuous
        default: actionMode = .pedra
        }
        scanMode = parameters.observation == "scan"
        scanColor = parameters.scanChannels == "depth_rgb"
        writesDepth = parameters.channels != "rgb"
        writesColor = parameters.channels != "depth"
        width = parameters.cameraWidth
        height = parameters.cameraHeight
        let f = Double(width) / 2 / tan(parameters.fovDegrees * .pi / 360)
        let w = parameters.cameraWidth, h = parameters.cameraHeight
        let angles = (0..<w).map { atan((Double(w - 1) / 2 - Double($0)) / f) }
        columnCos = angles.map { cos($0) }
        columnSin = angles.map { sin($0) }
        rowSlope = (0..<h).map { Float((Double(h - 1) / 2 - Double($0)) / f) }
        let half = parameters.fovDegrees * .pi / 360
        let n = parameters.scanRays
        scanAngle = (0..<n).map { n == 1 ? 0 : half - 2 * half * Double($0) / Double(n - 1) }
        columns = [Float](repeating: 0, count: w * ColumnPlane.count)
        rows = [Float](repeating: 0, count: h * 4)
        scratch = [Float](repeating: 0, count: 2 * w + pedraSmallestCount(w * h) + 1)
        let s = map.starts[max(parameters.startPose, 0)]
        (x, y, yaw, z) = (s.x, s.y, s.yaw, s.z)
        render()
    }

    public var observationSpace: Space {
        if scanMode { return .box(Box(shape: [parameters.scanRays * (scanColor ? 4 : 1)], low: 0, high: 1)) }
        let planes = (writesDepth ? 1 : 0) + (writesColor ? 3 : 0)
        return .box(Box(shape: [planes, height, width], low: 0, high: 1))
    }

    public var actionSpace: Space {
        switch actionMode {
        case .pedra: return .discrete(25)
        case .planar: return .discrete(5)
        case .continuous: return .box(low: [-1, -1], high: [1, 1])
        }
    }

    public var maxEpisodeSteps: Int { parameters.maxEpisodeSteps }

    public var episodeMetric: Double { distanceFlown }
    public static var episodeMetricName: String? { "safe_flight" }

    public mutating func reset(using g: inout RandomGenerator) {
        let k = parameters.startPose >= 0 ? parameters.startPose : g.below(map.starts.count)
        let s = map.starts[k]
        (x, y, yaw, z) = (s.x, s.y, s.yaw, s.z)
        distanceFlown = 0
        render()
    }

    
    public mutating func step(_ action: UnsafeBufferPointer<Float>, using g: inout RandomGenerator) -> StepOutcome {
        let p = parameters
        let yawBin = p.yawSpanDegrees / 5 * .pi / 180, pitchBin = p.pitchSpanDegrees / 5 * .pi / 180
        var dYaw = 0.0, pitch = 0.0
        switch actionMode {
        case .pedra:
            let a = pedraActionAngles(Int(action[0]), yawSpan: 5 * yawBin, pitchSpan: 5 * pitchBin)
            dYaw = a.yaw
            pitch = a.pitch
            if p.actionNoise {
                dYaw += g.uniform(-yawBin / 6, yawBin / 6)
                pitch += g.uniform(-pitchBin / 6, pitchBin / 6)
            }
        case .planar:
            dYaw = yawBin * Double(Int(action[0]) - 2)
            if p.actionNoise { dYaw += g.uniform(-yawBin / 6, yawBin / 6) }
        case .continuous:
            dYaw = 2 * yawBin * Double(min(max(action[0], -1), 1))
            pitch = 2 * pitchBin * Double(min(max(action[1], -1), 1))
        }
        let crashed = fly(yawChange: dYaw, pitch: pitch)
        render()
        let centre = centreDepth()
        if crashed || Double(centre) < p.crashThreshold || distanceFlown < p.stuckDistance {
            return StepOutcome(reward: -1, terminated: true)
        }
        return StepOutcome(reward: Double(centre), terminated: false)
    }

    /// Turns by `yawChange`, then moves `step_length` along the new heading (climbing `r·sin(pitch)`),
    /// stopping before the first contact; returns whether there was one.
    
    mutating func fly(yawChange: Double, pitch: Double) -> Bool {
        let r = parameters.stepLength, radius = parameters.droneRadius
        yaw = remainder(yaw + yawChange, 2 * .pi)
        let dx = r * cos(yaw), dy = r * sin(yaw), dz = r * sin(pitch)
        let samples = max(1, Int((r / (radius / 2)).rounded(.up)))
        var done = 0.0
        for k in 1...samples {
            let f = Double(k) / Double(samples)
            if map.collides(x: x + f * dx, y: y + f * dy, z: z + f * dz, radius: radius) {
                x += done * dx; y += done * dy; z += done * dz
                distanceFlown += done * r
                return true
            }
            done = f
        }
        x += dx; y += dy; z += dz
        distanceFlown += r
        return false
    }

    public static let stateNames = ["x", "y", "yaw", "z"]

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try validateState(values, names: Self.stateNames)
        let at = "(\(formatJSONNumber(values[0])), \(formatJSONNumber(values[1])), z \(formatJSONNumber(values[3])))"
        guard map.isInside(x: values[0], y: values[1]) else {
            throw .invalidState("the pose \(at) lies outside the walls of map \(map.name)")
        }
        guard values[3] > map.floorZ, values[3] < map.ceilingZ else {
            throw .invalidState("the height z = \(formatJSONNumber(values[3])) lies outside the room, between floor \(formatJSONNumber(map.floorZ)) and ceiling \(formatJSONNumber(map.ceilingZ))")
        }
        guard !map.collides(x: values[0], y: values[1], z: values[3], radius: 0), !map.isInsideSolid(x: values[0], y: values[1], z: values[3]) else {
            throw .invalidState("the pose \(at) lies inside an obstacle of map \(map.name)")
        }
        (x, y, yaw, z) = (values[0], values[1], values[2], values[3])
        distanceFlown = 0
        render()
    }
}
