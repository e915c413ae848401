#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `acrobot-v1` — swing a two-link arm, actuated at the elbow, above a height (Gymnasium
/// Acrobot-v1, "book" dynamics, RK4).
///
/// **Source.** Gymnasium 1.4.0 `classic_control/acrobot.py` (Sutton & Barto 1998); Random and
/// Extreme task sets after Packer et al. (2018), as used by the Diff-DAC paper (000, §VI-C,
/// appendix A.3).
///
/// **Action** `Discrete(3)`: torque −1, 0, +1 on the elbow (plus `U(±torque_noise_max)`).
///
/// **Observation** `[cos θ1, sin θ1, cos θ2, sin θ2, θ̇1, θ̇2]`, bounds `[±1 ×4, ±max_vel_1,
/// ±max_vel_2]`; θ1 = 0 hangs down, θ2 is relative to link 1.
///
/// **Reward** −1 per step, 0 on the terminating step.
///
/// **Dynamics** one classical RK4 step of `dt` on ``acrobotDerivatives(_:torque:_:)``; angles
/// wrapped into [−π, π]; velocities clipped to ±max_vel.
///
/// **Start** the four state values `U(−0.1, 0.1)`, rounded to float32 as the reference does.
/// **Termination** `−cos θ1 − cos(θ1 + θ2) > 1`. **Truncation** at `max_episode_steps` (500).
///
/// **Parameters** (defaults): link_length_1/2 1, link_mass_1/2 1, link_com_1/2 0.5,
/// link_moi_1/2 1, max_vel_1 4π, max_vel_2 9π, dt 0.2, gravity 9.8, torque_noise_max 0,
/// book_dynamics true, max_episode_steps 500. Shorthands `link_length`, `link_mass`, `link_com`,
/// `link_moi` set both links (Packer et al. draw one value for both). Only link 1's length
/// enters the dynamics, as in the reference. **State** `[θ1, θ2, θ̇1, θ̇2]`.
///
/// **Versions.** v1: Gymnasium Acrobot-v1.
public struct Acrobot: Environment, Sendable {
    public struct Parameters: TaskParameters {
        public var linkLength1 = 1.0
        public var linkLength2 = 1.0
        public var linkMass1 = 1.0
        public var linkMass2 = 1.0
        public var linkCom1 = 0.5
        public var linkCom2 = 0.5
        public var linkMoi1 = 1.0
        public var linkMoi2 = 1.0
        public var maxVel1 = 4 * Double.pi
        public var maxVel2 = 9 * Double.pi
        public var dt = 0.2
        public var gravity = 9.8
        public var torqueNoiseMax = 0.0
        public var bookDynamics = true
        public var maxEpisodeSteps = 500

        public init() {}

        enum CodingKeys: String, CodingKey {
            case linkLength1 = "link_length_1", linkLength2 = "link_length_2"
            case linkMass1 = "link_mass_1", linkMass2 = "link_mass_2"
            case linkCom1 = "link_com_1", linkCom2 = "link_com_2"
            case linkMoi1 = "link_moi_1", linkMoi2 = "link_moi_2"
            case maxVel1 = "max_vel_1", maxVel2 = "max_vel_2"
            case dt, gravity
            case torqueNoiseMax = "torque_noise_max", bookDynamics = "book_dynamics", maxEpisodeSteps = "max_episode_steps"
        }

