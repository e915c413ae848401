#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `cart-pole/swing-up-v1` — swing the pole up from hanging down and balance it (Diff-DAC
/// paper 000, §VI-A and appendix A.1; constants completed by Shoal's design, §6).
///
/// **Source.** The paper gives the reward and the task parameters, not every constant; Shoal
/// keeps the CartPole-v1 equations of motion and explicit Euler step (τ = 0.02 s, g = 9.8).
///
/// **Action** `Box(−force_magnitude, force_magnitude, (1,))`: force in newtons, clipped (±10 N).
///
/// **Observation** `[x, ẋ, cos θ, sin θ, θ̇]` (θ = 0 upright, θ = π hanging down).
///
/// **Reward** `2 / (1 + exp(d)) + cos θ`, with `d` the distance from the pole tip
/// `(x + 2l·sin θ, 2l·cos θ)` to the upright tip above the track centre `(0, 2l)`
/// (l = pole half-length); it lies in (−1, 2], 2 at the goal.
///
/// **Start** `θ = π + U(−0.05, 0.05)`, the other variables `U(−0.05, 0.05)`.
///
/// **Termination** `|x| > x_threshold` (2.4). **Truncation** at `max_episode_steps` (500).
///
/// **Parameters** ``CartPole/Parameters`` with ``CartPole/Parameters/swingUpDefaults``: pole mass
/// 0.5, pole half-length 0.25, cart mass 0.5 (theta_threshold is not used). **State**
/// `[x, ẋ, θ, θ̇]`.
///
/// **Versions.** v1: first version.
public struct CartPoleSwingUp: Environment, Sendable {
    public typealias Parameters = CartPole.Parameters

    public let parameters: Parameters
    public var state = CartPole.State(x: 0, xDot: 0, theta: .pi, thetaDot: 0)

    public init(parameters: Parameters) throws(EnvironmentError) { self.parameters = parameters }

    public var observationSpace: Space {
        let x = Float(parameters.xThreshold * 2)
        return .box(low: [-x, -.infinity, -1, -1, -.infinity], high: [x, .infinity, 1, 1, .infinity])
    }
    public var actionSpace: Space {
        let f = Float(parameters.forceMagnitude)
        return .box(low: [-f], high: [f])
    }
    public var maxEpisodeSteps: Int { parameters.maxEpisodeSteps }

    public mutating func reset(using g: inout RandomGenerator) {
        state = CartPole.State(x: g.uniform(-0.05, 0.05), xDot: g.uniform(-0.05, 0.05),
                               theta: .pi + g.uniform(-0.05, 0.05), thetaDot: g.uniform(-0.05, 0.05))
    }

    @inline(__always)
    public mutating func step(_ action: UnsafeBufferPointer<Float>, using g: inout RandomGenerator) -> StepOutcome {
        let f = parameters.forceMagnitude
        cartPoleStep(&state, force: min(max(Double(action[0]), -f), f), parameters)
        let reward = swingUpReward(state, parameters)
        return StepOutcome(reward: reward, terminated: state.x < -parameters.xThreshold || state.x > parameters.xThreshold,
                           diverged: cartPoleDiverged(state))
    }

    @inline(__always)
    public func observe(into o: UnsafeMutableBufferPointer<Float>) {
        o[0] = Float(state.x); o[1] = Float(state.xDot)
        o[2] = Float(cos(state.theta)); o[3] = Float(sin(state.theta))
        o[4] = Float(state.thetaDot)
    }

    public static let stateNames = CartPole.stateNames

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try validateState(values, names: Self.stateNames)
        state = CartPole.State(x: values[0], xDot: values[1], theta: values[2], thetaDot: values[3])
    }
}

/// The Diff-DAC swing-up reward `2/(1 + e^d) + cos θ` (paper 000, appendix A.1), with `d` the
/// distance from the pole tip `(x + 2l·sin θ, 2l·cos θ)` to the upright tip `(0, 2l)`.
@inlinable @inline(__always)
public func swingUpReward(_ s: CartPole.State, _ p: CartPole.Parameters) -> Double {
    let fullLength = 2 * p.poleHalfLength
    let dx = s.x + fullLength * sin(s.theta)
    let dy = fullLength * cos(s.theta) - fullLength
    let d = (dx * dx + dy * dy).squareRoot()
    return 2 / (1 + exp(d)) + cos(s.theta)
}
