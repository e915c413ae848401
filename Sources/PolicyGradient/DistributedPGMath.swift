// The arithmetic of paper 002's controller and learners (PG, Algorithm 1; LAPG, Algorithm 2) as
// pure functions. Gradients are Float vectors (what the networks produce); the controller's
// lagged copies ĝ_m(θ̂_m) and the innovations δ_m are Double, so that δ_m = ĝ_m(θ^k) − ĝ_m(θ̂_m)
// is exact and the copy updated with it, ĝ_m(θ̂_m) + δ_m, is ĝ_m(θ^k) again (see
// ``applyInnovation(_:to:)``).

import Training

/// The mini-batch G(PO)MDP gradient of eq. (10) from its N per-episode terms, and σ̂²_m.
///
/// `perEpisode` holds N rows of `size` values, row n the single-trajectory estimate of eq. (29)
/// `Σ_t (Σ_{τ≤t} ∇log π(a_τ|s_τ)) γ^t ℓ_m(s_t, a_t)`. Writes their mean `ĝ = (1/N) Σ_n g_n` into
/// `mean` (summed in Double, in episode order, then rounded to Float) and returns the
/// on-the-fly estimate of σ²_m of Lemma 2 (eq. 15), the expected ‖ĝ − ∇_T L_m‖² of the mean:
///
///     σ̂²_m = Σ_n ‖g_n − ḡ‖² / (N (N − 1))     (0 for N = 1: no spread to estimate from)
///
/// with ḡ the Double mean, i.e. the unbiased sample covariance's trace divided by N.
public func episodeGradientStatistics(_ perEpisode: [Float], episodes n: Int, size: Int, mean: inout [Float]) -> Double {
    precondition(n >= 1 && perEpisode.count == n * size, "per-episode gradients of inconsistent shape")
    if mean.count != size { mean = [Float](repeating: 0, count: size) }
    var spread = 0.0
    for i in 0..<size {
        var s = 0.0
        for e in 0..<n { s += Double(perEpisode[e * size + i]) }
        let m = s / Double(n)
        mean[i] = Float(m)
        for e in 0..<n {
            let d = Double(perEpisode[e * size + i]) - m
            spread += d * d
        }
    }
    return n > 1 ? spread / Double(n * (n - 1)) : 0
}

/// ‖δ_m‖² for the innovation `δ_m = ĝ_m(θ^k) − ĝ_m(θ̂_m)` (eq. 13), `fresh` the new gradient and
/// `lagged` the copy the controller holds.
public func innovationSquaredNorm(fresh: [Float], lagged: [Double]) -> Double {
    precondition(fresh.count == lagged.count, "gradients of different sizes")
    var s = 0.0
    for i in fresh.indices {
        let d = Double(fresh[i]) - lagged[i]
        s += d * d
    }
    return s
}

/// The upload of LAPG (Algorithm 2, line 8) and its receipt: the innovation
/// `δ_m = ĝ_m(θ^k) − ĝ_m(θ̂_m)` is formed in Double and added to the controller's copy,
/// `ĝ_m(θ̂_m) ← ĝ_m(θ̂_m) + δ_m`. Returns δ_m (the message).
///
/// Exactness: the copy always holds Float values, and for two Floats a, b within a factor 2²⁹ of
/// each other (or either zero) `b − a` is exact in Double, so the updated copy is `b` bit for bit.
public func applyInnovation(_ fresh: [Float], to lagged: inout [Double]) -> [Double] {
    precondition(fresh.count == lagged.count, "gradients of different sizes")
    var delta = [Double](repeating: 0, count: fresh.count)
    for i in fresh.indices {
        delta[i] = Double(fresh[i]) - lagged[i]
        lagged[i] += delta[i]
    }
    return delta
}

/// The controller's aggregate ∇̂ = Σ_m ĝ_m(θ̂_m) (eq. 12; PG's eq. 11 when every copy is fresh),
/// summed in Double in learner order and rounded once to Float.
///
/// LAPG's recursion ∇̂^k = ∇̂^{k−1} + Σ_{m ∈ M^k} δ_m (eq. 13b) is the same sum; it is evaluated
/// in this form (eq. 13a) so that rounding does not accumulate over the iterations.
public func aggregateGradients(_ copies: [[Double]], into out: inout [Float]) {
    guard let first = copies.first else { return }
    if out.count != first.count { out = [Float](repeating: 0, count: first.count) }
    for i in first.indices {
        var s = 0.0
        for c in copies { s += c[i] }
        out[i] = Float(s)
    }
}

