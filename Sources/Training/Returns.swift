// Return and advantage estimators as pure functions on rollouts laid out time-major:
// element `[t × n + i]` belongs to step `t` of environment copy `i`.
//
// Time convention (for every function here): over a rollout of `T` steps,
// - `rewards[t]` is the reward of the action taken at step `t` (r_{t+1} in the papers);
// - `values[t]` is V(s_t), the value of the observation the action was taken from;
// - `terminated[t]` / `truncated[t]` say the episode ended with that step;
// - `finalValues[t]` is V(final observation of step t), read only where `truncated[t]` and not
//   `terminated[t]`;
// - `bootstrapValues[i]` is V(s_T), the value of the observation after the last step.
// A terminated step bootstraps from 0, a truncated one from V(final observation), and no
// return flows across an episode boundary.

/// Discounted Monte-Carlo returns within episodes: `G_t = r_t + γ·G_{t+1}`, restarting at every
/// episode end (the SiAC target of the Diff-DAC paper, eq. 40, without the baseline). A step
/// that ends the rollout without ending its episode continues from `bootstrapValues` (pass
/// zeros for pure Monte-Carlo returns over complete episodes).
public func discountedReturns(
    rewards: [Float], terminated: [Bool], truncated: [Bool], finalValues: [Float], bootstrapValues: [Float],
    count n: Int, discount: Float
) -> [Float] {
    precondition(rewards.count % n == 0 && bootstrapValues.count == n, "rollout buffers of inconsistent shapes")
    let steps = rewards.count / n
    var out = [Float](repeating: 0, count: rewards.count)
    for i in 0..<n {
        var next = bootstrapValues[i]
        for t in stride(from: steps - 1, through: 0, by: -1) {
            let k = t * n + i
            if terminated[k] {
                next = 0
            } else if truncated[k] {
                next = finalValues[k]
            }
            next = rewards[k] + discount * next
            out[k] = next
        }
    }
    return out
}

/// Monte-Carlo advantages of the Diff-DAC paper's SiAC (eq. 40):
/// `Â_t = Σ_{j≥t} γ^{j−t} r_{j+1} − V(s_t)` over each complete episode.
public func monteCarloAdvantages(rewards: [Float], values: [Float], discount: Float) -> [Float] {
    precondition(rewards.count == values.count, "rewards and values of different lengths")
    var g: Float = 0
    var out = [Float](repeating: 0, count: rewards.count)
    for t in stride(from: rewards.count - 1, through: 0, by: -1) {
        g = rewards[t] + discount * g
        out[t] = g - values[t]
    }
    return out
}

/// The multi-step (n-step) targets of A2C (Diff-DAC paper, eq. 45): for every step of a rollout
/// of `T` steps, `Σ_{j=t}^{T−1} γ^{j−t} r_j + γ^{T−t} V(s_T)`, cut at episode ends (terminated: 0,
/// truncated: V(final observation)). The advantage is this target minus `values[t]`.
public func nStepTargets(
    rewards: [Float], terminated: [Bool], truncated: [Bool], finalValues: [Float], bootstrapValues: [Float],
    count n: Int, discount: Float
) -> [Float] {
    discountedReturns(rewards: rewards, terminated: terminated, truncated: truncated, finalValues: finalValues,
                      bootstrapValues: bootstrapValues, count: n, discount: discount)
}

/// Generalised advantage estimation (Schulman et al. 2016): `δ_t = r_t + γ·V_next − V(s_t)`,
/// `Â_t = δ_t + γλ·Â_{t+1}`, with `V_next` = 0 after a terminated step, V(final observation)
/// after a truncated one, and no accumulation across an episode end.
/// Returns `(advantages, targets)` with `targets = advantages + values`.
public func generalizedAdvantages(
    rewards: [Float], values: [Float], terminated: [Bool], truncated: [Bool], finalValues: [Float], bootstrapValues: [Float],
    count n: Int, discount: Float, lambda: Float
) -> (advantages: [Float], targets: [Float]) {
    precondition(rewards.count == values.count && rewards.count % n == 0 && bootstrapValues.count == n, "rollout buffers of inconsistent shapes")
    let steps = rewards.count / n
    var adv = [Float](repeating: 0, count: rewards.count)
    for i in 0..<n {
        var nextValue = bootstrapValues[i]
        var nextAdvantage: Float = 0
        for t in stride(from: steps - 1, through: 0, by: -1) {
            let k = t * n + i
            if terminated[k] {
                nextValue = 0
                nextAdvantage = 0
            } else if truncated[k] {
                nextValue = finalValues[k]
                nextAdvantage = 0
            }
            let delta = rewards[k] + discount * nextValue - values[k]
            nextAdvantage = delta + discount * lambda * nextAdvantage
            adv[k] = nextAdvantage
            nextValue = values[k]
        }
    }
    let targets = zip(adv, values).map { $0 + $1 }
    return (adv, targets)
}

/// G(PO)MDP weights (LAPG paper 002, eq. 9–10) of one trajectory: the gradient
/// `Σ_t (Σ_{τ≤t} ∇log π(a_τ|s_τ)) γ^t ℓ(s_t, a_t)` regrouped by τ is
/// `Σ_τ ∇log π(a_τ|s_τ) · w_τ` with `w_τ = Σ_{t≥τ} γ^t ℓ_t`. Note `γ^t`, not `γ^{t−τ}`: the weight
/// keeps the discount from the start of the trajectory.
public func gpomdpWeights(rewards: [Float], discount: Float) -> [Float] {
    var out = [Float](repeating: 0, count: rewards.count)
    var power: Float = 1
    var discounted = [Float](repeating: 0, count: rewards.count)
    for t in rewards.indices {
        discounted[t] = power * rewards[t]
        power *= discount
    }
    var tail: Float = 0
    for t in stride(from: rewards.count - 1, through: 0, by: -1) {
        tail += discounted[t]
        out[t] = tail
    }
    return out
}
