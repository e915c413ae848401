#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `cart-pole-v1` — balance a pole on a cart pushed left or right (Gymnasium CartPole-v1).
///
/// **Source.** Gymnasium 1.4.0 `classic_control/cartpole.py` (Barto, Sutton & Anderson 1983).
///
/// **Action** `Discrete(2)`: 0 pushes with `−force_magnitude`, 1 with `+force_magnitude`.
///
/// **Observation** `[x, ẋ, θ, θ̇]`, bounds `[±2·x_threshold, ±∞, ±2·theta_threshold, ±∞]`;
/// θ = 0 is upright, positive θ leans toward +x.
///
/// **Reward** +1 on every step, the terminating one included.
///
/// **Dynamics** (see ``cartPoleAccelerations(_:force:_:)``) with the explicit Euler step of the
/// reference (every right-hand side uses the old values), or semi-implicit Euler.
///
/// **Start** every state variable `U(−0.05, 0.05)`. **Termination** `|x| > x_threshold` or
/// `|θ| > theta_threshold` (strict). **Truncation** at `max_episode_steps` (500).
///
/// **Parameters** (defaults): gravity 9.8, cart_mass 1, pole_mass 0.1, pole_half_length 0.5,
/// force_magnitude 10, tau 0.02, x_threshold 2.4, theta_threshold 12° in radians,
/// semi_implicit false, max_episode_steps 500. **State** `[x, ẋ, θ, θ̇]`.
///
/// **Versions.** v1: Gymnasium CartPole-v1.
public struct CartPole: Environment, Sendable {
    /// Parameters shared by every cart-pole task (balance, continuous force, swing-up).
    public struct Parameters: TaskParameters {
        public var gravity = 9.8
        public var cartMass = 1.0
        public var poleMass = 0.1
        /// Half the pole length (the distance from the pivot to the pole's centre of mass).
        public var poleHalfLength = 0.5
        public var forceMagnitude = 10.0
        public var tau = 0.02
        public var xThreshold = 2.4
        public var thetaThreshold = 12 * 2 * Double.pi / 360
        public var semiImplicit = false
        public var maxEpisodeSteps = 500

        public init() {}

        enum CodingKeys: String, CodingKey {
            case gravity, tau
            case cartMass = "cart_mass", poleMass = "pole_mass", poleHalfLength = "pole_half_length"
            case forceMagnitude = "force_magnitude", xThreshold = "x_threshold", thetaThreshold = "theta_threshold"
            case semiImplicit = "semi_implicit", maxEpisodeSteps = "max_episode_steps"
        }

        public static let fields: [ParameterField] = [
            ParameterField("gravity", .real(0...1e3), "gravitational acceleration (m/s²)"),
            ParameterField("cart_mass", .real(1e-4...1e4), "mass of the cart (kg)"),
            ParameterField("pole_mass", .real(1e-4...1e4), "mass of the pole (kg)"),
            ParameterField("pole_half_length", .real(1e-4...1e3), "half the pole length (m)"),
            ParameterField("force_magnitude", .real(1e-6...1e4), "push force, or the bound of a continuous force (N)"),
            ParameterField("tau", .real(1e-5...1), "time step (s)"),
            ParameterField("x_threshold", .real(1e-3...1e3), "cart position beyond which the episode terminates (m)"),
            ParameterField("theta_threshold", .real(1e-3...Double.pi), "pole angle beyond which a balance episode terminates (rad)"),
            ParameterField("semi_implicit", .boolean, "semi-implicit Euler instead of the reference's explicit Euler"),
            ParameterField("max_episode_steps", .integer(0...100_000_000), "steps before truncation (0: none)"),
        ]

        /// The continuous-force balance task of the Diff-DAC paper (000, appendix A.2): 200 steps.
        public static var continuousDefaults: Parameters {
            var p = Parameters()
            p.maxEpisodeSteps = 200
            return p
        }

        /// The swing-up task (DESIGN §6): pole mass 0.5, half-length 0.25, cart mass 0.5, 500 steps.
        public static var swingUpDefaults: Parameters {
            var p = Parameters()
            p.poleMass = 0.5
            p.poleHalfLength = 0.25
            p.cartMass = 0.5
            return p
        }
    }

    /// `[x, ẋ, θ, θ̇]`.
    public struct State: Equatable, Sendable {
        public var x, xDot, theta, thetaDot: Double
        public init(x: Double, xDot: Double, theta: Double, thetaDot: Double) {
            self.x = x; self.xDot = xDot; self.theta = theta; self.thetaDot = thetaDot
        }
    }

    public let parameters: Parameters
    public var state = State(x: 0, xDot: 0, theta: 0, thetaDot: 0)

    public init(parameters: Parameters) throws(EnvironmentError) { self.parameters = parameters }

    public var observationSpace: Space { cartPoleObservationSpace(parameters) }
    public var actionSpace: Space { .discrete(2) }
    public var maxEpisodeSteps: Int { parameters.maxEpisodeSteps }

    public mutating func reset(using g: inout RandomGenerator) {
        state = State(x: g.uniform(-0.05, 0.05), xDot: g.uniform(-0.05, 0.05),
                      theta: g.uniform(-0.05, 0.05), thetaDot: g.uniform(-0.05, 0.05))
    }