/// Doubles as pairs of Floats holding their high and low 32 bits (exact in a Float tensor file).
func encodeDoubleBits(_ values: [Double]) -> [Float] {
    var out: [Float] = []
    out.reserveCapacity(2 * values.count)
    for v in values {
        let bits = v.bitPattern
        out.append(Float(bitPattern: UInt32(truncatingIfNeeded: bits >> 32)))
        out.append(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
    }
    return out
}

func decodeDoubleBits(_ values: [Float]) -> [Double] {
    stride(from: 0, to: values.count - 1, by: 2).map { i in
        Double(bitPattern: UInt64(values[i].bitPattern) << 32 | UInt64(values[i + 1].bitPattern))
    }
}

/// One sample of the smoothness constant L of Lemma 3 (eq. 19) from paired episodes:
/// `perEpisodeFirst` and `perEpisodeSecond` hold N rows of `size` values, row n the
/// single-episode gradient of the overall loss at θ₁ and at θ₂ of the episode played from the
/// same random numbers (common random numbers). With d_n their difference and d̄ its mean,
///
///     raw      = ‖d̄‖ / ‖θ₁ − θ₂‖
///     debiased = √max(0, ‖d̄‖² − Σ_n ‖d_n − d̄‖² / (N(N − 1))) / ‖θ₁ − θ₂‖
///
/// `raw` is the plain ratio ‖∇̂L(θ₁) − ∇̂L(θ₂)‖/‖θ₁ − θ₂‖, biased upward by the sampling noise
/// that the pairing leaves (actions that flip between the two points); the subtracted term is
/// the unbiased estimate of that noise, E‖d̄‖² = ‖∇L(θ₁) − ∇L(θ₂)‖² + tr Cov(d)/N, so
/// `debiased²` estimates the squared change of the true gradient without bias (0 when it is not
/// resolved). Sums in Double.
public func smoothnessSample(_ perEpisodeFirst: [Float], _ perEpisodeSecond: [Float], episodes n: Int, size: Int,
                             distance: Double) -> (raw: Double, debiased: Double) {
    precondition(n >= 2 && perEpisodeFirst.count == n * size && perEpisodeSecond.count == n * size, "paired gradients of inconsistent shape")
    precondition(distance > 0, "two distinct parameter vectors are needed")
    var meanSquared = 0.0, spread = 0.0
    for i in 0..<size {
        var s = 0.0
        for e in 0..<n { s += Double(perEpisodeFirst[e * size + i]) - Double(perEpisodeSecond[e * size + i]) }
        let m = s / Double(n)
        meanSquared += m * m
        for e in 0..<n {
            let d = Double(perEpisodeFirst[e * size + i]) - Double(perEpisodeSecond[e * size + i]) - m
            spread += d * d
        }
    }
    let noise = spread / Double(n * (n - 1))
    return (meanSquared.squareRoot() / distance, max(0, meanSquared - noise).squareRoot() / distance)
}

/// Theorem 1's step-size bound (eq. 21): `(1 − 3 Σ_d ξ_d) / L`. Negative when Σξ ≥ 1/3, where no
/// step size satisfies it.
public func lapgStepSizeBound(xi: [Double], smoothness: Double) -> Double {
    (1 - 3 * xi.reduce(0, +)) / smoothness
}

/// σ²_m as it enters condition (16) for a `lazy-aggregation.variance` rule: `estimated` gives
/// σ̂²_m(θ^k) (so the term is 6σ̂²_m, eq. 16 as written), `zero` 0, and `innovation-noise`
/// (σ̂²_m(θ^k) + σ̂²_m(θ̂_m))/6, so that the term 6σ² is the innovation's expected noise.
/// `fresh` is σ̂²_m of the new gradient, `lagged` that of the copy the controller holds.
public func lapgVarianceTerm(_ rule: LazyAggregationSettings.Variance, fresh: Double, lagged: Double) -> Double {
    switch rule {
    case .estimated: fresh
    case .zero: 0
    case .innovationNoise: (fresh + lagged) / 6
    }
}
