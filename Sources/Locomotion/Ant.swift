import Envs

/// `ant-v1` — a four-legged walker on the Open Dynamics Engine, a surrogate of Gymnasium's
/// Ant-v5, with its contact forces in the observation by default as Ant-v5
/// (`include_cfrc_ext_in_observation`; the variant `without-contact-forces` gives the 27-value form).
///
/// **Source.** Gymnasium 1.4.0 `mujoco/ant_v5.py` and `assets/ant.xml` (environments spec §5.2);
/// the body is `Assets/bodies/ant.json`. Families `ant/random-mass-v1` and `ant/wind-v1` after
/// paper 000, appendix A.3.
///
/// **Action** `Box(−1, 1, (8,))`: torques `150·clip(a, −1, 1)` N·m, in Ant-v5's actuator order
/// [hip_4, ankle_4, hip_1, ankle_1, hip_2, ankle_2, hip_3, ankle_3].
///
/// **Observation** (105) `qpos[2:]` (torso z, torso quaternion w x y z, hip_1, ankle_1, …, ankle_4)
/// ++ `qvel` (torso linear velocity in the world frame, angular velocity in the torso frame, the
/// eight joint rates) ++ `clip(cfrc_ext[1:], −1, 1)`: 13 rows of 6, MuJoCo's bodies 1–13 (torso,
/// then per leg the welded hip segment, the thigh, the shin), each [torque about the ant's mass
/// centre, force] of its floor contacts in the world frame. The welded hip segments are part of
/// the surrogate's torso body, so their contacts count in the torso's row and their rows are 0.
/// With `include_cfrc_ext_in_observation` false: the first 27 values. Bounds ±∞.
///
/// **Reward** `healthy_reward·[healthy] + forward_reward_weight·Δx/dt − ctrl_cost_weight·Σa²
/// − contact_cost_weight·Σ clip(wrench, −1, 1)²`, with the per-body floor-contact wrench
/// [torque about the ant's mass centre, force] standing in for MuJoCo's `cfrc_ext`.
///
/// **Dynamics** ODE, `frame_skip` substeps of `timestep` (10 × 0.005 s = 0.05 s, Ant-v5's control
/// step with finer substeps for ODE's stability), joint damping 1, rotor armature 0.375 (Ant-v5: 1;
/// calibrated, see `docs/locomotion.md`), joint limits, friction 1 with creep.
/// Random mass and wind as for ``Hopper`` (here both wind components act).
///
/// **Start** `qpos = qpos0 + U(±reset_noise_scale)¹⁵` (the quaternion is normalised),
/// `qvel = reset_noise_scale·N(0, 1)¹⁴`; qpos0 = [0, 0, 0.75, 1, 0, 0, 0, 0×8].
///
/// **Termination** when unhealthy: not every state value finite, or torso z outside
/// [0.2, 1.0]. A copy whose physics diverges ends its episode flagged `diverged`.
/// **Truncation** at `max_episode_steps` (1000).
///
/// **Parameters** (defaults): as ``Hopper`` plus contact_cost_weight 5e-4, with
/// ctrl_cost_weight 0.5, reset_noise_scale 0.1, timestep 0.005, frame_skip 10.
/// **State** `[x, y, z, qw, qx, qy, qz, 8 joint angles, vx, vy, vz, ωx, ωy, ωz (torso frame), 8 joint rates]`.
///
/// **Versions.** v1: ODE surrogate of Ant-v5 (105-value observation; rotor armature 0.375, LCP
/// contacts with force-dependent slip; both calibrated against MuJoCo, see `docs/locomotion.md`).
public struct Ant: Environment {
    public struct Parameters: TaskParameters {
        public var massScale = 1.0
        public var windX = 0.0
        public var windY = 0.0
        public var airDensity = 0.0
        public var airViscosity = 0.0
        public var forwardRewardWeight = 1.0
        public var ctrlCostWeight = 0.5
        public var contactCostWeight = 5e-4
        public var healthyReward = 1.0
        public var resetNoiseScale = 0.1
        public var timestep = 0.005
        public var frameSkip = 10
        public var maxEpisodeSteps = 1000
        /// Ant-v5's `include_cfrc_ext_in_observation`: the 78 contact-force values after the 27.
        public var includeContactForces = true

