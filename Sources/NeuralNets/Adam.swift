#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam (Kingma and Ba 2015) with bias correction, as `torch.optim.Adam` / `AdamW`:
///
///     g ← g + λθ                                  (weightDecay = .l2(λ))
///     θ ← θ·(1 − lr·λ)                            (weightDecay = .decoupled(λ), AdamW)
///     m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²
///     θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
public struct Adam: Optimizer {
    public var schedule: LearningRateSchedule
    public var stepCount = 0
    /// β₁, decay of the first moment.
    public var beta1: Float
    /// β₂, decay of the second moment.
    public var beta2: Float
    /// ε, added to the corrected root.
    public var epsilon: Float
    /// L2 or decoupled weight decay.
    public var weightDecay: WeightDecay
    /// First moment m (empty before the first step).
    public var firstMoment: [Float] = []
    /// Second moment v (empty before the first step).
    public var secondMoment: [Float] = []

    /// - Parameters:
    ///   - schedule: the learning rate per step (3e-4 is a reasonable start for RL).
    ///   - beta1: β₁ (0.9).
    ///   - beta2: β₂ (0.999).
    ///   - epsilon: ε (1e-8; CleanRL's PPO uses 1e-5).
    ///   - weightDecay: none, L2 (Adam) or decoupled (AdamW).
    public init(
        schedule: LearningRateSchedule, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
        weightDecay: WeightDecay = .none
    ) {
        self.schedule = schedule
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// A constant learning rate.
    public init(learningRate: Float, epsilon: Float = 1e-8, weightDecay: WeightDecay = .none) {
        self.init(schedule: .constant(learningRate), epsilon: epsilon, weightDecay: weightDecay)
    }

    public mutating func update(
        parameters p: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeBufferPointer<Float>,
        learningRate: Float, step: Int
    ) {
        let n = p.count
        if firstMoment.count != n {
            firstMoment = [Float](repeating: 0, count: n)
            secondMoment = [Float](repeating: 0, count: n)
        }
        let t = Double(step)
        let correction1 = Float(1 - pow(Double(beta1), t))
        let rootCorrection2 = Float((1 - pow(Double(beta2), t)).squareRoot())
        let stepSize = learningRate / correction1
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        var l2: Float = 0
        var shrink: Float = 1
        switch weightDecay {
        case .none: break
        case .l2(let lambda): l2 = lambda
        case .decoupled(let lambda): shrink = 1 - learningRate * lambda
        }
        firstMoment.withUnsafeMutableBufferPointer { m in
            secondMoment.withUnsafeMutableBufferPointer { v in
                // 8 lanes at a time: the same operations in the same order as the loop below
                // (IEEE √ and ÷ are exact per lane), so the same numbers.
                typealias V = SIMD8<Float>
                var start = 0
                let (pp, gp, mp, vp) = (UnsafeMutableRawPointer(p.baseAddress), UnsafeRawPointer(g.baseAddress),
                                        UnsafeMutableRawPointer(m.baseAddress), UnsafeMutableRawPointer(v.baseAddress))
                while start + 8 <= n, let pp, let gp, let mp, let vp {
                    let o = start * MemoryLayout<Float>.stride
                    let pi = pp.loadUnaligned(fromByteOffset: o, as: V.self)
                    let gi = gp.loadUnaligned(fromByteOffset: o, as: V.self) + l2 * pi
                    let mi = b1 * mp.loadUnaligned(fromByteOffset: o, as: V.self) + (1 - b1) * gi
                    let vi = b2 * vp.loadUnaligned(fromByteOffset: o, as: V.self) + (1 - b2) * gi * gi
                    mp.storeBytes(of: mi, toByteOffset: o, as: V.self)
                    vp.storeBytes(of: vi, toByteOffset: o, as: V.self)
                    pp.storeBytes(of: pi * shrink - stepSize * mi / (vi.squareRoot() / rootCorrection2 + eps), toByteOffset: o, as: V.self)
                    start += 8
                }
                for i in start..<n {
                    let gi = g[i] + l2 * p[i]
                    m[i] = b1 * m[i] + (1 - b1) * gi
                    v[i] = b2 * v[i] + (1 - b2) * gi * gi
                    p[i] = p[i] * shrink - stepSize * m[i] / (v[i].squareRoot() / rootCorrection2 + eps)
                }
            }
        }
    }

    public func stateTensors() -> [(name: String, values: [Float])] {
        [("first_moment", firstMoment), ("second_moment", secondMoment), ("step", encodeStepCount(stepCount))]
    }
    public mutating func restoreState(from tensors: [String: [Float]]) throws {
        firstMoment = try requireStateTensor(tensors, "first_moment")
        secondMoment = try requireStateTensor(tensors, "second_moment")
        guard firstMoment.count == secondMoment.count else {
            throw NeuralNetError.invalidArgument("The optimiser state's first and second moments differ in length.")
        }
        stepCount = try decodeStepCount(tensors["step"], name: "step")
    }
}
