// Mixing weights as pure functions of the graph.
//
// Convention: row-major N × N, entry [k * N + l] is the weight agent k gives to the
// value it receives from agent l (its own value when l == k). Every rule below is
// row-stochastic; all but `uniformWeights` are symmetric, hence doubly stochastic.
// Paper 000 writes the same matrix transposed, C = Wᵀ with c_lk the weight k gives l.

/// Hastings / Metropolis–Hastings weights (paper 000 §III, after Sayed 2014 p. 492,
/// with uniform priors): for adjacent k ≠ l, `w_kl = 1 / max(n_k, n_l)` where
/// `n_k = degree(k) + 1` is the size of k's neighbourhood including itself; the
/// diagonal takes the rest, `w_kk = 1 − Σ_{l≠k} w_kl`. Symmetric and doubly stochastic,
/// with `w_kk ≥ 1 / n_k > 0` (so trace > 0, paper 000 eq. 7).
public func hastingsWeights(_ graph: Graph) -> [Double] {
    offDiagonalRule(graph) { k, l, degrees in 1.0 / Double(max(degrees[k], degrees[l]) + 1) }
}

/// Lazy Metropolis weights (paper 001 §5.1, after Olshevsky 2014): for adjacent k ≠ l,
/// `w_kl = 1 / (2 · max(d_k, d_l))` with `d` the degree; `w_kk = 1 − Σ_{l≠k} w_kl ≥ 1/2`.
/// Symmetric, doubly stochastic, and all eigenvalues lie in [0, 1] (the "lazy" half).
public func lazyMetropolisWeights(_ graph: Graph) -> [Double] {
    offDiagonalRule(graph) { k, l, degrees in 1.0 / (2.0 * Double(max(degrees[k], degrees[l]))) }
}

/// Uniform (equal-neighbour) weights: `w_kl = 1 / (d_k + 1)` for l = k and each
/// neighbour l. Row-stochastic; doubly stochastic only on regular graphs (otherwise the
/// network average is not preserved and agents agree on a degree-weighted average).
public func uniformWeights(_ graph: Graph) -> [Double] {
    let n = graph.agentCount
    var w = [Double](repeating: 0, count: n * n)
    for k in 0..<n {
        let share = 1.0 / Double(graph.neighbours[k].count + 1)
        w[k * n + k] = share
        for l in graph.neighbours[k] { w[k * n + l] = share }
    }
    return w
}

/// Maximum-degree weights (paper 004 eq. 41): `w_kl = 1 / (d + 1)` for adjacent k ≠ l
/// where d is the graph's maximum degree, and `w_kk = 1 − d_k / (d + 1)`. Symmetric and
/// doubly stochastic.
public func maximumDegreeWeights(_ graph: Graph) -> [Double] {
    let d = Double(graph.maximumDegree)
    return offDiagonalRule(graph) { _, _, _ in 1.0 / (d + 1) }
}

/// Fills the off-diagonal entries of adjacent pairs with `rule(k, l, degrees)` and puts
/// the remainder of each row on the diagonal.
private func offDiagonalRule(_ graph: Graph, _ rule: (Int, Int, [Int]) -> Double) -> [Double] {
    let n = graph.agentCount
    let degrees = graph.degrees
    var w = [Double](repeating: 0, count: n * n)
    for k in 0..<n {
        var rest = 1.0
        for l in graph.neighbours[k] {
            let v = rule(k, l, degrees)
            w[k * n + l] = v
            rest -= v
        }
        w[k * n + k] = rest
    }
    return w
}
