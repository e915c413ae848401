/// The algebra of consensus ADMM on matrix quadratics (Wei & Ozdaglar 2012), used by the `admm`
/// strategy (``ADMMConsensus``) and tested on closed-form solves.
///
/// Agent i holds a local cost over a d×r matrix X (row-major),
/// `f_i(X) = ½ tr(X A_i Xᵀ) − tr(B_iᵀ X)`, A_i symmetric positive definite (r×r), B_i (d×r).
/// The network minimises `Σ_i f_i(X_i)` subject to `X_i = X_j` on every edge {i, j}, with a dual
/// λ_ij per edge (i < j) and penalty ρ. In Wei & Ozdaglar's sequential scheme the agents update in
/// index order, each minimising the augmented Lagrangian in its own X_i with the newest values of
/// its predecessors and the previous values of its successors; then every dual steps
/// `λ_ij ← λ_ij − ρ (X_i − X_j)`. Only the aggregate `Λ_i = Σ_{j>i} λ_ij − Σ_{j<i} λ_ji` enters
/// agent i's update, so each agent keeps Λ_i (d×r) instead of one dual per edge:
/// - primal: `X_i (A_i + ρ |N_i| I) = B_i + Λ_i + ρ Σ_{j∈N_i} X_j`  (``admmPrimalUpdate``);
/// - dual: `Λ_i ← Λ_i − ρ Σ_{j∈N_i} (X_i − X_j)`  (``admmDualUpdate``).
/// Since Σ_i Λ_i stays 0, a fixed point in consensus satisfies `X Σ_i A_i = Σ_i B_i`: the
/// centralised minimiser (``centralisedQuadraticMinimiser``).

/// Solves `x M = b` for the row vector x, M symmetric positive definite (n×n, row-major), by
/// Cholesky; `work` holds n·n scratch values. Returns false when M is not positive definite.
@discardableResult
public func solveSymmetricPositiveDefinite(_ m: UnsafeBufferPointer<Double>, n: Int, rows b: UnsafeMutableBufferPointer<Double>,
                                           rowCount: Int, work: UnsafeMutableBufferPointer<Double>) -> Bool {
    // Cholesky M = G Gᵀ, G lower triangular, in `work`.
    for i in 0..<(n * n) { work[i] = 0 }
    for i in 0..<n {
        for j in 0...i {
            var s = m[i * n + j]
            for k in 0..<j { s -= work[i * n + k] * work[j * n + k] }
            if i == j {
                guard s > 0, s.isFinite else { return false }
                work[i * n + i] = s.squareRoot()
            } else {
                work[i * n + j] = s / work[j * n + j]
            }
        }
    }
    // Each row: x M = b ⇔ M x = b (M symmetric): forward then backward substitution.
    for row in 0..<rowCount {
        let o = row * n
        for i in 0..<n {
            var s = b[o + i]
            for k in 0..<i { s -= work[i * n + k] * b[o + k] }
            b[o + i] = s / work[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = b[o + i]
            for k in (i + 1)..<n { s -= work[k * n + i] * b[o + k] }
            b[o + i] = s / work[i * n + i]
        }
    }
    return true
}

/// Agent i's primal step: writes into `x` (d×r) the minimiser of its augmented Lagrangian,
/// `X (A + ρ·degree·I) = B + Λ + ρ Σ_j X_j`, where `neighbourSum` is `Σ_{j∈N_i} X_j` (the
/// newest copy of each neighbour). `system` (r·r) and `work` (r·r) are scratch.
/// Returns false when `A + ρ·degree·I` is not positive definite.
@discardableResult
public func admmPrimalUpdate(a: UnsafeBufferPointer<Float>, b: UnsafeBufferPointer<Float>, dual: UnsafeBufferPointer<Float>,
                             neighbourSum: UnsafeBufferPointer<Double>, degree: Int, rho: Double, d: Int, r: Int,
                             x: UnsafeMutableBufferPointer<Double>, system: UnsafeMutableBufferPointer<Double>,
                             work: UnsafeMutableBufferPointer<Double>) -> Bool {
    for i in 0..<(r * r) { system[i] = Double(a[i]) }
    for i in 0..<r { system[i * r + i] += rho * Double(degree) }
    for i in 0..<(d * r) { x[i] = Double(b[i]) + Double(dual[i]) + rho * neighbourSum[i] }
    return solveSymmetricPositiveDefinite(UnsafeBufferPointer(system), n: r, rows: x, rowCount: d, work: work)
}

/// Agent i's dual step on its aggregate multiplier: `Λ ← Λ − ρ (degree·X_i − Σ_{j∈N_i} X_j)`.
public func admmDualUpdate(dual: UnsafeMutableBufferPointer<Float>, own: UnsafeBufferPointer<Float>,
                           neighbourSum: UnsafeBufferPointer<Double>, degree: Int, rho: Double) {
    for i in 0..<dual.count {
        dual[i] = Float(Double(dual[i]) - rho * (Double(degree) * Double(own[i]) - neighbourSum[i]))
    }
}

/// The minimiser of `Σ_i f_i(X)` over one shared X: `X (Σ_i A_i) = Σ_i B_i` (what ADMM's agents
/// agree on). `a[i]` is r×r, `b[i]` d×r, row-major; nil when Σ A_i is not positive definite.
public func centralisedQuadraticMinimiser(a: [[Double]], b: [[Double]], d: Int, r: Int) -> [Double]? {
    var sumA = [Double](repeating: 0, count: r * r), x = [Double](repeating: 0, count: d * r)
    for m in a { for i in 0..<(r * r) { sumA[i] += m[i] } }
    for m in b { for i in 0..<(d * r) { x[i] += m[i] } }
    var work = [Double](repeating: 0, count: r * r)
    let ok = sumA.withUnsafeBufferPointer { s in
        x.withUnsafeMutableBufferPointer { xs in work.withUnsafeMutableBufferPointer { solveSymmetricPositiveDefinite(s, n: r, rows: xs, rowCount: d, work: $0) } }
    }
    return ok ? x : nil
}
