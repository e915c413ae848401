import Envs

/// V^π: the expected discounted return from every state under `policy` (`[S × A]`
/// probabilities), the solution of V = r_π + γ P_π V with V = 0 on terminal states
/// (Sutton & Barto eq. 4.4–4.5).
///
/// Small models are solved exactly (Gaussian elimination on the non-terminal states); large
/// ones by Gauss–Seidel sweeps to a change below 1e-13. `discount` may be 1 (undiscounted) when
/// the policy reaches a terminal state from everywhere; otherwise this throws.
public func evaluatePolicy(_ mdp: FiniteMDP, policy: [Double], discount: Double) throws(TabularError) -> [Double] {
    try validate(mdp, policy: policy, discount: discount, allowOne: true)
    let n = mdp.stateCount, a = mdp.actionCount
    // r_π and the sparse rows of P_π, terminal states excluded.
    var reward = [Double](repeating: 0, count: n)
    for s in 0..<n where !mdp.terminal[s] {
        for act in 0..<a { reward[s] += policy[s * a + act] * mdp.rewards[s * a + act] }
    }
    if n <= directSolveLimit {
        var matrix = [Double](repeating: 0, count: n * n)
        for s in 0..<n {
            matrix[s * n + s] = 1
            if mdp.terminal[s] { continue }
            for act in 0..<a where policy[s * a + act] > 0 {
                for k in mdp.outcomes(s, act) where !mdp.terminal[mdp.next[k]] {
                    matrix[s * n + mdp.next[k]] -= discount * policy[s * a + act] * mdp.probability[k]
                }
            }
        }
        guard let v = solveLinearSystem(matrix, reward, n: n) else {
            throw TabularError("the policy's value is unbounded: with discount \(discount) it never reaches a terminal state from some state")
        }
        return v
    }
    var v = [Double](repeating: 0, count: n)
    for _ in 0..<1_000_000 {
        var change = 0.0
        for s in 0..<n where !mdp.terminal[s] {
            var total = reward[s]
            for act in 0..<a where policy[s * a + act] > 0 {
                var expected = 0.0
                for k in mdp.outcomes(s, act) { expected += mdp.probability[k] * v[mdp.next[k]] }
                total += discount * policy[s * a + act] * expected
            }
            change = max(change, abs(total - v[s]))
            v[s] = total
        }
        if change < 1e-13 { return v }
        if !change.isFinite || change > 1e15 { break }
    }
    throw TabularError("policy evaluation did not converge: with discount \(discount) the policy may never reach a terminal state")
}

/// ``evaluatePolicy(_:policy:discount:)`` on a dense model.
public func evaluatePolicy(_ model: TabularModel, policy: [Double], discount: Double) throws(TabularError) -> [Double] {
    try evaluatePolicy(FiniteMDP(model), policy: policy, discount: discount)
}
