#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Envs

/// `hopper-v1` — a one-legged planar hopper on the Open Dynamics Engine, a surrogate of
/// Gymnasium's Hopper-v5 (same observation and action layouts, reward terms, health rule, reset
/// noise and time step; see ``ArticulatedWorld`` for the physics and its documented gaps).
///
/// **Source.** Gymnasium 1.4.0 `mujoco/hopper_v5.py` and `assets/hopper.xml` (environments spec
/// §5.1); the body is `Assets/bodies/hopper.json`. Families `hopper/random-mass-v1` and
/// `hopper/wind-v1` after paper 000, appendix A.3.
///
/// **Action** `Box(−1, 1, (3,))`: torques `200·clip(a, −1, 1)` N·m on [thigh, leg, foot].
///
/// **Observation** (11) `[z, pitch, thigh, leg, foot]` ++ `clip([ẋ, ż, pitch′, thigh′, leg′, foot′], ±10)`:
/// torso-centre height (m), torso pitch and joint angles (rad), velocities (m/s, rad/s).
/// Bounds ±∞.
///
/// **Reward** `healthy_reward·[healthy] + forward_reward_weight·Δx/dt − ctrl_cost_weight·Σa²`
/// (the unclipped action), with x the torso-centre position.
///
/// **Dynamics** ODE, `frame_skip` substeps of `timestep` (4 × 0.002 s = 0.008 s), joint damping
/// 1 N·m·s/rad, joint limits, floor friction 1 (foot 2). Random mass: every body's mass and inertia
/// times `mass_scale`. Wind: drag from each body's velocity relative to `(wind_x, wind_y)` in air
/// of `air_density` and `air_viscosity` (planar: only `wind_x` acts; `wind_y` presses against the
/// plane constraint).
///
/// **Start** `qpos = [0, 1.25, 0, 0, 0, 0] + U(±reset_noise_scale)⁶`, `qvel = U(±reset_noise_scale)⁶`.
///
/// **Termination** when unhealthy: `z ≤ 0.7`, `|pitch| ≥ 0.2`, or any of the angles and
/// (unclipped) velocities outside (−100, 100). A copy whose physics diverges ends its episode
/// flagged `diverged`. **Truncation** at `max_episode_steps` (1000).
///
/// **Parameters** (defaults): mass_scale 1, wind_x 0, wind_y 0, air_density 0, air_viscosity 0,
/// forward_reward_weight 1, ctrl_cost_weight 0.001, healthy_reward 1, reset_noise_scale 0.005,
/// timestep 0.002, frame_skip 4, max_episode_steps 1000.
/// **State** `[x, z, pitch, thigh, leg, foot, ẋ, ż, pitch′, thigh′, leg′, foot′]`.
///
/// **Versions.** v1: ODE surrogate of Hopper-v5 (semi-implicit Euler, LCP contacts, rotor armature;
/// calibrated against MuJoCo in `docs/locomotion.md`).
public struct Hopper: Environment {
    public struct Parameters: TaskParameters {
        public var massScale = 1.0
        public var windX = 0.0
        public var windY = 0.0
        public var airDensity = 0.0
        public var airViscosity = 0.0
        public var forwardRewardWeight = 1.0
        public var ctrlCostWeight = 1e-3
        public var healthyReward = 1.0
        public var resetNoiseScale = 5e-3
        public var timestep = 0.002
        public var frameSkip = 4
        public var maxEpisodeSteps = 1000

        public init() {}

        enum CodingKeys: String, CodingKey {
            case massScale = "mass_scale", windX = "wind_x", windY = "wind_y", airDensity = "air_density"
            case airViscosity = "air_viscosity", forwardRewardWeight = "forward_reward_weight"
            case ctrlCostWeight = "ctrl_cost_weight", healthyReward = "healthy_reward"
            case resetNoiseScale = "reset_noise_scale", timestep, frameSkip = "frame_skip"
            case maxEpisodeSteps = "max_episode_steps"
        }

        public static let fields: [ParameterField] = LocomotionFields.common
    }

    public let parameters: Parameters
    /// The ODE world of this copy (one per copy; copying the struct shares it).
    public let world: ArticulatedWorld

    public init(parameters: Parameters) throws(EnvironmentError) {
        self.parameters = parameters
        do {
            world = try ArticulatedWorld(model: try LocomotionBodies.hopper.get(), massScale: parameters.massScale)
        } catch { throw .invalid(error.message) }
        world.airDensity = parameters.airDensity
        world.airViscosity = parameters.airViscosity
        world.wind = world.toWorld(Vec3(parameters.windX, parameters.windY, 0))
        var g = RandomGenerator(seed: 0)
        reset(using: &g)
    }

