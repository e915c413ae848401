import Foundation
import Envs

/// The tabular softmax policy of paper 001 eq. (4): π_θ(a|s) = exp θ_{s,a} / Σ_a′ exp θ_{s,a′}
/// (`theta` and the result are `[S × A]`; computed stably by subtracting each row's maximum).
public func softmaxPolicy(_ theta: [Double], actions: Int) -> [Double] {
    var policy = theta
    for start in stride(from: 0, to: theta.count, by: actions) {
        let row = theta[start..<start + actions]
        let top = row.max() ?? 0
        var total = 0.0
        for k in row.indices { policy[k] = exp(theta[k] - top); total += policy[k] }
        for k in row.indices { policy[k] /= total }
    }
    return policy
}

/// The relative entropy of paper 001 eq. (6): RE(π) = E_{s~Unif}[KL(U_A, π(·|s))]
/// = −1/(|S||A|) Σ_{s,a} log π(a|s) − log |A|.
public func relativeEntropy(_ policy: [Double], states: Int, actions: Int) -> Double {
    var total = 0.0
    for p in policy { total += log(p) }
    return -total / Double(states * actions) - log(Double(actions))
}

/// The relative-entropy regularised multi-task objective of paper 001 eq. (7):
/// L^λ(θ) = Σ_i (V_i^{π_θ}(ρ_i) − λ RE(π_θ)), one shared softmax policy over every task's
/// model (same state and action counts), ρ_i each model's initial distribution.
public func regularizedObjective(_ tasks: [FiniteMDP], theta: [Double], discount: Double,
                                 lambda: Double) throws(TabularError) -> Double {
    let (s, a) = try sharedShape(tasks, theta: theta)
    let policy = softmaxPolicy(theta, actions: a)
    let re = relativeEntropy(policy, states: s, actions: a)
    var total = 0.0
    for task in tasks {
        let v = try evaluatePolicy(task, policy: policy, discount: discount)
        var start = 0.0
        for k in 0..<s { start += task.initial[k] * v[k] }
        total += start - lambda * re
    }
    return total
}

/// The exact gradient of ``regularizedObjective(_:theta:discount:lambda:)``, paper 001 eq. (8)
/// summed over tasks:
/// ∂L_i/∂θ_{s,a} = d_{i,ρ_i}(s) π(a|s) A_i(s, a) / (1 − γ) + (λ/|S|)(1/|A| − π(a|s)),
/// with d the discounted visitation (``discountedVisitation(_:policy:discount:initial:)``) and
/// A = Q − V the advantage. Needs γ < 1.
public func regularizedGradient(_ tasks: [FiniteMDP], theta: [Double], discount: Double,
                                lambda: Double) throws(TabularError) -> [Double] {
    let (s, a) = try sharedShape(tasks, theta: theta)
    guard discount < 1 else { throw TabularError("the exact gradient needs a discount below 1, got \(discount)") }
    let policy = softmaxPolicy(theta, actions: a)
    var gradient = [Double](repeating: 0, count: s * a)
    for task in tasks {
        let v = try evaluatePolicy(task, policy: policy, discount: discount)
        let q = task.actionValues(v, discount: discount)
        let d = try discountedVisitation(task, policy: policy, discount: discount)
        for state in 0..<s {
            for act in 0..<a {
                let k = state * a + act
                gradient[k] += d[state] * policy[k] * (q[k] - v[state]) / (1 - discount)
                    + lambda / Double(s) * (1 / Double(a) - policy[k])
            }
        }
    }
    return gradient
}

func sharedShape(_ tasks: [FiniteMDP], theta: [Double]) throws(TabularError) -> (Int, Int) {
    guard let first = tasks.first else { throw TabularError("the multi-task objective needs at least one task") }
    for (i, t) in tasks.enumerated() where t.stateCount != first.stateCount || t.actionCount != first.actionCount {
        throw TabularError("task \(i) has \(t.stateCount) states × \(t.actionCount) actions, task 0 has \(first.stateCount) × \(first.actionCount); a shared policy needs one shape")
    }
    guard theta.count == first.stateCount * first.actionCount, theta.allSatisfy(\.isFinite) else {
        throw TabularError("θ must hold \(first.stateCount * first.actionCount) finite numbers (states × actions), got \(theta.count)")
    }
    return (first.stateCount, first.actionCount)
}

/// ``regularizedGradient(_:theta:discount:lambda:)`` together with the unregularised value
/// Σ_i V_i^{π_θ}(ρ_i) it passes through (one policy evaluation and one visitation solve per
/// task): what a DCPG agent computes each round with exact gradients.
public func regularizedGradientAndValue(_ tasks: [FiniteMDP], theta: [Double], discount: Double,
                                        lambda: Double) throws(TabularError) -> (gradient: [Double], value: Double) {
    let (s, a) = try sharedShape(tasks, theta: theta)
    guard discount < 1 else { throw TabularError("the exact gradient needs a discount below 1, got \(discount)") }
    let policy = softmaxPolicy(theta, actions: a)
    var gradient = [Double](repeating: 0, count: s * a)
    var value = 0.0
    for task in tasks {
        let v = try evaluatePolicy(task, policy: policy, discount: discount)
        let q = task.actionValues(v, discount: discount)
        let d = try discountedVisitation(task, policy: policy, discount: discount)
        for state in 0..<s {
            value += task.initial[state] * v[state]
            for act in 0..<a {
                let k = state * a + act
                gradient[k] += d[state] * policy[k] * (q[k] - v[state]) / (1 - discount)
                    + lambda / Double(s) * (1 / Double(a) - policy[k])
            }
        }
    }
    return (gradient, value)
}
