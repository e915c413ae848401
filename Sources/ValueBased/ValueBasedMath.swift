import Envs
import Foundation

// Pure math of the value-based distributed algorithms of paper 003 §2.4.1–2.4.3. Tables are
// row-major: Q[s · A + a], V[s] = θ_s (the linear value θᵀφ(s) with one-hot φ).

/// Δ(u) = r + γ max_{a′} Q(s′, a′) − Q(s, a), with max_{a′} Q(s′, ·) = 0 when s′ is terminal
/// (paper 003 §2.4.1).
public func temporalDifference(_ u: Transition, q: [Double], actions: Int, discount: Double) -> Double {
    var best = 0.0
    if !u.terminal {
        best = q[u.next * actions]
        for a in 1..<actions { best = max(best, q[u.next * actions + a]) }
    }
    return u.reward + discount * best - q[u.state * actions + u.action]
}

/// The central learner's DQL update (paper 003 §2.4.1):
///
///     Q(s, a) ← Q(s, a) + α · (1/|U_{s,a}|) Σ_{u ∈ U_{s,a}} Δ(u),
///
/// every Δ computed with the Q before the update, U_{s,a} the received samples that start with
/// the pair (s, a). (The report groups by the state only, U_s, while updating Q(s, a); the
/// mean over the samples of the pair is what makes the update a Q-learning step.) `sums` and
/// `counts` are workspaces of Q's size.
public func distributedQUpdate(q: inout [Double], samples: [Transition], actions: Int, learningRate alpha: Double, discount: Double,
                               sums: inout [Double], counts: inout [Int]) {
    if sums.count != q.count { sums = [Double](repeating: 0, count: q.count) }
    if counts.count != q.count { counts = [Int](repeating: 0, count: q.count) }
    for i in 0..<q.count { sums[i] = 0; counts[i] = 0 }
    for u in samples {
        let i = u.state * actions + u.action
        sums[i] += temporalDifference(u, q: q, actions: actions, discount: discount)
        counts[i] += 1
    }
    for i in 0..<q.count where counts[i] > 0 { q[i] += alpha * sums[i] / Double(counts[i]) }
}

/// EBCDQL's trigger (paper 003 §2.4.2): the sample is sent iff `|Δ̂| ≥ max(ρ L, ε)`, with L the
/// agent's level before this sample; then `L ← (1 − β) L + β |Δ̂|` (every sample, sent or not;
/// L(0) = 0). Returns whether to send.
public func eventTriggered(tdError: Double, level: inout Double, rho: Double, beta: Double, floor: Double) -> Bool {
    let magnitude = abs(tdError)
    let send = magnitude >= max(rho * level, floor)
    level = (1 - beta) * level + beta * magnitude
    return send
}

/// DAVIA's target for one sample with the agent's θ held fixed: r + γ V(s′) (V(s′) = 0 when s′
/// is terminal).
@inline(__always) func daviaTarget(_ u: Transition, theta: [Double], discount: Double) -> Double {
    u.reward + (u.terminal ? 0 : discount * theta[u.next])
}

/// DAVIA's local semi-gradient (paper 003 §2.4.3) with one-hot features:
///
///     ĝ = (1/T) Σ_t φ(s_t) (θᵀφ(s_t) − r_t − γ V(s_{t+1})),
///
/// written into `gradient` (length of θ). An empty episode gives 0.
public func daviaSemiGradient(samples: [Transition], theta: [Double], discount: Double, into gradient: inout [Double]) {
    if gradient.count != theta.count { gradient = [Double](repeating: 0, count: theta.count) }
    for i in 0..<gradient.count { gradient[i] = 0 }
    guard !samples.isEmpty else { return }
    let scale = 1 / Double(samples.count)
    for u in samples { gradient[u.state] += scale * (theta[u.state] - daviaTarget(u, theta: theta, discount: discount)) }
}

/// DAVIA's objective on an episode with the targets fixed at θ (the semi-gradient's loss):
/// `J(θ′) = (1/T) Σ_t (r_t + γ V_θ(s_{t+1}) − θ′ᵀφ(s_t))²`, and the predicted decrease
/// `J(θ) − J(θ − ε ĝ)` of a step ε along ĝ, which the trigger compares with the threshold.
public func daviaPredictedDecrease(samples: [Transition], theta: [Double], gradient: [Double], stepSize: Double, discount: Double) -> Double {
    guard !samples.isEmpty else { return 0 }
    var before = 0.0, after = 0.0
    for u in samples {
        let target = daviaTarget(u, theta: theta, discount: discount)
        let e0 = target - theta[u.state], e1 = target - (theta[u.state] - stepSize * gradient[u.state])
        before += e0 * e0
        after += e1 * e1
    }
    return (before - after) / Double(samples.count)
}

/// DAVIA's communication threshold at episode k of N: `λ / ρ^{N−1−k}` (ρ > 1), which rises to λ
/// on the last episode. An agent sends iff its predicted decrease is at least this. (The report
/// prints the condition both as a decrease at least the threshold and as J(θ − εĝ) at most it;
/// the first reading matches its observed fall in messages as learning converges.)
public func daviaThreshold(lambda: Double, rho: Double, episodes n: Int, episode k: Int) -> Double {
    lambda / pow(rho, Double(max(0, n - 1 - k)))
}

/// An ε-greedy choice among `values` (`count` actions from `offset`): uniform with probability
/// ε, else an arg-max, ties broken uniformly. Draws one uniform, and one more for the action.
public func epsilonGreedy(_ values: [Double], offset: Int, count: Int, epsilon: Double, generator: inout RandomGenerator) -> Int {
    if generator.nextUnit() < epsilon { return generator.below(count) }
    var best = values[offset], ties = 1
    for a in 1..<count {
        let v = values[offset + a]
        if v > best { best = v; ties = 1 } else if v == best { ties += 1 }
    }
    if ties == 1 {
        for a in 0..<count where values[offset + a] == best { return a }
    }
    var pick = generator.below(ties)
    for a in 0..<count where values[offset + a] == best {
        if pick == 0 { return a }
        pick -= 1
    }
    return 0
}