        public static let fields: [ParameterField] = [
            ParameterField("link_length_1", .real(1e-3...1e3), "length of link 1 (m)"),
            ParameterField("link_length_2", .real(1e-3...1e3), "length of link 2 (m; drawing only, as in the reference)"),
            ParameterField("link_mass_1", .real(1e-3...1e3), "mass of link 1 (kg)"),
            ParameterField("link_mass_2", .real(1e-3...1e3), "mass of link 2 (kg)"),
            ParameterField("link_com_1", .real(0...1e3), "distance from joint 1 to link 1's centre of mass (m)"),
            ParameterField("link_com_2", .real(0...1e3), "distance from joint 2 to link 2's centre of mass (m)"),
            ParameterField("link_moi_1", .real(1e-4...1e3), "moment of inertia of link 1 (kg·m²)"),
            ParameterField("link_moi_2", .real(1e-4...1e3), "moment of inertia of link 2 (kg·m²)"),
            ParameterField("max_vel_1", .real(1e-3...1e4), "angular velocity bound of joint 1 (rad/s)"),
            ParameterField("max_vel_2", .real(1e-3...1e4), "angular velocity bound of joint 2 (rad/s)"),
            ParameterField("dt", .real(1e-4...2), "time step of the RK4 integration (s)"),
            ParameterField("gravity", .real(0...1e3), "gravitational acceleration (m/s²)"),
            ParameterField("torque_noise_max", .real(0...1e3), "bound of the uniform noise added to the torque"),
            ParameterField("book_dynamics", .boolean, "the book's θ̈2 (true) or the NIPS paper's (false)"),
            ParameterField("max_episode_steps", .integer(0...100_000_000), "steps before truncation (0: none)"),
        ]

        public static let shorthands: [String: [String]] = [
            "link_length": ["link_length_1", "link_length_2"],
            "link_mass": ["link_mass_1", "link_mass_2"],
            "link_com": ["link_com_1", "link_com_2"],
            "link_moi": ["link_moi_1", "link_moi_2"],
        ]
    }

    /// `[θ1, θ2, θ̇1, θ̇2]`.
    public typealias State = SIMD4<Double>

    public let parameters: Parameters
    public var state = State()

    public init(parameters: Parameters) throws(EnvironmentError) { self.parameters = parameters }

    public var observationSpace: Space {
        let v1 = Float(parameters.maxVel1), v2 = Float(parameters.maxVel2)
        return .box(low: [-1, -1, -1, -1, -v1, -v2], high: [1, 1, 1, 1, v1, v2])
    }
    public var actionSpace: Space { .discrete(3) }
    public var maxEpisodeSteps: Int { parameters.maxEpisodeSteps }

    public mutating func reset(using g: inout RandomGenerator) {
        for i in 0..<4 { state[i] = Double(Float(g.uniform(-0.1, 0.1))) }
    }

    @inline(__always)
    public mutating func step(_ action: UnsafeBufferPointer<Float>, using g: inout RandomGenerator) -> StepOutcome {
        var torque = Double(action[0]) - 1
        if parameters.torqueNoiseMax > 0 { torque += g.uniform(-parameters.torqueNoiseMax, parameters.torqueNoiseMax) }
        state = acrobotStep(state, torque: torque, parameters)
        let terminated = acrobotReachedGoal(state)
        return StepOutcome(reward: terminated ? 0 : -1, terminated: terminated, diverged: !state.sum().isFinite)
    }

    @inline(__always)
    public func observe(into o: UnsafeMutableBufferPointer<Float>) {
        o[0] = Float(cos(state[0])); o[1] = Float(sin(state[0]))
        o[2] = Float(cos(state[1])); o[3] = Float(sin(state[1]))
        o[4] = Float(state[2]); o[5] = Float(state[3])
    }

    public static let stateNames = ["theta1", "theta2", "theta1_dot", "theta2_dot"]

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try validateState(values, names: Self.stateNames)
        state = State(values[0], values[1], values[2], values[3])
    }
}

/// `(θ̇1, θ̇2, θ̈1, θ̈2)` of the acrobot (Sutton & Barto's "book" equations, or the NIPS paper's
/// θ̈2 without the `m2·l1·lc2·θ̇1²·sin θ2` term).
@inlinable @inline(__always)
public func acrobotDerivatives(_ s: SIMD4<Double>, torque a: Double, _ p: Acrobot.Parameters) -> SIMD4<Double> {
    acrobotDerivatives(s, cos2: cos(s[1]), sin2: sin(s[1]), torque: a, AcrobotConstants(p))
}

