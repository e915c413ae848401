import Communication
import Foundation

/// The math of Dist-MTPS (``DistMTPSConfig``) as free functions, tested on hand-computed values.
/// Arrays are row-major; L is d×r, θ and φ have d entries, s has r.

/// `θ = L s`, the task's policy parameters from the shared basis L and its coefficients s.
public func factoredParameters(basis: [Double], coefficients: [Double], d: Int, r: Int, into theta: inout [Double]) {
    for i in 0..<d {
        var v = 0.0
        for j in 0..<r { v += basis[i * r + j] * coefficients[j] }
        theta[i] = v
    }
}

/// log N(a; θᵀφ, σ²), the log-likelihood of the linear Gaussian policy.
public func linearGaussianLogLikelihood(theta: [Double], features: [Double], action: Double, sigma: Double) -> Double {
    var mean = 0.0
    for i in theta.indices { mean += theta[i] * features[i] }
    let z = (action - mean) / sigma
    return -0.5 * z * z - log(sigma * (2 * Double.pi).squareRoot())
}

/// Adds `weight · ∇_θ log N(a; θᵀφ, σ²) = weight · (a − θᵀφ) φ / σ²` into `gradient` (REINFORCE,
/// Williams 1992).
public func accumulateLinearGaussianScore(theta: UnsafeBufferPointer<Double>, features: UnsafeBufferPointer<Double>, action: Double,
                                          sigma: Double, weight: Double, into gradient: UnsafeMutableBufferPointer<Double>) {
    var mean = 0.0
    for i in 0..<theta.count { mean += theta[i] * features[i] }
    let c = weight * (action - mean) / (sigma * sigma)
    for i in 0..<theta.count { gradient[i] += c * features[i] }
}

/// PoWER's reward-weighted update with parameter exploration (Kober & Peters 2009):
/// `θ̃ = θ + Σ_i R_i (θ_i − θ) / Σ_i R_i` over the rollouts i (explored parameters θ_i, returns
/// R_i ≥ 0). Returns false, leaving `target = θ`, when Σ R_i is not positive.
@discardableResult
public func powerTarget(theta: [Double], explored: [[Double]], returns: [Double], into target: inout [Double]) -> Bool {
    for i in theta.indices { target[i] = theta[i] }
    let total = returns.reduce(0, +)
    guard total > 0, total.isFinite else { return false }
    for (p, r) in zip(explored, returns) {
        let w = r / total
        for i in theta.indices { target[i] += w * (p[i] - theta[i]) }
    }
    return true
}

/// The ridge fit of the task coefficients to the target with L fixed:
/// `s = argmin ½‖L s − θ̃‖² + ½κ‖s‖² = (LᵀL + κI)⁻¹ Lᵀθ̃`. Returns false when LᵀL + κI is not
/// positive definite (κ = 0 with a rank-deficient L).
@discardableResult
public func ridgeCoefficients(basis: [Double], target: [Double], ridge: Double, d: Int, r: Int, into s: inout [Double]) -> Bool {
    var gram = [Double](repeating: 0, count: r * r), work = gram
    for a in 0..<r {
        for b in 0..<r {
            var v = 0.0
            for i in 0..<d { v += basis[i * r + a] * basis[i * r + b] }
            gram[a * r + b] = v + (a == b ? ridge : 0)
        }
        var v = 0.0
        for i in 0..<d { v += basis[i * r + a] * target[i] }
        s[a] = v
    }
    return gram.withUnsafeBufferPointer { g in
        s.withUnsafeMutableBufferPointer { x in work.withUnsafeMutableBufferPointer { solveSymmetricPositiveDefinite(g, n: r, rows: x, rowCount: 1, work: $0) } }
    }
}

/// Agent k's local cost in L, `½‖L s_k − θ̃_k‖² + (μ/N)‖L‖²_F`, in ADMM's form
/// `½ tr(L A Lᵀ) − tr(Bᵀ L)` + const: `A = s sᵀ + (2μ/N) I` (r×r), `B = θ̃ sᵀ` (d×r).
public func distMTPSLocalCost(coefficients s: [Double], target: [Double], mu: Double, agents: Int, d: Int, r: Int,
                              a: inout [Double], b: inout [Double]) {
    let shift = 2 * mu / Double(agents)
    for i in 0..<r { for j in 0..<r { a[i * r + j] = s[i] * s[j] + (i == j ? shift : 0) } }
    for i in 0..<d { for j in 0..<r { b[i * r + j] = target[i] * s[j] } }
}
