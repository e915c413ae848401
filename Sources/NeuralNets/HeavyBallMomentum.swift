/// Polyak's heavy-ball method, in the form of paper 002 (LAPG) which uses step size
/// α = 0.01 and momentum β = 0.6: θₖ₊₁ = θₖ − α·gₖ + β·(θₖ − θₖ₋₁). The velocity
/// d = θₖ₊₁ − θₖ is kept as state: d ← β·d − α·g; θ ← θ + d.
///
/// (PyTorch's `SGD(momentum:)` keeps v ← μv + g and steps −lr·v; with a constant rate
/// the two are the same iteration, with a schedule they differ.)
public struct HeavyBallMomentum: Optimizer {
    public var schedule: LearningRateSchedule
    public var stepCount = 0
    /// β, the weight of the previous displacement.
    public var momentum: Float
    /// The velocity θₖ − θₖ₋₁ (empty before the first step).
    public var velocity: [Float] = []

    /// - Parameters:
    ///   - schedule: α per step (paper 002: constant 0.01).
    ///   - momentum: β (paper 002: 0.6).
    public init(schedule: LearningRateSchedule = .constant(0.01), momentum: Float = 0.6) {
        self.schedule = schedule
        self.momentum = momentum
    }

    public mutating func update(
        parameters p: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeBufferPointer<Float>,
        learningRate: Float, step: Int
    ) {
        if velocity.count != p.count { velocity = [Float](repeating: 0, count: p.count) }
        let beta = momentum
        velocity.withUnsafeMutableBufferPointer { d in
            for i in 0..<p.count {
                d[i] = beta * d[i] - learningRate * g[i]
                p[i] += d[i]
            }
        }
    }

    public func stateTensors() -> [(name: String, values: [Float])] { [("velocity", velocity), ("step", encodeStepCount(stepCount))] }
    public mutating func restoreState(from tensors: [String: [Float]]) throws {
        velocity = try requireStateTensor(tensors, "velocity")
        stepCount = try decodeStepCount(tensors["step"], name: "step")
    }
}
