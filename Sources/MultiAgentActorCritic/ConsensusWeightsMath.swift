import Foundation

// The importance-weight consensus of paper 004 §IV-A (eqs. 39–46), as pure functions over the
// replay entries one agent holds: β_e, its log-ratio, and x_e, its estimate of the network mean.

/// Eqs. (44)–(45) for every entry: β_e ← log π_θ(a_e|s_e) − log π̂_e (the current log-density of
/// the stored action minus the behaviour log-density stored with it), and x_e ← x_e + (β_e − β̂_e)
/// with β̂_e its previous value. `currentLogProb[e]` is log π_θ(a_e|s_e).
@inlinable
public func trackImportanceLogRatios(currentLogProb: UnsafeBufferPointer<Float>, behaviourLogProb: UnsafeBufferPointer<Float>,
                                     beta: UnsafeMutableBufferPointer<Float>, x: UnsafeMutableBufferPointer<Float>, count: Int) {
    for e in 0..<count {
        let b = currentLogProb[e] - behaviourLogProb[e]
        x[e] += b - beta[e]
        beta[e] = b
    }
}

// Eq. (46), the mixing itself, is `consensusMix` in Training: the joint cohort applies it to the
// learners' messages.

/// Eq. (40) with Lemma 2: the log importance weight of the other agents, c_e = N·x_e − β_e
/// (x_e estimates (1/N) Σ_j β_e^j). The critic weighs entry e by e^{c_e} (eq. 55).
@inlinable
public func otherAgentsLogWeight(x: Float, beta: Float, agents: Int) -> Float { Float(agents) * x - beta }
