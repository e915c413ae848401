import Foundation

/// The SLEM of a reversible mixing matrix by the Lanczos method on its sparse rows.
///
/// With π the stationary distribution, `S = D^{1/2} W D^{-1/2}` (D = diag π; S = W when W is
/// symmetric) is symmetric with W's eigenvalues, and `u = √π` is its eigenvector for 1. Lanczos
/// runs on S restricted to u⊥ (every vector is re-projected, which deflates the eigenvalue 1),
/// building the tridiagonal T_m whose extreme eigenvalues — found by Sturm bisection — approach
/// S's from inside. It stops when both extremes change by less than 1e-12 over a check window
/// (a window of at least 100 steps, growing with m), when the Krylov space is exhausted, or
/// after `maxIterations`; the SLEM is the larger modulus. Each step costs one sparse product
/// (O(N + links)); no N × N matrix is formed. A disconnected graph keeps an eigenvalue 1 in u⊥,
/// so its SLEM is 1, as for the dense solver.
public func lanczosSLEM(_ w: MixingMatrix, pi: [Double], symmetric: Bool, maxIterations: Int = lanczosIterationLimit) -> Double {
    lanczosSpectrum(w, pi: pi, symmetric: symmetric, maxIterations: maxIterations).slem
}

/// Lanczos steps before ``secondLargestEigenvalueModulus(_:)`` stops and reports a lower
/// bound (N ≥ this many agents on a graph whose spectral gap is tiny, such as a long ring,
/// where every Krylov method needs about N steps).
public let lanczosIterationLimit = 3000

/// ``lanczosSLEM(_:pi:symmetric:maxIterations:)`` and whether it converged: when it stops at
/// `maxIterations` first, the value is a lower bound of the SLEM (Lanczos approaches the
/// extreme eigenvalues from inside).
func lanczosSpectrum(_ w: MixingMatrix, pi: [Double], symmetric: Bool, maxIterations: Int) -> (slem: Double, converged: Bool) {
    let n = w.agentCount
    let root = pi.map { $0.squareRoot() }
    var u = root
    let uNorm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
    for k in 0..<n { u[k] /= uNorm }
    // S's rows: S_kl = W_kl √π_k / √π_l.
    let rows: [[Double]] = symmetric ? w.exactSourceWeights : (0..<n).map { k in
        w.sources[k].enumerated().map { i, l in w.exactSourceWeights[k][i] * root[k] / root[l] }
    }
    func project(_ v: inout [Double]) {
        var m = 0.0
        for k in 0..<n { m += u[k] * v[k] }
        for k in 0..<n { v[k] -= m * u[k] }
    }
    var rng = SplitMix64(seed: 0x1A2C, stream: UInt64(n))
    var q = (0..<n).map { _ in rng.nextGaussian() }
    project(&q)
    var norm = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
    guard norm > 0 else { return (0, true) }
    for k in 0..<n { q[k] /= norm }
    var previous = [Double](repeating: 0, count: n)
    var z = [Double](repeating: 0, count: n)
    var alphas: [Double] = [], betas: [Double] = []
    var betaPrevious = 0.0
    var last = (low: Double.nan, high: Double.nan)
    var nextCheck = 100
    for step in 1...max(1, maxIterations) {
        for k in 0..<n {
            var s = w.exactSelfWeights[k] * q[k]
            let sources = w.sources[k], weights = rows[k]
            for i in sources.indices { s += weights[i] * q[sources[i]] }
            z[k] = s
        }
        project(&z)
        var alpha = 0.0
        for k in 0..<n { alpha += q[k] * z[k] }
        for k in 0..<n { z[k] -= alpha * q[k] + betaPrevious * previous[k] }
        project(&z)
        alphas.append(alpha)
        norm = z.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let exhausted = norm <= 1e-13 || step >= n - 1
        if exhausted || step == nextCheck || step == maxIterations {
            let now = tridiagonalExtremes(alphas, betas)
            let slem = min(1, max(abs(now.low), abs(now.high)))
            if exhausted { return (slem, true) }
            if abs(now.low - last.low) < 1e-12 && abs(now.high - last.high) < 1e-12 { return (slem, true) }
            if step == maxIterations { return (slem, false) }
            last = now
            nextCheck = step + max(100, step / 10)
        }
        betas.append(norm)
        betaPrevious = norm
        swap(&previous, &q)
        for k in 0..<n { q[k] = z[k] / norm }
    }
    let now = tridiagonalExtremes(alphas, betas)
    return (min(1, max(abs(now.low), abs(now.high))), false)
}

/// The smallest and largest eigenvalues of the symmetric tridiagonal matrix with diagonal
/// `a` and off-diagonal `b` (`b.count ≥ a.count − 1`), by Sturm-sequence bisection.
func tridiagonalExtremes(_ a: [Double], _ b: [Double]) -> (low: Double, high: Double) {
    let m = a.count
    var lo = Double.infinity, hi = -Double.infinity
    for i in 0..<m {
        let r = (i > 0 ? abs(b[i - 1]) : 0) + (i + 1 < m ? abs(b[i]) : 0)
        lo = min(lo, a[i] - r)
        hi = max(hi, a[i] + r)
    }
    /// The number of eigenvalues below x.
    func below(_ x: Double) -> Int {
        var count = 0
        var d = 1.0
        for i in 0..<m {
            let off = i > 0 ? b[i - 1] * b[i - 1] : 0
            d = a[i] - x - (i > 0 ? off / d : 0)
            if d == 0 { d = -1e-300 }
            if d < 0 { count += 1 }
        }
        return count
    }
    func bisect(_ target: Int) -> Double {
        // The smallest x with below(x) ≥ target, i.e. the target-th eigenvalue from below.
        var l = lo, h = hi
        for _ in 0..<80 {
            let mid = 0.5 * (l + h)
            if mid <= l || mid >= h { break }
            if below(mid) >= target { h = mid } else { l = mid }
        }
        return 0.5 * (l + h)
    }
    return (bisect(1), bisect(m))
}
