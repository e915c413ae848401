import Foundation

// Spectral analysis of mixing matrices: the second-largest eigenvalue modulus (SLEM).
//
// For a primitive row-stochastic W with stationary distribution π (πᵀW = πᵀ), the
// disagreement x − 1πᵀx after t rounds of x ← Wx shrinks like SLEM^t, where SLEM is
// the largest modulus among W's eigenvalues other than the simple eigenvalue 1, i.e.
// the spectral radius of W − 1πᵀ. When W is symmetric that is also the spectral norm
// of W − 11ᵀ/N, so every single round contracts the disagreement by at most SLEM.

/// How a SLEM value was obtained.
public enum SpectralMethod: String, Sendable {
    /// All eigenvalues of the symmetric W by cyclic Jacobi rotations (exact to ~1e-12).
    case jacobi
    /// W is not symmetric but reversible (π_k W_kl = π_l W_lk); its eigenvalues are
    /// those of the symmetric D^{1/2} W D^{-1/2}, D = diag(π), found by Jacobi.
    case symmetrisedJacobi = "symmetrised-jacobi"
    /// Power iteration on the deflated operator W − 1πᵀ; for symmetric or reversible W the
    /// norm ratio converges monotonically to the SLEM.
    case powerIteration = "power-iteration"
    /// Lanczos on the sparse symmetric (or symmetrised reversible) W with the eigenvalue 1
    /// deflated (large N): time scales with the links times the iterations.
    case lanczos
    /// Power iteration on W − 1πᵀ for a non-reversible W: the geometric growth rate
    /// ‖Bᵗx‖^{1/t} over a long window (an estimate of the spectral radius).
    case nonsymmetricPowerIteration = "nonsymmetric-power-iteration"
}

/// The SLEM of a mixing matrix and how it was computed.
public struct SpectralEstimate: Sendable, Equatable {
    /// Second-largest eigenvalue modulus, in [0, 1] for a stochastic matrix.
    public var slem: Double
    /// The method used.
    public var method: SpectralMethod
    /// False when an iterative method stopped at its step limit first: `slem` is then a lower
    /// bound (see ``lanczosIterationLimit``).
    public var converged = true
}

/// Largest N for which the dense Jacobi eigen-solver is used.
public let jacobiAgentLimit = 256

/// The SLEM of `w`: Jacobi on the symmetric (or symmetrised reversible) matrix for
/// N ≤ ``jacobiAgentLimit``, Lanczos on the sparse matrix with the eigenvalue 1 deflated
/// above, power iteration on the deflated matrix when W is not reversible. A disconnected
/// graph gives 1 (eigenvalue 1 is repeated).
public func secondLargestEigenvalueModulus(_ w: MixingMatrix) -> SpectralEstimate {
    let n = w.agentCount
    if n == 1 { return SpectralEstimate(slem: 0, method: .jacobi) }
    let symmetric = w.isSymmetric(tolerance: 1e-12)
    var pi = [Double](repeating: 1.0 / Double(n), count: n)
    var reversible = symmetric
    if !symmetric {
        pi = stationaryDistribution(w)
        reversible = true
        outer: for k in 0..<n {
            for (i, l) in w.sources[k].enumerated() where abs(pi[k] * w.exactSourceWeights[k][i] - pi[l] * w[l, k]) > 1e-9 * max(pi[k], pi[l]) {
                reversible = false
                break outer
            }
        }
    }
    if reversible, n <= jacobiAgentLimit {
        var s = w.entries
        if !symmetric {
            let r = pi.map { $0.squareRoot() }
            for k in 0..<n { for l in 0..<n { s[k * n + l] = w[k, l] * r[k] / r[l] } }
            // Symmetrise away rounding.
            for k in 0..<n { for l in (k + 1)..<n { let m = 0.5 * (s[k * n + l] + s[l * n + k]); s[k * n + l] = m; s[l * n + k] = m } }
        }
        let eigen = symmetricEigenvalues(s, n: n)
        return SpectralEstimate(slem: slemFromEigenvalues(eigen), method: symmetric ? .jacobi : .symmetrisedJacobi)
    }
    if reversible {
        let result = lanczosSpectrum(w, pi: pi, symmetric: symmetric, maxIterations: lanczosIterationLimit)
        return SpectralEstimate(slem: result.slem, method: .lanczos, converged: result.converged)
    }
    return deflatedPowerIteration(w, pi: pi, reversible: reversible)
}

/// The SLEM from a full list of eigenvalues of a stochastic matrix: drop one
/// eigenvalue closest to 1 and return the largest remaining modulus.
public func slemFromEigenvalues(_ eigenvalues: [Double]) -> Double {
    guard eigenvalues.count > 1 else { return 0 }
    var values = eigenvalues
    let one = values.indices.min { abs(values[$0] - 1) < abs(values[$1] - 1) }!
    values.remove(at: one)
    return min(1, values.map { abs($0) }.max()!)
}

