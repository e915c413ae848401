import Foundation

// The tabular updates of paper 004 §III (Algorithm 1), as pure functions on flat tables:
// `table[s · A + a]` for A actions.

/// The softmax policy π(s, ·) = exp ζ(s, ·) / Σ_ã exp ζ(s, ã) (eq. 6) of the `count` preferences
/// starting at `offset`, written into `probabilities[0..<count]` (the maximum is subtracted first,
/// which leaves π unchanged).
@inlinable
public func softmaxPolicy(_ zeta: UnsafeBufferPointer<Double>, offset: Int, count: Int, into probabilities: UnsafeMutableBufferPointer<Double>) {
    var largest = -Double.infinity
    for a in 0..<count where zeta[offset + a] > largest { largest = zeta[offset + a] }
    var total = 0.0
    for a in 0..<count {
        let e = exp(zeta[offset + a] - largest)
        probabilities[a] = e
        total += e
    }
    for a in 0..<count { probabilities[a] /= total }
}

/// An index drawn from the first `count` probabilities with the uniform draw `u` ∈ [0, 1): the
/// first a with u < Σ_{b ≤ a} p_b (the last index if rounding leaves u above the total).
@inlinable
public func sampleIndex(_ probabilities: UnsafeBufferPointer<Double>, count: Int, uniform u: Double) -> Int {
    var running = 0.0
    for a in 0..<count {
        running += probabilities[a]
        if u < running { return a }
    }
    return count - 1
}

/// The critic step of eq. (7): Q(s_t, a_t) ← Q(s_t, a_t) + α [r_t + γ Q(s_{t+1}, ã) − Q(s_t, a_t)],
/// with `nextValue` = Q(s_{t+1}, ã) for ã freshly drawn from π(s_{t+1}) (0 after a terminal
/// state). Returns the temporal difference.
@inlinable @discardableResult
public func tabularCriticStep(_ q: inout [Double], index: Int, reward: Double, nextValue: Double, alpha: Double, gamma: Double) -> Double {
    let delta = reward + gamma * nextValue - q[index]
    q[index] += alpha * delta
    return delta
}

/// The actor step of eqs. (32)–(34) at one state: v = Σ_a π(a) Q(s, a),
/// ζ(s, ·) ← clip{ζ(s, ·) + β π(·) ⊙ (Q(s, ·) − v), T_m, T_M}, where `probabilities` holds π(s, ·)
/// computed from ζ before the step (the gradient (38) of J = E_{a∼π} Q(s, a)).
@inlinable
public func tabularActorStep(zeta: inout [Double], q: [Double], offset: Int, count: Int, probabilities: UnsafeBufferPointer<Double>,
                             beta: Double, lower: Double, upper: Double) {
    var v = 0.0
    for a in 0..<count { v += probabilities[a] * q[offset + a] }
    for a in 0..<count {
        let z = zeta[offset + a] + beta * probabilities[a] * (q[offset + a] - v)
        zeta[offset + a] = min(max(z, lower), upper)
    }
}

/// The policy's entropy −Σ_a π(a) log π(a) of the first `count` probabilities.
@inlinable
public func categoricalEntropy(_ probabilities: UnsafeBufferPointer<Double>, count: Int) -> Double {
    var h = 0.0
    for a in 0..<count where probabilities[a] > 0 { h -= probabilities[a] * log(probabilities[a]) }
    return h
}
