#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A diagonal Gaussian policy over `actionCount` continuous actions whose row of input
/// is `[a₁…a_D, b₁…b_D]`: the first half sets the means, the second the standard
/// deviations, through the map a conforming type supplies in `meanAndStd(a:b:)`.
///
/// This is a seam: a new parameterisation supplies only that map and its derivatives;
/// sampling, log-density, entropy, KL and all their gradients come from this
/// protocol's extension, which applies the chain rule to the closed forms (per
/// dimension, with x the action):
///
///     log N(x; μ, σ) = −(x − μ)²/(2σ²) − log σ − ½ log 2π
///     ∂/∂μ = (x − μ)/σ²,  ∂/∂σ = (x − μ)²/σ³ − 1/σ
///     H = ½ + ½ log 2π + log σ,  ∂H/∂σ = 1/σ
///     KL(p‖q) = log(σq/σp) + (σp² + (μp − μq)²)/(2σq²) − ½
public protocol DiagonalGaussianHead: AnalyticPolicyHead {
    /// Mean, standard deviation and the derivatives dμ/da and dσ/db for one dimension.
    func meanAndStd(a: Float, b: Float) -> (mean: Float, std: Float, dMean: Float, dStd: Float)
}

/// ½ log 2π.
let halfLogTwoPi: Float = 0.918_938_5

extension DiagonalGaussianHead {
    public var inputCount: Int { 2 * actionCount }

    public func sample(
        input: UnsafeBufferPointer<Float>, into action: UnsafeMutableBufferPointer<Float>,
        using generator: inout some RandomNumberGenerator
    ) {
        let d = actionCount
        for i in 0..<d {
            let (mean, std, _, _) = meanAndStd(a: input[i], b: input[d + i])
            action[i] = mean + std * Float(generator.nextStandardNormal())
        }
    }

    public func mode(input: UnsafeBufferPointer<Float>, into action: UnsafeMutableBufferPointer<Float>) {
        let d = actionCount
        for i in 0..<d { action[i] = meanAndStd(a: input[i], b: input[d + i]).mean }
    }

    public func logProb(input: UnsafeBufferPointer<Float>, action: UnsafeBufferPointer<Float>) -> Float {
        let d = actionCount
        var total: Float = 0
        for i in 0..<d {
            let (mean, std, _, _) = meanAndStd(a: input[i], b: input[d + i])
            let z = (action[i] - mean) / std
            total += -0.5 * z * z - logf(std) - halfLogTwoPi
        }
        return total
    }

    public func addLogProbGradient(
        input: UnsafeBufferPointer<Float>, action: UnsafeBufferPointer<Float>, scale: Float,
        into gradient: UnsafeMutableBufferPointer<Float>
    ) {
        let d = actionCount
        for i in 0..<d {
            let (mean, std, dMean, dStd) = meanAndStd(a: input[i], b: input[d + i])
            let diff = action[i] - mean
            let inverseVariance = 1 / (std * std)
            gradient[i] += scale * diff * inverseVariance * dMean
            gradient[d + i] += scale * (diff * diff * inverseVariance - 1) / std * dStd
        }
    }

    public func entropy(input: UnsafeBufferPointer<Float>) -> Float {
        let d = actionCount
        var total: Float = 0
        for i in 0..<d { total += 0.5 + halfLogTwoPi + logf(meanAndStd(a: input[i], b: input[d + i]).std) }
        return total
    }

    public func addEntropyGradient(
        input: UnsafeBufferPointer<Float>, scale: Float, into gradient: UnsafeMutableBufferPointer<Float>
    ) {
        let d = actionCount
        for i in 0..<d {
            let (_, std, _, dStd) = meanAndStd(a: input[i], b: input[d + i])
            gradient[d + i] += scale * dStd / std
        }
    }

    public func klDivergence(p: UnsafeBufferPointer<Float>, q: UnsafeBufferPointer<Float>) -> Float {
        let d = actionCount
        var total: Float = 0
        for i in 0..<d {
            let (mp, sp, _, _) = meanAndStd(a: p[i], b: p[d + i])
            let (mq, sq, _, _) = meanAndStd(a: q[i], b: q[d + i])
            let diff = mp - mq
            total += logf(sq / sp) + (sp * sp + diff * diff) / (2 * sq * sq) - 0.5
        }
        return total
    }

    public func addKLGradient(
        p: UnsafeBufferPointer<Float>, q: UnsafeBufferPointer<Float>, scale: Float,
        intoP gradientP: UnsafeMutableBufferPointer<Float>?, intoQ gradientQ: UnsafeMutableBufferPointer<Float>?
    ) {
        let d = actionCount
        for i in 0..<d {
            let (mp, sp, dmp, dsp) = meanAndStd(a: p[i], b: p[d + i])
            let (mq, sq, dmq, dsq) = meanAndStd(a: q[i], b: q[d + i])
            let diff = mp - mq
            let inverseVarianceQ = 1 / (sq * sq)
            if let g = gradientP {
                g[i] += scale * diff * inverseVarianceQ * dmp
                g[d + i] += scale * (sp * inverseVarianceQ - 1 / sp) * dsp
            }
            if let g = gradientQ {
                g[i] -= scale * diff * inverseVarianceQ * dmq
                g[d + i] += scale * (1 / sq - (sp * sp + diff * diff) * inverseVarianceQ / sq) * dsq
            }
        }
    }
}