        public init() {}

        enum CodingKeys: String, CodingKey {
            case massScale = "mass_scale", windX = "wind_x", windY = "wind_y", airDensity = "air_density"
            case airViscosity = "air_viscosity", forwardRewardWeight = "forward_reward_weight"
            case ctrlCostWeight = "ctrl_cost_weight", contactCostWeight = "contact_cost_weight", healthyReward = "healthy_reward"
            case resetNoiseScale = "reset_noise_scale", timestep, frameSkip = "frame_skip"
            case maxEpisodeSteps = "max_episode_steps", includeContactForces = "include_cfrc_ext_in_observation"
        }

        public static let fields: [ParameterField] = LocomotionFields.common
            + [ParameterField("contact_cost_weight", .real(0...1e3), "weight of the contact cost Σ clip(wrench, ±1)²"),
               ParameterField("include_cfrc_ext_in_observation", .boolean, "append the 78 clipped contact-force values (Ant-v5's default) to the 27")]

        /// The 27-value form (Ant-v5 with `include_cfrc_ext_in_observation=False`).
        public static var withoutContactForces: Self {
            var p = Self()
            p.includeContactForces = false
            return p
        }
    }

    /// For MuJoCo's bodies 1–13, the surrogate's body whose contacts fill the row (nil: a hip
    /// segment welded into the torso, always 0).
    static let contactRowBody: [Int?] = [0, nil, 1, 2, nil, 3, 4, nil, 5, 6, nil, 7, 8]

    public let parameters: Parameters
    /// The ODE world of this copy (one per copy; copying the struct shares it).
    public let world: ArticulatedWorld

    public init(parameters: Parameters) throws(EnvironmentError) {
        self.parameters = parameters
        do {
            world = try ArticulatedWorld(model: try LocomotionBodies.ant.get(), massScale: parameters.massScale)
        } catch { throw .invalid(error.message) }
        world.airDensity = parameters.airDensity
        world.airViscosity = parameters.airViscosity
        world.wind = Vec3(parameters.windX, parameters.windY, 0)
        var g = RandomGenerator(seed: 0)
        reset(using: &g)
    }

    public var observationSpace: Space {
        let n = parameters.includeContactForces ? 105 : 27
        return .box(low: [Float](repeating: -.infinity, count: n), high: [Float](repeating: .infinity, count: n))
    }
    public var actionSpace: Space { .box(low: [Float](repeating: -1, count: 8), high: [Float](repeating: 1, count: 8)) }
    public var maxEpisodeSteps: Int { parameters.maxEpisodeSteps }

    public mutating func reset(using g: inout RandomGenerator) {
        let s = parameters.resetNoiseScale
        var root = SIMD8<Double>(), joints = SIMD8<Double>(), rootV = SIMD8<Double>(), rates = SIMD8<Double>()
        for i in 0..<7 { root[i] = g.uniform(-s, s) }
        for i in 0..<8 { joints[i] = g.uniform(-s, s) }
        for i in 0..<6 { rootV[i] = s * g.normal() }
        for i in 0..<8 { rates[i] = s * g.normal() }
        root[2] += 0.75
        root[3] += 1
        pose(root, joints, rootV, rates)
    }

    /// Poses the ant: `root` = [x, y, z, qw, qx, qy, qz], `rootV` = [v (world), ω (torso frame)].
    mutating func pose(_ root: SIMD8<Double>, _ joints: SIMD8<Double>, _ rootV: SIMD8<Double>, _ rates: SIMD8<Double>) {
        let r = Rotation3(quaternion: SIMD4(root[3], root[4], root[5], root[6]))
        world.setPose(rootPosition: Vec3(root[0], root[1], root[2]), rootRotation: r,
                      rootVelocity: Vec3(rootV[0], rootV[1], rootV[2]), rootAngularVelocity: r * Vec3(rootV[3], rootV[4], rootV[5]),
                      jointAngle: { joints[$0] }, jointRate: { rates[$0] })
    }