    public var observationSpace: Space { .box(low: [Float](repeating: -.infinity, count: 11), high: [Float](repeating: .infinity, count: 11)) }
    public var actionSpace: Space { .box(low: [-1, -1, -1], high: [1, 1, 1]) }
    public var maxEpisodeSteps: Int { parameters.maxEpisodeSteps }

    /// `qpos` (6) of the reference: x, z, pitch, thigh, leg, foot.
    @inline(__always)
    public func qpos(_ i: Int) -> Double {
        switch i {
        case 0: return world.position(0).x
        case 1: return world.position(0).y
        case 2: let r = world.rotation(0); return -atan2(r.r1.x, r.r0.x)
        default: return world.jointAngle(i - 3)
        }
    }

    /// `qvel` (6) of the reference.
    @inline(__always)
    public func qvel(_ i: Int) -> Double {
        switch i {
        case 0: return world.velocity(0).x
        case 1: return world.velocity(0).y
        case 2: return -world.angularVelocity(0).z
        default: return world.jointRate(i - 3)
        }
    }

    public mutating func reset(using g: inout RandomGenerator) {
        let s = parameters.resetNoiseScale
        var q = SIMD8<Double>(), v = SIMD8<Double>()
        for i in 0..<6 { q[i] = g.uniform(-s, s) }
        for i in 0..<6 { v[i] = g.uniform(-s, s) }
        q[1] += 1.25
        pose(q, v)
    }

    /// Poses the hopper from the reference's `qpos` and `qvel` (first six lanes).
    mutating func pose(_ q: SIMD8<Double>, _ v: SIMD8<Double>) {
        world.setPose(rootPosition: Vec3(q[0], q[1], 0), rootRotation: Rotation3(axis: Vec3(0, 0, 1), angle: -q[2]),
                      rootVelocity: Vec3(v[0], v[1], 0), rootAngularVelocity: Vec3(0, 0, -v[2]),
                      jointAngle: { q[3 + $0] }, jointRate: { v[3 + $0] })
    }

    public mutating func step(_ action: UnsafeBufferPointer<Float>, using g: inout RandomGenerator) -> StepOutcome {
        let p = parameters
        let xBefore = world.position(0).x
        guard world.step(action, substeps: p.frameSkip, h: p.timestep) else {
            return StepOutcome(reward: 0, terminated: true, diverged: true)
        }
        let dt = p.timestep * Double(p.frameSkip)
        var control = 0.0
        for i in 0..<3 { control += Double(action[i]) * Double(action[i]) }
        let healthy = isHealthy
        let reward = (healthy ? p.healthyReward : 0) + p.forwardRewardWeight * (world.position(0).x - xBefore) / dt
            - p.ctrlCostWeight * control
        return StepOutcome(reward: reward, terminated: !healthy)
    }

    /// Hopper-v5's health rule (strict inequalities).
    public var isHealthy: Bool {
        let z = qpos(1), pitch = qpos(2)
        guard z > 0.7, pitch > -0.2, pitch < 0.2 else { return false }
        for i in 2..<6 where !(abs(qpos(i)) < 100) { return false }
        for i in 0..<6 where !(abs(qvel(i)) < 100) { return false }
        return true
    }

    public func observe(into o: UnsafeMutableBufferPointer<Float>) {
        for i in 1..<6 { o[i - 1] = Float(qpos(i)) }
        for i in 0..<6 { o[5 + i] = Float(min(max(qvel(i), -10), 10)) }
    }

    /// Distance travelled forward (m): the torso-centre x.
    public var episodeMetric: Double { qpos(0) }

    /// The copy's ODE world (measured about 32 kB resident), with a margin.
    public static var estimatedExtraBytesPerCopy: Double { 48_000 }

    public static let stateNames = ["x", "z", "pitch", "thigh", "leg", "foot",
                                    "x_dot", "z_dot", "pitch_dot", "thigh_dot", "leg_dot", "foot_dot"]

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try validatePhysicalRange(values, names: Self.stateNames)
        try validateState(values, names: Self.stateNames)
        var q = SIMD8<Double>(), v = SIMD8<Double>()
        for i in 0..<6 { q[i] = values[i]; v[i] = values[6 + i] }
        pose(q, v)
    }
}
