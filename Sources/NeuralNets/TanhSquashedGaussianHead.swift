#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tanh-squashed diagonal Gaussian with reparameterisation (paper 004, eq. 59–62;
/// as in SAC): row input `[μ₁…μ_D, ℓ₁…ℓ_D]` with σ = exp(clamp(ℓ, minLogStd, maxLogStd)),
///
///     u = μ + σ ⊙ ξ,  ξ ~ N(0, I),  a = tanh(u)                      (eq. 59)
///     log π(a) = Σᵢ [log N(uᵢ; μᵢ, σᵢ) − log(1 − aᵢ²)]
///
/// with log(1 − tanh²u) = 2(log 2 − u − softplus(−2u)), exact even where a rounds to ±1.
///
/// The policy-improvement gradient of eq. 61–62 needs ∂a/∂θ with ξ held fixed:
/// `addReparameterisedGradient` takes ∂L/∂a (e.g. −∂Q/∂a from the critic's input
/// gradient) and ∂L/∂log π (e.g. SAC's entropy temperature α) and returns ∂L/∂input.
/// The entropy of a squashed Gaussian has no closed form, so this head is a
/// `PolicyHead` but not an `AnalyticPolicyHead`; use −log π of a sample as the
/// estimate. Actions lie in (−1, 1); rescale to the environment's bounds outside.
public struct TanhSquashedGaussianHead: PolicyHead {
    public let actionCount: Int
    /// Lower clamp of the log-std (SAC: −20).
    public let minLogStd: Float
    /// Upper clamp of the log-std (SAC: 2).
    public let maxLogStd: Float
    public var inputCount: Int { 2 * actionCount }

    /// - Throws: `NeuralNetError.invalidArgument` for no actions or an empty clamp range.
    public init(actionCount: Int, minLogStd: Float = -20, maxLogStd: Float = 2) throws {
        guard actionCount >= 1 else {
            throw NeuralNetError.invalidArgument("A Gaussian head needs at least one action dimension, got \(actionCount).")
        }
        guard minLogStd < maxLogStd else {
            throw NeuralNetError.invalidArgument(
                "The log-std clamp needs minLogStd < maxLogStd, got \(minLogStd) and \(maxLogStd).")
        }
        self.actionCount = actionCount
        self.minLogStd = minLogStd
        self.maxLogStd = maxLogStd
    }

    /// σ and dσ/dℓ / σ (1 inside the clamp, 0 outside).
    @inline(__always)
    func std(_ logStd: Float) -> (std: Float, active: Float) {
        if logStd < minLogStd { return (expf(minLogStd), 0) }
        if logStd > maxLogStd { return (expf(maxLogStd), 0) }
        return (expf(logStd), 1)
    }

    /// log(1 − tanh² u), stably.
    @inline(__always)
    func logOneMinusTanhSquared(_ u: Float) -> Float {
        2 * (0.693_147_2 - u - softplus(-2 * u))
    }

    /// The action for a given noise ξ (`actionCount` floats): a = tanh(μ + σξ).
    public func reparameterisedAction(
        input: UnsafeBufferPointer<Float>, noise: UnsafeBufferPointer<Float>,
        into action: UnsafeMutableBufferPointer<Float>
    ) {
        let d = actionCount
        for i in 0..<d { action[i] = Activation.tanh(input[i] + std(input[d + i]).std * noise[i]) }
    }

    /// log π(a) for the action a = tanh(μ + σξ) of a given noise ξ (no inverse tanh needed).
    public func reparameterisedLogProb(input: UnsafeBufferPointer<Float>, noise: UnsafeBufferPointer<Float>) -> Float {
        let d = actionCount
        var total: Float = 0
        for i in 0..<d {
            let logStd = min(max(input[d + i], minLogStd), maxLogStd)
            let u = input[i] + expf(logStd) * noise[i]
            total += -0.5 * noise[i] * noise[i] - logStd - halfLogTwoPi - logOneMinusTanhSquared(u)
        }
        return total
    }

    /// Adds ∂L/∂input for L depending on the action a = tanh(μ + σξ) and on log π(a), with
    /// the noise ξ fixed (eq. 61): `actionGradient` is ∂L/∂a (`actionCount` floats) and
    /// `logProbScale` is ∂L/∂log π. Per dimension, with g = ∂L/∂a·(1 − a²) + ∂L/∂log π·2a:
    /// ∂L/∂μ = g and ∂L/∂ℓ = g·σξ − ∂L/∂log π (zero outside the log-std clamp).
    public func addReparameterisedGradient(
        input: UnsafeBufferPointer<Float>, noise: UnsafeBufferPointer<Float>,
        actionGradient: UnsafeBufferPointer<Float>, logProbScale: Float,
        into gradient: UnsafeMutableBufferPointer<Float>
    ) {
        let d = actionCount
        for i in 0..<d {
            let (sigma, active) = std(input[d + i])
            let a = Activation.tanh(input[i] + sigma * noise[i])
            let g = actionGradient[i] * (1 - a * a) + logProbScale * 2 * a
            gradient[i] += g
            gradient[d + i] += active * (g * sigma * noise[i] - logProbScale)
        }
    }

    public func sample(
        input: UnsafeBufferPointer<Float>, into action: UnsafeMutableBufferPointer<Float>,
        using generator: inout some RandomNumberGenerator
    ) {
        let d = actionCount
        for i in 0..<d {
            action[i] = Activation.tanh(input[i] + std(input[d + i]).std * Float(generator.nextStandardNormal()))
        }
    }

    /// tanh(μ): the deterministic action.
    public func mode(input: UnsafeBufferPointer<Float>, into action: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<actionCount { action[i] = Activation.tanh(input[i]) }
    }

    /// log π(a) of a stored action, through u = atanh(a) with a clamped to ±(1 − 1e-6).
    public func logProb(input: UnsafeBufferPointer<Float>, action: UnsafeBufferPointer<Float>) -> Float {
        let d = actionCount
        var total: Float = 0
        for i in 0..<d {
            let u = atanhf(min(max(action[i], -0.999_999), 0.999_999))
            let logStd = min(max(input[d + i], minLogStd), maxLogStd)
            let z = (u - input[i]) / expf(logStd)
            total += -0.5 * z * z - logStd - halfLogTwoPi - logOneMinusTanhSquared(u)
        }
        return total
    }

    /// ∂ log π(a)/∂μ = (u − μ)/σ², ∂ log π(a)/∂ℓ = (u − μ)²/σ² − 1, for a stored action.
    public func addLogProbGradient(
        input: UnsafeBufferPointer<Float>, action: UnsafeBufferPointer<Float>, scale: Float,
        into gradient: UnsafeMutableBufferPointer<Float>
    ) {
        let d = actionCount
        for i in 0..<d {
            let u = atanhf(min(max(action[i], -0.999_999), 0.999_999))
            let (sigma, active) = std(input[d + i])
            let z = (u - input[i]) / sigma
            gradient[i] += scale * z / sigma
            gradient[d + i] += scale * active * (z * z - 1)
        }
    }
}
