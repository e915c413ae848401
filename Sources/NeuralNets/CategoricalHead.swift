#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A categorical distribution over `actionChoices` discrete actions, from logits z:
/// π(k) = softmax(z)ₖ, computed through a max-shifted log-sum-exp so no logit overflows.
///
/// Gradients (with p = softmax z):
/// ∂ log π(a)/∂zₖ = [k = a] − pₖ;  ∂H/∂zₖ = −pₖ(log pₖ + H);
/// ∂KL(p‖q)/∂zᵖₖ = pₖ(log pₖ − log qₖ − KL);  ∂KL(p‖q)/∂zᑫₖ = qₖ − pₖ.
///
/// An action index outside `0..<actionChoices` has probability zero: its log-prob is
/// −∞ and its gradient contributes nothing.
public struct CategoricalHead: AnalyticPolicyHead {
    /// Number of discrete actions (logits per row).
    public let actionChoices: Int
    public var inputCount: Int { actionChoices }
    public var actionCount: Int { 1 }

    /// - Throws: `NeuralNetError.invalidArgument` unless `actionChoices ≥ 1`.
    public init(actionChoices: Int) throws {
        guard actionChoices >= 1 else {
            throw NeuralNetError.invalidArgument("A categorical head needs at least one action, got \(actionChoices).")
        }
        self.actionChoices = actionChoices
    }

    /// log Σ exp zₖ, shifted by the maximum.
    @inline(__always)
    func logSumExp(_ z: UnsafeBufferPointer<Float>) -> Float {
        var m = -Float.infinity
        for k in 0..<actionChoices { m = max(m, z[k]) }
        guard m.isFinite else { return m }
        var s: Float = 0
        for k in 0..<actionChoices { s += expf(z[k] - m) }
        return m + logf(s)
    }

    @inline(__always)
    func index(_ action: UnsafeBufferPointer<Float>) -> Int? {
        let a = action[0]
        guard a >= 0, a < Float(actionChoices), a == a.rounded(.towardZero) else { return nil }
        return Int(a)
    }

    public func sample(
        input: UnsafeBufferPointer<Float>, into action: UnsafeMutableBufferPointer<Float>,
        using generator: inout some RandomNumberGenerator
    ) {
        let lse = logSumExp(input)
        let u = Float(generator.nextUnitDouble())
        var cumulative: Float = 0
        var chosen = actionChoices - 1   // rounding can leave the total a hair below u
        for k in 0..<actionChoices {
            cumulative += expf(input[k] - lse)
            if u < cumulative { chosen = k; break }
        }
        action[0] = Float(chosen)
    }

    public func mode(input: UnsafeBufferPointer<Float>, into action: UnsafeMutableBufferPointer<Float>) {
        var best = 0
        for k in 1..<actionChoices where input[k] > input[best] { best = k }
        action[0] = Float(best)
    }

    public func logProb(input: UnsafeBufferPointer<Float>, action: UnsafeBufferPointer<Float>) -> Float {
        guard let a = index(action) else { return -.infinity }
        return input[a] - logSumExp(input)
    }

    public func addLogProbGradient(
        input: UnsafeBufferPointer<Float>, action: UnsafeBufferPointer<Float>, scale: Float,
        into gradient: UnsafeMutableBufferPointer<Float>
    ) {
        guard let a = index(action) else { return }
        let lse = logSumExp(input)
        for k in 0..<actionChoices { gradient[k] -= scale * expf(input[k] - lse) }
        gradient[a] += scale
    }

    public func entropy(input: UnsafeBufferPointer<Float>) -> Float {
        let lse = logSumExp(input)
        var h: Float = 0
        for k in 0..<actionChoices {
            let logP = input[k] - lse
            h -= expf(logP) * logP
        }
        return h
    }

    public func addEntropyGradient(
        input: UnsafeBufferPointer<Float>, scale: Float, into gradient: UnsafeMutableBufferPointer<Float>
    ) {
        let lse = logSumExp(input)
        let h = entropy(input: input)
        for k in 0..<actionChoices {
            let logP = input[k] - lse
            gradient[k] -= scale * expf(logP) * (logP + h)
        }
    }

    public func klDivergence(p: UnsafeBufferPointer<Float>, q: UnsafeBufferPointer<Float>) -> Float {
        let lseP = logSumExp(p), lseQ = logSumExp(q)
        var kl: Float = 0
        for k in 0..<actionChoices {
            let logP = p[k] - lseP, logQ = q[k] - lseQ
            kl += expf(logP) * (logP - logQ)
        }
        return kl
    }

    public func addKLGradient(
        p: UnsafeBufferPointer<Float>, q: UnsafeBufferPointer<Float>, scale: Float,
        intoP gradientP: UnsafeMutableBufferPointer<Float>?, intoQ gradientQ: UnsafeMutableBufferPointer<Float>?
    ) {
        let lseP = logSumExp(p), lseQ = logSumExp(q)
        let kl = klDivergence(p: p, q: q)
        for k in 0..<actionChoices {
            let logP = p[k] - lseP, logQ = q[k] - lseQ
            let pk = expf(logP)
            gradientP?[k] += scale * pk * (logP - logQ - kl)
            gradientQ?[k] += scale * (expf(logQ) - pk)
        }
    }
}