/// All eigenvalues of the symmetric `n × n` row-major matrix `a`, ascending, by cyclic
/// Jacobi rotations until the off-diagonal mass is below 1e-22 of the total (at most
/// 100 sweeps). O(n³) per sweep; intended for n up to a few hundred.
public func symmetricEigenvalues(_ a: [Double], n: Int) -> [Double] {
    var m = a
    let total = m.reduce(0) { $0 + $1 * $1 }
    for _ in 0..<100 {
        var off = 0.0
        for p in 0..<n { for q in (p + 1)..<max(n, p + 1) { off += m[p * n + q] * m[p * n + q] } }
        if off <= 1e-22 * max(total, 1e-300) { break }
        for p in 0..<(n - 1) {
            for q in (p + 1)..<n {
                let apq = m[p * n + q]
                if abs(apq) < 1e-300 { continue }
                let app = m[p * n + p]
                let aqq = m[q * n + q]
                let theta = (aqq - app) / (2 * apq)
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot()
                let s = t * c
                // Rotate rows/columns p and q: M ← Jᵀ M J.
                for k in 0..<n {
                    let akp = m[k * n + p]
                    let akq = m[k * n + q]
                    m[k * n + p] = c * akp - s * akq
                    m[k * n + q] = s * akp + c * akq
                }
                for k in 0..<n {
                    let apk = m[p * n + k]
                    let aqk = m[q * n + k]
                    m[p * n + k] = c * apk - s * aqk
                    m[q * n + k] = s * apk + c * aqk
                }
            }
        }
    }
    return (0..<n).map { m[$0 * n + $0] }.sorted()
}

/// The stationary distribution π of a row-stochastic W (πᵀW = πᵀ, Σπ = 1) by power
/// iteration on Wᵀ, started from the uniform vector.
public func stationaryDistribution(_ w: MixingMatrix, iterations: Int = 20_000) -> [Double] {
    let n = w.agentCount
    var pi = [Double](repeating: 1.0 / Double(n), count: n)
    var next = pi
    for _ in 0..<iterations {
        for l in 0..<n { next[l] = 0 }
        for k in 0..<n {
            next[k] += pi[k] * w.exactSelfWeights[k]
            for (i, l) in w.sources[k].enumerated() { next[l] += pi[k] * w.exactSourceWeights[k][i] }
        }
        let s = next.reduce(0, +)
        var change = 0.0
        for l in 0..<n {
            let v = next[l] / s
            change = max(change, abs(v - pi[l]))
            pi[l] = v
        }
        if change < 1e-15 { break }
    }
    return pi
}

/// Power iteration on B = W − 1πᵀ using the sparse rows of `w`.
private func deflatedPowerIteration(_ w: MixingMatrix, pi: [Double], reversible: Bool) -> SpectralEstimate {
    let n = w.agentCount
    var rng = SplitMix64(seed: 0x5EED, stream: UInt64(n))
    var x = (0..<n).map { _ in rng.nextGaussian() }
    var y = x
    // The inner product that makes B self-adjoint when W is reversible is ⟨u, v⟩_π.
    func project(_ v: inout [Double]) {
        var m = 0.0
        for k in 0..<n { m += pi[k] * v[k] }
        for k in 0..<n { v[k] -= m }
    }
    func norm(_ v: [Double]) -> Double {
        var s = 0.0
        for k in 0..<n { s += (reversible ? pi[k] : 1) * v[k] * v[k] }
        return s.squareRoot()
    }
    project(&x)
    var nx = norm(x)
    if nx == 0 { return SpectralEstimate(slem: 0, method: .powerIteration) }
    for k in 0..<n { x[k] /= nx }
    var estimate = 0.0
    var logGrowth: [Double] = []
    let maxIterations = 200_000
    var stable = 0
    for _ in 0..<maxIterations {
        for k in 0..<n {
            var s = w.exactSelfWeights[k] * x[k]
            for (i, l) in w.sources[k].enumerated() { s += w.exactSourceWeights[k][i] * x[l] }
            y[k] = s
        }
        project(&y)
        nx = norm(y)
        if nx == 0 { return SpectralEstimate(slem: 0, method: reversible ? .powerIteration : .nonsymmetricPowerIteration) }
        for k in 0..<n { x[k] = y[k] / nx }
        if reversible {
            if abs(nx - estimate) <= 1e-13 * max(nx, 1e-300) { stable += 1 } else { stable = 0 }
            estimate = nx
            if stable >= 20 { break }
        } else {
            logGrowth.append(Foundation.log(nx))
            if logGrowth.count >= 4000 { break }
        }
    }
    if reversible { return SpectralEstimate(slem: min(1, estimate), method: .powerIteration) }
    let tail = logGrowth.suffix(logGrowth.count / 2)
    let rate = Foundation.exp(tail.reduce(0, +) / Double(tail.count))
    return SpectralEstimate(slem: min(1, rate), method: .nonsymmetricPowerIteration)
}
