import Envs

/// The optimal values and a greedy optimal policy of a finite MDP.
public struct OptimalSolution: Sendable, Equatable {
    /// V*(s), 0 on terminal states.
    public var values: [Double]
    /// Q*(s, a), `[S × A]`.
    public var actionValues: [Double]
    /// A deterministic optimal policy, `[S × A]` one-hot (the first maximising action; Q
    /// values within 1e-9 of the maximum count as ties).
    public var policy: [Double]
    /// Sweeps until the largest change fell below the tolerance.
    public var sweeps: Int
}

/// Value iteration (Sutton & Barto §4.4): in-place Gauss–Seidel sweeps of
/// V(s) ← max_a [R(s, a) + γ Σ P(s′|s, a) V(s′)] until the largest change is below
/// `tolerance`, then the greedy policy. `discount` may be 1 when every policy ends (S&B 4×4).
public func valueIteration(_ mdp: FiniteMDP, discount: Double, tolerance: Double = 1e-12,
                           maxSweeps: Int = 1_000_000) throws(TabularError) -> OptimalSolution {
    try validate(mdp, policy: nil, discount: discount, allowOne: true)
    let n = mdp.stateCount, a = mdp.actionCount
    var v = [Double](repeating: 0, count: n)
    var sweeps = 0
    while true {
        sweeps += 1
        var change = 0.0
        for s in 0..<n where !mdp.terminal[s] {
            var best = -Double.infinity
            for act in 0..<a {
                var total = mdp.rewards[s * a + act]
                for k in mdp.outcomes(s, act) { total += discount * mdp.probability[k] * v[mdp.next[k]] }
                best = max(best, total)
            }
            change = max(change, abs(best - v[s]))
            v[s] = best
        }
        if change < tolerance { break }
        guard sweeps < maxSweeps, change.isFinite, change < 1e15 else {
            throw TabularError("value iteration did not converge in \(sweeps) sweeps (with discount \(discount) some policy may never end)")
        }
    }
    let q = mdp.actionValues(v, discount: discount)
    var policy = [Double](repeating: 0, count: n * a)
    for s in 0..<n {
        let row = q[s * a..<(s + 1) * a]
        let best = row.max() ?? 0
        let choice = row.firstIndex(where: { $0 >= best - 1e-9 }) ?? s * a
        policy[choice] = 1
    }
    return OptimalSolution(values: v, actionValues: q, policy: policy, sweeps: sweeps)
}

/// ``valueIteration(_:discount:tolerance:maxSweeps:)`` on a dense model.
public func valueIteration(_ model: TabularModel, discount: Double, tolerance: Double = 1e-12) throws(TabularError) -> OptimalSolution {
    try valueIteration(FiniteMDP(model), discount: discount, tolerance: tolerance)
}