/// The per-copy constants of the acrobot's equations: every product of parameters that the
/// reference's expressions evaluate before a state-dependent factor, grouped as they are there,
/// so that the derivatives are bit-identical to evaluating the expressions in full.
public struct AcrobotConstants: Sendable {
    /// `m1·lc1²`.
    public var m1lc1Squared: Double
    /// `l1² + lc2²`.
    public var l1SquaredPlusLc2Squared: Double
    /// `2·l1·lc2`.
    public var twoL1Lc2: Double
    public var m2: Double
    /// `I1`, `I2`.
    public var moi1: Double, moi2: Double
    /// `lc2²`.
    public var lc2Squared: Double
    /// `l1·lc2`.
    public var l1Lc2: Double
    /// `m2·lc2·g`.
    public var m2Lc2G: Double
    /// `−m2·l1·lc2`.
    public var minusM2L1Lc2: Double
    /// `2·m2·l1·lc2`.
    public var twoM2L1Lc2: Double
    /// `(m1·lc1 + m2·l1)·g`.
    public var link1Gravity: Double
    /// `m2·l1·lc2`.
    public var m2L1Lc2: Double
    /// `m2·lc2² + I2`.
    public var m2Lc2SquaredPlusMoi2: Double
    public var bookDynamics: Bool
    public var dt: Double
    public var maxVel1: Double, maxVel2: Double

    @inlinable @inline(__always)
    public init(_ p: Acrobot.Parameters) {
        let m1 = p.linkMass1, m2 = p.linkMass2, l1 = p.linkLength1
        let lc1 = p.linkCom1, lc2 = p.linkCom2, g = p.gravity
        m1lc1Squared = m1 * (lc1 * lc1)
        l1SquaredPlusLc2Squared = (l1 * l1) + (lc2 * lc2)
        twoL1Lc2 = 2 * l1 * lc2
        self.m2 = m2
        moi1 = p.linkMoi1
        moi2 = p.linkMoi2
        lc2Squared = lc2 * lc2
        l1Lc2 = l1 * lc2
        m2Lc2G = m2 * lc2 * g
        minusM2L1Lc2 = (-m2) * l1 * lc2
        twoM2L1Lc2 = 2 * m2 * l1 * lc2
        link1Gravity = (m1 * lc1 + m2 * l1) * g
        m2L1Lc2 = m2 * l1 * lc2
        m2Lc2SquaredPlusMoi2 = m2 * (lc2 * lc2) + p.linkMoi2
        bookDynamics = p.bookDynamics
        dt = p.dt
        maxVel1 = p.maxVel1
        maxVel2 = p.maxVel2
    }
}

/// The acrobot's derivatives given `cos θ2`, `sin θ2` of `s` and the copy's constants.
@inlinable @inline(__always)
public func acrobotDerivatives(_ s: SIMD4<Double>, cos2: Double, sin2: Double, torque a: Double, _ k: AcrobotConstants) -> SIMD4<Double> {
    let theta1 = s[0], theta2 = s[1], dtheta1 = s[2], dtheta2 = s[3]
    // Grouped exactly as the reference's Python expressions (x**2 is one rounded product).
    let d1 = k.m1lc1Squared + k.m2 * (k.l1SquaredPlusLc2Squared + k.twoL1Lc2 * cos2) + k.moi1 + k.moi2
    let d2 = k.m2 * (k.lc2Squared + k.l1Lc2 * cos2) + k.moi2
    let phi2 = k.m2Lc2G * cos(theta1 + theta2 - Double.pi / 2.0)
    let phi1 = k.minusM2L1Lc2 * (dtheta2 * dtheta2) * sin2 - k.twoM2L1Lc2 * dtheta2 * dtheta1 * sin2
        + k.link1Gravity * cos(theta1 - Double.pi / 2) + phi2
    let ddtheta2: Double
    if k.bookDynamics {
        ddtheta2 = (a + d2 / d1 * phi1 - k.m2L1Lc2 * (dtheta1 * dtheta1) * sin2 - phi2) / (k.m2Lc2SquaredPlusMoi2 - (d2 * d2) / d1)
    } else {
        ddtheta2 = (a + d2 / d1 * phi1 - phi2) / (k.m2Lc2SquaredPlusMoi2 - (d2 * d2) / d1)
    }
    let ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
    return SIMD4(dtheta1, dtheta2, ddtheta1, ddtheta2)
}

