import Foundation

/// The gradient of the relative-entropy regulariser of paper 001 eq. (6)–(8) with respect to a
/// softmax table: ∂/∂θ_{s,a} of (λ/|S|) Σ_s Σ_a (1/|A|) log π(a|s) is (λ/|S|)(1/|A| − π(a|s)),
/// the second term of eq. (8). `policy` is `[S × A]`; so is the result.
public func relativeEntropyGradient(policy: [Double], states: Int, actions: Int, lambda: Double) -> [Double] {
    let scale = lambda / Double(states), uniform = 1 / Double(actions)
    return policy.map { scale * (uniform - $0) }
}

/// The step-size bound of paper 001 Theorem 1, eq. (10): Algorithm 1 with exact gradients and
/// a constant step α converges when
/// α ∈ (0, (1 + σ_N) / (Σ_i 16/(1 − γ_i)³ + 4Nλ/|S|)),
/// with σ_N the smallest singular value of the mixing matrix W, γ_i each agent's discount
/// (N = `discounts.count` agents), λ the regularisation weight and |S| the number of states.
public func consensusStepSizeBound(discounts: [Double], lambda: Double, states: Int, smallestSingularValue sigmaN: Double) -> Double {
    let n = Double(discounts.count)
    let smoothness = discounts.reduce(0) { $0 + 16 / pow(1 - $1, 3) } + 4 * n * lambda / Double(states)
    return (1 + sigmaN) / smoothness
}

/// One episode of a tabular policy: the states it acted in, its actions, and the rewards that
/// followed (all of one length).
public struct TabularEpisode: Sendable, Equatable {
    public var states: [Int]
    public var actions: [Int]
    public var rewards: [Double]
    public init(states: [Int] = [], actions: [Int] = [], rewards: [Double] = []) {
        self.states = states
        self.actions = actions
        self.rewards = rewards
    }
}

/// The REINFORCE (Monte-Carlo) estimate of ∇_θ V(ρ) for a softmax table from B episodes that
/// started from ρ (paper 001 §4, §5.1): (1/B) Σ_episodes Σ_t γ^t G_t ∇_θ log π(a_t|s_t), with
/// G_t = Σ_{k≥t} γ^{k−t} r_k and ∇_{θ_{s,·}} log π(a|s) = e_a − π(·|s). Unbiased for episodes
/// that end in a terminal state; `[S × A]`. An empty list gives zeros.
public func reinforceTableGradient(_ episodes: [TabularEpisode], theta: [Double], actions: Int, discount: Double) -> [Double] {
    var gradient = [Double](repeating: 0, count: theta.count)
    guard !episodes.isEmpty, actions > 0 else { return gradient }
    var row = [Double](repeating: 0, count: actions)
    let scale = 1 / Double(episodes.count)
    for e in episodes {
        // weights[t] = Σ_{k≥t} γ^k r_k = γ^t G_t, accumulated from the end.
        var weights = [Double](repeating: 0, count: e.rewards.count)
        var power = 1.0
        for t in e.rewards.indices { weights[t] = power * e.rewards[t]; power *= discount }
        var tail = 0.0
        for t in stride(from: e.rewards.count - 1, through: 0, by: -1) { tail += weights[t]; weights[t] = tail }
        for t in e.rewards.indices {
            let s = e.states[t], base = s * actions
            var top = -Double.infinity
            for a in 0..<actions { top = max(top, theta[base + a]) }
            var total = 0.0
            for a in 0..<actions { row[a] = exp(theta[base + a] - top); total += row[a] }
            let w = scale * weights[t]
            for a in 0..<actions { gradient[base + a] += w * ((a == e.actions[t] ? 1 : 0) - row[a] / total) }
        }
    }
    return gradient
}