    public mutating func step(_ action: UnsafeBufferPointer<Float>, using g: inout RandomGenerator) -> StepOutcome {
        let p = parameters
        let xBefore = world.position(0).x
        guard world.step(action, substeps: p.frameSkip, h: p.timestep, measureContacts: p.contactCostWeight != 0 || p.includeContactForces) else {
            return StepOutcome(reward: 0, terminated: true, diverged: true)
        }
        let dt = p.timestep * Double(p.frameSkip)
        var control = 0.0
        for i in 0..<8 { control += Double(action[i]) * Double(action[i]) }
        let healthy = isHealthy
        let reward = (healthy ? p.healthyReward : 0) + p.forwardRewardWeight * (world.position(0).x - xBefore) / dt
            - p.ctrlCostWeight * control - p.contactCostWeight * world.clippedContactWrenchSquared
        return StepOutcome(reward: reward, terminated: !healthy)
    }

    /// Ant-v5's health rule: the state is finite and 0.2 ≤ z ≤ 1.0.
    public var isHealthy: Bool {
        let z = world.position(0).z
        guard z >= 0.2, z <= 1.0 else { return false }
        let q = world.quaternion(0), v = world.velocity(0), w = world.angularVelocity(0)
        guard q.x.isFinite, q.y.isFinite, q.z.isFinite, q.w.isFinite, v.x.isFinite, v.y.isFinite, v.z.isFinite,
              w.x.isFinite, w.y.isFinite, w.z.isFinite else { return false }
        for j in 0..<8 where !(world.jointAngle(j).isFinite && world.jointRate(j).isFinite) { return false }
        return true
    }

    public func observe(into o: UnsafeMutableBufferPointer<Float>) {
        let p = world.position(0), q = world.quaternion(0), r = world.rotation(0)
        let v = world.velocity(0), w = r.transposed * world.angularVelocity(0)
        o[0] = Float(p.z)
        for i in 0..<4 { o[1 + i] = Float(q[i]) }
        for j in 0..<8 { o[5 + j] = Float(world.jointAngle(j)) }
        o[13] = Float(v.x); o[14] = Float(v.y); o[15] = Float(v.z)
        o[16] = Float(w.x); o[17] = Float(w.y); o[18] = Float(w.z)
        for j in 0..<8 { o[19 + j] = Float(world.jointRate(j)) }
        guard parameters.includeContactForces else { return }
        for (row, body) in Ant.contactRowBody.enumerated() {
            for k in 0..<6 {
                let value = body.map { world.contactWrench[6 * $0 + k] } ?? 0
                o[27 + 6 * row + k] = Float(min(max(value, -1), 1))
            }
        }
    }

    /// Distance travelled forward (m): the torso x.
    public var episodeMetric: Double { world.position(0).x }

    /// The copy's ODE world (measured about 80 kB resident), with a margin.
    public static var estimatedExtraBytesPerCopy: Double { 120_000 }

    public static let stateNames = ["x", "y", "z", "qw", "qx", "qy", "qz"]
        + (1...4).flatMap { ["hip_\($0)", "ankle_\($0)"] }
        + ["vx", "vy", "vz", "wx", "wy", "wz"]
        + (1...4).flatMap { ["hip_\($0)_dot", "ankle_\($0)_dot"] }

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try validatePhysicalRange(values, names: Self.stateNames)
        try validateState(values, names: Self.stateNames)
        guard values[3...6].contains(where: { $0 != 0 }) else { throw .invalidState("the torso quaternion (qw, qx, qy, qz) must not be zero") }
        var root = SIMD8<Double>(), joints = SIMD8<Double>(), rootV = SIMD8<Double>(), rates = SIMD8<Double>()
        for i in 0..<7 { root[i] = values[i] }
        for i in 0..<8 { joints[i] = values[7 + i]; rates[i] = values[21 + i] }
        for i in 0..<6 { rootV[i] = values[15 + i] }
        pose(root, joints, rootV, rates)
    }
}
