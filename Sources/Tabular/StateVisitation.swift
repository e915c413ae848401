import Envs

/// The discounted state-visitation distribution of paper 001 (DCPG), §3:
/// d_ρ^π(s) = (1 − γ) Σ_k γ^k P(s_k = s | s_0 ~ ρ), i.e. dᵀ = (1 − γ) ρᵀ (I − γ P_π)⁻¹.
///
/// Terminal states are absorbing (the model's self-loops), so d sums to 1. `initial` defaults
/// to the model's initial distribution. Needs γ < 1.
public func discountedVisitation(_ mdp: FiniteMDP, policy: [Double], discount: Double,
                                 initial: [Double]? = nil) throws(TabularError) -> [Double] {
    try validate(mdp, policy: policy, discount: discount, allowOne: false)
    let n = mdp.stateCount, a = mdp.actionCount
    let rho = initial ?? mdp.initial
    guard rho.count == n else { throw TabularError("the initial distribution has \(rho.count) entries, the model \(n) states") }
    if n <= directSolveLimit {
        // (I − γ P_π)ᵀ x = ρ.
        var matrix = [Double](repeating: 0, count: n * n)
        for s in 0..<n { matrix[s * n + s] = 1 }
        for s in 0..<n {
            for act in 0..<a where policy[s * a + act] > 0 {
                for k in mdp.outcomes(s, act) {
                    matrix[mdp.next[k] * n + s] -= discount * policy[s * a + act] * mdp.probability[k]
                }
            }
        }
        guard let x = solveLinearSystem(matrix, rho, n: n) else { throw TabularError("the visitation system is singular") }
        return x.map { (1 - discount) * $0 }
    }
    // x = ρ + γ P_πᵀ x, by power iteration.
    var x = rho
    for _ in 0..<1_000_000 {
        var y = rho
        for s in 0..<n where x[s] != 0 {
            for act in 0..<a where policy[s * a + act] > 0 {
                let w = discount * policy[s * a + act] * x[s]
                for k in mdp.outcomes(s, act) { y[mdp.next[k]] += w * mdp.probability[k] }
            }
        }
        var change = 0.0
        for s in 0..<n { change = max(change, abs(y[s] - x[s])) }
        x = y
        if change < 1e-14 { break }
    }
    return x.map { (1 - discount) * $0 }
}
