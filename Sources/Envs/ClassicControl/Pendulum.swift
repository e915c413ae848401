#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `pendulum-v1` — the inverted pendulum swing-up of Gymnasium's Pendulum-v1.
///
/// **Source.** Gymnasium 1.4.0 `classic_control/pendulum.py`; task sets after the Diff-DAC paper
/// (000), appendix A.1.
///
/// **Action** `Box(-max_torque, max_torque, (1,))`: torque on the joint, clipped to the range.
///
/// **Observation** `[cos θ, sin θ, θ̇]`, bounds `[±1, ±1, ±max_speed]`; θ = 0 is upright,
/// positive counter-clockwise.
///
/// **Reward** `−(angle_normalize(θ)² + 0.1·θ̇² + 0.001·u²)` on the pre-step state.
///
/// **Dynamics** `θ̇' = clip(θ̇ + (3g/(2l)·sin θ + 3/(m l²)·u)·dt, ±max_speed)`, `θ' = θ + θ̇'·dt`
/// (θ is never wrapped in the state). `sin` and `cos` are the C library's (``sinCos(_:)``).
///
/// **Start** `θ ~ U(−π, π)`, `θ̇ ~ U(−1, 1)`. **Termination** never. **Truncation** at
/// `max_episode_steps` (200).
///
/// **Parameters** (defaults): mass 1, length 1, gravity 10, max_speed 8, max_torque 2, dt 0.05,
/// max_episode_steps 200. **State** `[θ, θ̇]`.
///
/// **Versions.** v1: Gymnasium Pendulum-v1 dynamics (velocity clipped before integrating θ).
public struct Pendulum: Environment, Sendable {
    public struct Parameters: TaskParameters {
        public var mass = 1.0
        public var length = 1.0
        public var gravity = 10.0
        public var maxSpeed = 8.0
        public var maxTorque = 2.0
        public var dt = 0.05
        public var maxEpisodeSteps = 200

        public init() {}

        enum CodingKeys: String, CodingKey {
            case mass, length, gravity, dt
            case maxSpeed = "max_speed", maxTorque = "max_torque", maxEpisodeSteps = "max_episode_steps"
        }

        public static let fields: [ParameterField] = [
            ParameterField("mass", .real(1e-3...1e3), "mass m of the pendulum bob (kg)"),
            ParameterField("length", .real(1e-3...1e3), "length l of the pendulum (m)"),
            ParameterField("gravity", .real(0...1e3), "gravitational acceleration g (m/s²)"),
            ParameterField("max_speed", .real(1e-3...1e4), "angular velocity bound (rad/s)"),
            ParameterField("max_torque", .real(1e-6...1e4), "torque bound (N·m)"),
            ParameterField("dt", .real(1e-5...1), "time step (s)"),
            ParameterField("max_episode_steps", .integer(0...100_000_000), "steps before truncation (0: none)"),
        ]
    }

    /// `[θ, θ̇]`.
    public struct State: Equatable, Sendable {
        public var theta: Double
        public var thetaDot: Double
        public init(theta: Double, thetaDot: Double) { self.theta = theta; self.thetaDot = thetaDot }
    }

    public let parameters: Parameters
    public var state = State(theta: 0, thetaDot: 0)

    public init(parameters: Parameters) throws(EnvironmentError) {
        self.parameters = parameters
    }

    public var observationSpace: Space {
        let s = Float(parameters.maxSpeed)
        return .box(low: [-1, -1, -s], high: [1, 1, s])
    }
    public var actionSpace: Space {
        let t = Float(parameters.maxTorque)
        return .box(low: [-t], high: [t])
    }
    public var maxEpisodeSteps: Int { parameters.maxEpisodeSteps }

    public mutating func reset(using g: inout RandomGenerator) {
        state.theta = g.uniform(-.pi, .pi)
        state.thetaDot = g.uniform(-1, 1)
    }

