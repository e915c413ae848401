#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RMSProp (Tieleman and Hinton 2012) with the semantics of `torch.optim.RMSprop`, which
/// the Diff-A2C experiments use (paper 000, Sec. VI-B; A2C's α = 0.99, ε = 1e-5):
///
///     g ← g + λθ                       (if weightDecay > 0)
///     s ← α·s + (1 − α)·g²
///     m ← α·m + (1 − α)·g              (centered only)
///     d ← √(s − m²) + ε  or  √s + ε    (ε outside the square root)
///     b ← μ·b + g / d;  θ ← θ − lr·b   (momentum μ > 0)
///     θ ← θ − lr·g / d                 (otherwise)
public struct RMSProp: Optimizer {
    public var schedule: LearningRateSchedule
    public var stepCount = 0
    /// Smoothing constant α of the squared-gradient average.
    public var alpha: Float
    /// ε, added to the root outside the square root.
    public var epsilon: Float
    /// L2 coefficient λ.
    public var weightDecay: Float
    /// Momentum μ (0: none).
    public var momentum: Float
    /// Whether to normalise by the variance estimate instead of the second moment.
    public var centered: Bool
    /// Running average of g² (empty before the first step).
    public var squareAverage: [Float] = []
    private var gradientAverage: [Float] = []
    private var buffer: [Float] = []

    /// - Parameters:
    ///   - schedule: the learning rate per step (A2C: 7e-4).
    ///   - alpha: α, 0.99 as in PyTorch and A2C.
    ///   - epsilon: ε, 1e-5 as in A2C (PyTorch's default is 1e-8).
    ///   - weightDecay: L2 coefficient.
    ///   - momentum: μ.
    ///   - centered: use the centred variant.
    public init(
        schedule: LearningRateSchedule, alpha: Float = 0.99, epsilon: Float = 1e-5, weightDecay: Float = 0,
        momentum: Float = 0, centered: Bool = false
    ) {
        self.schedule = schedule
        self.alpha = alpha
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
    }

    /// A constant learning rate.
    public init(learningRate: Float, alpha: Float = 0.99, epsilon: Float = 1e-5) {
        self.init(schedule: .constant(learningRate), alpha: alpha, epsilon: epsilon)
    }

    public mutating func update(
        parameters p: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeBufferPointer<Float>,
        learningRate: Float, step: Int
    ) {
        let n = p.count
        if squareAverage.count != n {
            squareAverage = [Float](repeating: 0, count: n)
            gradientAverage = centered ? [Float](repeating: 0, count: n) : []
            buffer = momentum > 0 ? [Float](repeating: 0, count: n) : []
        }
        if centered && gradientAverage.count != n { gradientAverage = [Float](repeating: 0, count: n) }
        if momentum > 0 && buffer.count != n { buffer = [Float](repeating: 0, count: n) }
        let (alpha, epsilon, lambda, mu, centered) = (self.alpha, self.epsilon, weightDecay, momentum, self.centered)
        squareAverage.withUnsafeMutableBufferPointer { s in
            gradientAverage.withUnsafeMutableBufferPointer { m in
                buffer.withUnsafeMutableBufferPointer { b in
                    var start = 0
                    if !centered && !(mu > 0) {
                        // The plain update 8 lanes at a time: the same operations in the same
                        // order as the loop below (IEEE √ and ÷ are exact per lane), so the
                        // same numbers.
                        typealias V = SIMD8<Float>
                        let (pp, gp, sp) = (UnsafeMutableRawPointer(p.baseAddress), UnsafeRawPointer(g.baseAddress), UnsafeMutableRawPointer(s.baseAddress))
                        while start + 8 <= n, let pp, let gp, let sp {
                            let o = start * MemoryLayout<Float>.stride
                            let pi = pp.loadUnaligned(fromByteOffset: o, as: V.self)
                            let gi = gp.loadUnaligned(fromByteOffset: o, as: V.self) + lambda * pi
                            let si = alpha * sp.loadUnaligned(fromByteOffset: o, as: V.self) + (1 - alpha) * gi * gi
                            sp.storeBytes(of: si, toByteOffset: o, as: V.self)
                            let denominator = si.squareRoot() + epsilon
                            pp.storeBytes(of: pi - learningRate * gi / denominator, toByteOffset: o, as: V.self)
                            start += 8
                        }
                    }
                    for i in start..<n {
                        let gi = g[i] + lambda * p[i]
                        s[i] = alpha * s[i] + (1 - alpha) * gi * gi
                        var variance = s[i]
                        if centered {
                            m[i] = alpha * m[i] + (1 - alpha) * gi
                            variance -= m[i] * m[i]
                        }
                        let denominator = variance.squareRoot() + epsilon
                        if mu > 0 {
                            b[i] = mu * b[i] + gi / denominator
                            p[i] -= learningRate * b[i]
                        } else {
                            p[i] -= learningRate * gi / denominator
                        }
                    }
                }
            }
        }
    }

    /// Every state tensor: the square average, the centred variant's gradient average and the
    /// momentum buffer (empty when unused), and the step count.
    public func stateTensors() -> [(name: String, values: [Float])] {
        [("square_average", squareAverage), ("gradient_average", gradientAverage), ("momentum_buffer", buffer),
         ("step", encodeStepCount(stepCount))]
    }
    public mutating func restoreState(from tensors: [String: [Float]]) throws {
        squareAverage = try requireStateTensor(tensors, "square_average")
        gradientAverage = tensors["gradient_average"] ?? []
        buffer = tensors["momentum_buffer"] ?? []
        stepCount = try decodeStepCount(tensors["step"], name: "step")
    }
}