    @inline(__always)
    public mutating func step(_ action: UnsafeBufferPointer<Float>, using g: inout RandomGenerator) -> StepOutcome {
        let force = action[0] >= 0.5 ? parameters.forceMagnitude : -parameters.forceMagnitude
        cartPoleStep(&state, force: force, parameters)
        return StepOutcome(reward: 1, terminated: cartPoleFell(state, parameters), diverged: cartPoleDiverged(state))
    }

    @inline(__always)
    public func observe(into o: UnsafeMutableBufferPointer<Float>) {
        o[0] = Float(state.x); o[1] = Float(state.xDot); o[2] = Float(state.theta); o[3] = Float(state.thetaDot)
    }

    public static let stateNames = ["x", "x_dot", "theta", "theta_dot"]

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try validateState(values, names: Self.stateNames)
        state = State(x: values[0], xDot: values[1], theta: values[2], thetaDot: values[3])
    }
}

/// The balance observation box: `[±2·x_threshold, ±∞, ±2·theta_threshold, ±∞]`.
public func cartPoleObservationSpace(_ p: CartPole.Parameters) -> Space {
    let x = Float(p.xThreshold * 2), t = Float(p.thetaThreshold * 2)
    return .box(low: [-x, -.infinity, -t, -.infinity], high: [x, .infinity, t, .infinity])
}

/// Cart and pole accelerations `(ẍ, θ̈)` of the CartPole-v1 equations of motion (θ from upright):
/// `temp = (F + m_p·l·θ̇²·sin θ)/M`, `θ̈ = (g·sin θ − cos θ·temp) / (l·(4/3 − m_p·cos²θ/M))`,
/// `ẍ = temp − m_p·l·θ̈·cos θ/M`, with `M` the total mass and `l` the pole half-length.
/// `sin θ` and `cos θ` are the C library's (see ``sinCos(_:)``).
@inlinable @inline(__always)
public func cartPoleAccelerations(_ s: CartPole.State, force: Double, _ p: CartPole.Parameters) -> (xAcc: Double, thetaAcc: Double) {
    cartPoleAccelerations(s, force: force, cosTheta: cos(s.theta), sinTheta: sin(s.theta), p)
}

/// ``cartPoleAccelerations(_:force:_:)`` given `cos θ` and `sin θ` of `s` (a batch computes them
/// for all its rows first, so that the rest of its loop runs without calls).
@inlinable @inline(__always)
public func cartPoleAccelerations(_ s: CartPole.State, force: Double, cosTheta cosT: Double, sinTheta sinT: Double,
                                  _ p: CartPole.Parameters) -> (xAcc: Double, thetaAcc: Double) {
    let totalMass = p.poleMass + p.cartMass
    let poleMassLength = p.poleMass * p.poleHalfLength
    let temp = (force + poleMassLength * (s.thetaDot * s.thetaDot) * sinT) / totalMass
    let thetaAcc = (p.gravity * sinT - cosT * temp) / (p.poleHalfLength * (4.0 / 3.0 - p.poleMass * (cosT * cosT) / totalMass))
    let xAcc = temp - poleMassLength * thetaAcc * cosT / totalMass
    return (xAcc, thetaAcc)
}

/// One cart-pole time step in place (explicit Euler as the reference, or semi-implicit).
@inlinable @inline(__always)
public func cartPoleStep(_ s: inout CartPole.State, force: Double, _ p: CartPole.Parameters) {
    cartPoleStep(&s, force: force, cosTheta: cos(s.theta), sinTheta: sin(s.theta), p)
}

/// ``cartPoleStep(_:force:_:)`` given `cos θ` and `sin θ` of the pre-step state.
@inlinable @inline(__always)
public func cartPoleStep(_ s: inout CartPole.State, force: Double, cosTheta: Double, sinTheta: Double, _ p: CartPole.Parameters) {
    let (xAcc, thetaAcc) = cartPoleAccelerations(s, force: force, cosTheta: cosTheta, sinTheta: sinTheta, p)
    if p.semiImplicit {
        s.xDot += p.tau * xAcc
        s.x += p.tau * s.xDot
        s.thetaDot += p.tau * thetaAcc
        s.theta += p.tau * s.thetaDot
    } else {
        s.x += p.tau * s.xDot
        s.xDot += p.tau * xAcc
        s.theta += p.tau * s.thetaDot
        s.thetaDot += p.tau * thetaAcc
    }
}

/// The balance termination rule: `|x| > x_threshold or |θ| > theta_threshold` (strict).
@inlinable @inline(__always)
public func cartPoleFell(_ s: CartPole.State, _ p: CartPole.Parameters) -> Bool {
    // `abs(v) > t` is `v < -t || v > t` (negation is exact), with fewer branches.
    abs(s.x) > p.xThreshold || abs(s.theta) > p.thetaThreshold
}

/// Whether a cart-pole state ran away: a non-finite value, or one a `Float` observation cannot
/// hold. The vectors end such an episode as diverged.
@inlinable @inline(__always)
public func cartPoleDiverged(_ s: CartPole.State) -> Bool {
    !(abs(s.x) + abs(s.xDot) + abs(s.theta) + abs(s.thetaDot) <= Double(Float.greatestFiniteMagnitude))
}