/// One acrobot step: classical RK4 over `dt`, angles wrapped into [−π, π], velocities clipped.
@inlinable @inline(__always)
public func acrobotStep(_ s: SIMD4<Double>, torque: Double, _ p: Acrobot.Parameters) -> SIMD4<Double> {
    acrobotStep(s, cos2: cos(s[1]), sin2: sin(s[1]), torque: torque, AcrobotConstants(p))
}

/// ``acrobotDerivatives(_:cos2:sin2:torque:_:)`` with `(sin θ2, cos θ2)` as ``sinCos(_:)`` returns them.
@inlinable @inline(__always)
func acrobotDerivatives(_ s: SIMD4<Double>, _ trig2: (sin: Double, cos: Double), torque: Double, _ k: AcrobotConstants) -> SIMD4<Double> {
    acrobotDerivatives(s, cos2: trig2.cos, sin2: trig2.sin, torque: torque, k)
}

/// The acrobot step given `cos θ2`, `sin θ2` of the pre-step state (a batch keeps them from the
/// previous step's observation) and the copy's constants.
@inlinable @inline(__always)
public func acrobotStep(_ s: SIMD4<Double>, cos2: Double, sin2: Double, torque: Double, _ k: AcrobotConstants) -> SIMD4<Double> {
    let dt = k.dt, dt2 = dt / 2
    let k1 = acrobotDerivatives(s, cos2: cos2, sin2: sin2, torque: torque, k)
    let s2 = s + dt2 * k1
    let k2 = acrobotDerivatives(s2, sinCos(s2[1]), torque: torque, k)
    let s3 = s + dt2 * k2
    let k3 = acrobotDerivatives(s3, sinCos(s3[1]), torque: torque, k)
    let s4 = s + dt * k3
    let k4 = acrobotDerivatives(s4, sinCos(s4[1]), torque: torque, k)
    var n = s + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
    n[0] = wrapAngle(n[0])
    n[1] = wrapAngle(n[1])
    n[2] = min(max(n[2], -k.maxVel1), k.maxVel1)
    n[3] = min(max(n[3], -k.maxVel2), k.maxVel2)
    return n
}

/// Wraps an angle into [−π, π] as the reference's `wrap` (repeated ±2π), in O(1).
///
/// Within ±16π (every angle a step of an ordinary acrobot produces) it subtracts or adds 2π
/// exactly as the reference does, at most eight times, so results are bit-identical to it.
/// Beyond, one `remainder` (exact) by 2π brings the angle within ±π first, then the same
/// correction runs. A non-finite angle is returned as NaN (the batch ends the episode as
/// diverged) instead of looping forever.
@inlinable @inline(__always)
public func wrapAngle(_ x: Double) -> Double {
    var v = x
    let twoPi = 2 * Double.pi
    if _slowPath(!(abs(v) <= 16 * .pi)) {
        guard v.isFinite else { return .nan }
        v = remainder(v, twoPi)
    }
    while v > .pi { v -= twoPi }
    while v < -.pi { v += twoPi }
    return v
}

/// The acrobot's goal: the tip above the bar, `−cos θ1 − cos(θ1 + θ2) > 1`.
@inlinable @inline(__always)
public func acrobotReachedGoal(_ s: SIMD4<Double>) -> Bool {
    -cos(s[0]) - cos(s[1] + s[0]) > 1.0
}
