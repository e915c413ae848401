// The per-minibatch math of PPO (Schulman et al. 2017, "Proximal Policy Optimization
// Algorithms", eq. 7), as Stable-Baselines3 computes it; free functions with golden tests.

/// The clipped surrogate objective over a minibatch of B rows:
/// `L = −(1/B) Σ min(r_i Â_i, clip(r_i, 1 − ε, 1 + ε) Â_i)` with `r_i = exp(log π(a_i|s_i) − log π_old(a_i|s_i))`.
///
/// Writes into `weights` the per-row coefficients `w_i` such that `∂L/∂θ = −Σ w_i ∇ log π(a_i|s_i)`:
/// `w_i = Â_i r_i / B` where the unclipped term is the minimum (Â ≥ 0 and r ≤ 1 + ε, or Â < 0
/// and r ≥ 1 − ε), 0 where the clipped constant is. Returns the loss, the fraction of rows
/// with |r − 1| > ε, and the approximate KL divergence `(1/B) Σ (r − 1) − log r`.
public func clippedSurrogate(logProbs: [Float], oldLogProbs: [Float], advantages: [Float], clipRange: Float,
                             weights: inout [Float]) -> (loss: Double, clipFraction: Double, approxKL: Double) {
    let b = logProbs.count
    precondition(oldLogProbs.count >= b && advantages.count >= b && weights.count >= b, "minibatch buffers of inconsistent lengths")
    var loss = 0.0, clipped = 0, kl = 0.0
    for i in 0..<b {
        let logRatio = Double(logProbs[i]) - Double(oldLogProbs[i])
        let r = Float(exp(logRatio))
        let a = advantages[i]
        let unclipped = r * a
        let bounded = min(max(r, 1 - clipRange), 1 + clipRange) * a
        loss -= Double(min(unclipped, bounded))
        let active = a >= 0 ? r <= 1 + clipRange : r >= 1 - clipRange
        weights[i] = active ? a * r / Float(b) : 0
        if abs(r - 1) > clipRange { clipped += 1 }
        kl += (exp(logRatio) - 1) - logRatio
    }
    return (loss / Double(b), Double(clipped) / Double(b), kl / Double(b))
}

/// The value loss `c · (1/B) Σ (V̂_i − R_i)²` with, when `clipRange > 0`, the prediction clipped
/// around the rollout's value, `V̂ = V_old + clip(V − V_old, −ε_v, ε_v)` (Stable-Baselines3's
/// `clip_range_vf`). Writes `∂loss/∂V_i` into `gradient` and returns the mean squared error.
public func clippedValueLoss(values: UnsafeBufferPointer<Float>, oldValues: [Float], returns: [Float], clipRange: Float, coefficient: Float,
                             gradient: inout [Float]) -> Double {
    let b = values.count
    var mse = 0.0
    for i in 0..<b {
        var v = values[i]
        var slope: Float = 1
        if clipRange > 0 {
            let d = v - oldValues[i]
            if d > clipRange { v = oldValues[i] + clipRange; slope = 0 } else if d < -clipRange { v = oldValues[i] - clipRange; slope = 0 }
        }
        let e = v - returns[i]
        mse += Double(e * e)
        gradient[i] = slope * 2 * coefficient * e / Float(b)
    }
    return mse / Double(b)
}

/// Advantages normalised to zero mean and unit standard deviation (the unbiased estimate, as
/// `torch.std`), plus 1e-8; a single row is left as it is.
public func normalizedAdvantages(_ advantages: inout ArraySlice<Float>) {
    let n = advantages.count
    guard n > 1 else { return }
    var mean = 0.0
    for a in advantages { mean += Double(a) }
    mean /= Double(n)
    var variance = 0.0
    for a in advantages { variance += (Double(a) - mean) * (Double(a) - mean) }
    let std = (variance / Double(n - 1)).squareRoot()
    for i in advantages.indices { advantages[i] = Float((Double(advantages[i]) - mean) / (std + 1e-8)) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
