/// Plain stochastic gradient descent: θ ← θ − lr·(g + λθ).
public struct SGD: Optimizer {
    public var schedule: LearningRateSchedule
    public var stepCount = 0
    /// L2 coefficient λ added to the gradient (0: none).
    public var weightDecay: Float

    /// - Parameters:
    ///   - schedule: the learning rate per step.
    ///   - weightDecay: L2 coefficient λ; 0 disables it.
    public init(schedule: LearningRateSchedule, weightDecay: Float = 0) {
        self.schedule = schedule
        self.weightDecay = weightDecay
    }

    /// A constant learning rate.
    public init(learningRate: Float, weightDecay: Float = 0) {
        self.init(schedule: .constant(learningRate), weightDecay: weightDecay)
    }

    public mutating func update(
        parameters p: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeBufferPointer<Float>,
        learningRate: Float, step: Int
    ) {
        let lambda = weightDecay
        for i in 0..<p.count { p[i] -= learningRate * (g[i] + lambda * p[i]) }
    }

    public func stateTensors() -> [(name: String, values: [Float])] { [("step", encodeStepCount(stepCount))] }
    public mutating func restoreState(from tensors: [String: [Float]]) throws {
        stepCount = try decodeStepCount(tensors["step"], name: "step")
    }
}
