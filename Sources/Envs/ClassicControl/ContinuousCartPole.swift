/// `cart-pole/continuous-v1` — cart-pole balance with a real-valued force (Diff-DAC paper 000,
/// appendix A.2; the Dist-MTPS comparison).
///
/// **Source.** CartPole-v1 dynamics, thresholds, reward and start (see ``CartPole``); the paper
/// replaces the push by a Gaussian force with mean in [−10, 10] N and ends episodes at 200 steps.
///
/// **Action** `Box(−force_magnitude, force_magnitude, (1,))`: the force in newtons, clipped to
/// the range (the second convention of the reference spec; the action is the force itself).
///
/// **Observation, reward, start, termination** as ``CartPole``. **Truncation** at
/// `max_episode_steps` (200). **Parameters** ``CartPole/Parameters`` with
/// ``CartPole/Parameters/continuousDefaults``. **State** `[x, ẋ, θ, θ̇]`.
///
/// **Versions.** v1: first version.
public struct ContinuousCartPole: Environment, Sendable {
    public typealias Parameters = CartPole.Parameters

    public let parameters: Parameters
    public var state = CartPole.State(x: 0, xDot: 0, theta: 0, thetaDot: 0)

    public init(parameters: Parameters) throws(EnvironmentError) { self.parameters = parameters }

    public var observationSpace: Space { cartPoleObservationSpace(parameters) }
    public var actionSpace: Space {
        let f = Float(parameters.forceMagnitude)
        return .box(low: [-f], high: [f])
    }
    public var maxEpisodeSteps: Int { parameters.maxEpisodeSteps }

    public mutating func reset(using g: inout RandomGenerator) {
        state = CartPole.State(x: g.uniform(-0.05, 0.05), xDot: g.uniform(-0.05, 0.05),
                               theta: g.uniform(-0.05, 0.05), thetaDot: g.uniform(-0.05, 0.05))
    }

    @inline(__always)
    public mutating func step(_ action: UnsafeBufferPointer<Float>, using g: inout RandomGenerator) -> StepOutcome {
        let f = parameters.forceMagnitude
        cartPoleStep(&state, force: min(max(Double(action[0]), -f), f), parameters)
        return StepOutcome(reward: 1, terminated: cartPoleFell(state, parameters), diverged: cartPoleDiverged(state))
    }

    @inline(__always)
    public func observe(into o: UnsafeMutableBufferPointer<Float>) {
        o[0] = Float(state.x); o[1] = Float(state.xDot); o[2] = Float(state.theta); o[3] = Float(state.thetaDot)
    }

    public static let stateNames = CartPole.stateNames

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try validateState(values, names: Self.stateNames)
        state = CartPole.State(x: values[0], xDot: values[1], theta: values[2], thetaDot: values[3])
    }
}