    @inline(__always)
    public mutating func step(_ action: UnsafeBufferPointer<Float>, using g: inout RandomGenerator) -> StepOutcome {
        let cost = pendulumStep(&state, torque: action[0], parameters)
        return StepOutcome(reward: -cost, terminated: false)
    }

    @inline(__always)
    public func observe(into o: UnsafeMutableBufferPointer<Float>) {
        let (sinTheta, cosTheta) = sinCos(state.theta)
        o[0] = Float(cosTheta)
        o[1] = Float(sinTheta)
        o[2] = Float(state.thetaDot)
    }

    public static let stateNames = ["theta", "theta_dot"]

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try validateState(values, names: Self.stateNames)
        state = State(theta: values[0], thetaDot: values[1])
    }
}

/// One Pendulum-v1 step in place; returns the cost of the pre-step state and clipped torque.
///
/// The torque is a float32, as in Gymnasium's `Box(float32)` action space, and the terms that
/// numpy evaluates in float32 (`0.001·u²` and `3/(m l²)·u`, a float32 times a Python float) are
/// evaluated in `Float` here too, so that golden steps match to the last bit.
@inlinable @inline(__always)
public func pendulumStep(_ s: inout Pendulum.State, torque: Float, _ p: Pendulum.Parameters) -> Double {
    pendulumStep(&s, torque: torque, sinTheta: sinCos(s.theta).sin, PendulumConstants(p))
}

/// The per-copy constants of a pendulum step, computed once from its parameters with the
/// reference's grouping (so that the step is bit-identical to evaluating them every time).
public struct PendulumConstants: Sendable {
    /// `3·g / (2·l)`, the factor of `sin θ` in θ̈.
    public var gravityTerm: Double
    /// `float32(3 / (m·l²))`, the factor of the torque in θ̈.
    public var torqueScale: Float
    public var maxTorque: Float
    public var maxSpeed: Double
    public var dt: Double

    @inlinable @inline(__always)
    public init(_ p: Pendulum.Parameters) {
        gravityTerm = 3 * p.gravity / (2 * p.length)
        torqueScale = Float(3.0 / (p.mass * (p.length * p.length)))
        maxTorque = Float(p.maxTorque)
        maxSpeed = p.maxSpeed
        dt = p.dt
    }
}

/// The pendulum step given `sin θ` of the pre-step state (a batch keeps it from the previous
/// step's observation, which computed it anyway) and the copy's constants.
@inlinable @inline(__always)
public func pendulumStep(_ s: inout Pendulum.State, torque: Float, sinTheta: Double, _ k: PendulumConstants) -> Double {
    let u = min(max(torque, -k.maxTorque), k.maxTorque)
    let th = s.theta, thdot = s.thetaDot
    let a = angleNormalize(th)
    let cost = a * a + 0.1 * (thdot * thdot) + Double(Float(0.001) * (u * u))
    let torqueTerm = Double(k.torqueScale * u)
    var newThdot = thdot + (k.gravityTerm * sinTheta + torqueTerm) * k.dt
    newThdot = min(max(newThdot, -k.maxSpeed), k.maxSpeed)
    s.theta = th + newThdot * k.dt
    s.thetaDot = newThdot
    return cost
}

/// `((x + π) mod 2π) − π` with Python's floor modulo: the result lies in [−π, π).
///
/// `fmod` is exact, and so are its results on `|x + π| < 4π` computed here without it
/// (`y` itself below 2π, `y ∓ 2π` below 4π by Sterbenz's lemma); larger values call `fmod`.
@inlinable @inline(__always)
public func angleNormalize(_ x: Double) -> Double {
    let twoPi = 2 * Double.pi
    let y = x + .pi
    var m: Double
    if abs(y) < twoPi {
        m = y
    } else if abs(y) < 2 * twoPi {
        m = y > 0 ? y - twoPi : y + twoPi
    } else {
        m = fmod(y, twoPi)
    }
    if m != 0 && m < 0 { m += twoPi }
    return m - .pi
}
