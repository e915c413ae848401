import Foundation

/// A tabular softmax policy, paper 001 eq. (4): one parameter θ[s, a] per state and action,
/// π_θ(a|s) = exp θ_{s,a} / Σ_a′ exp θ_{s,a′}. The table is row-major `[S × A]`, the layout the
/// exact gradient (``regularizedGradient(_:theta:discount:lambda:)``) and the Monte-Carlo
/// estimate (``reinforceTableGradient(_:theta:actions:discount:)``) use.
public struct TabularSoftmaxPolicy: Sendable, Equatable {
    public let states: Int
    public let actions: Int
    /// θ, `[S × A]`.
    public var theta: [Double]

    /// The uniform policy (θ = 0) over `states × actions`.
    public init(states: Int, actions: Int) throws(TabularError) {
        try self.init(states: states, actions: actions, theta: [Double](repeating: 0, count: max(0, states * actions)))
    }

    /// A policy with the given table; throws unless it holds `states × actions` finite numbers.
    public init(states: Int, actions: Int, theta: [Double]) throws(TabularError) {
        guard states >= 1, actions >= 1 else { throw TabularError("a tabular policy needs at least one state and one action, got \(states) × \(actions)") }
        guard theta.count == states * actions, theta.allSatisfy(\.isFinite) else {
            throw TabularError("θ must hold \(states * actions) finite numbers (\(states) states × \(actions) actions), got \(theta.count)")
        }
        self.states = states
        self.actions = actions
        self.theta = theta
    }

    /// π_θ as a table `[S × A]`.
    public var probabilities: [Double] { softmaxPolicy(theta, actions: actions) }

    /// π_θ(·|s) written into `row` (resized to `actions` if needed; no allocation otherwise).
    public func probabilities(state s: Int, into row: inout [Double]) {
        if row.count != actions { row = [Double](repeating: 0, count: actions) }
        let base = s * actions
        var top = -Double.infinity
        for a in 0..<actions { top = max(top, theta[base + a]) }
        var total = 0.0
        for a in 0..<actions { row[a] = exp(theta[base + a] - top); total += row[a] }
        for a in 0..<actions { row[a] /= total }
    }

    /// The action drawn in state `s` by inverting π_θ(·|s) at `uniform` ∈ [0, 1).
    public func sample(state s: Int, uniform u: Double, scratch row: inout [Double]) -> Int {
        probabilities(state: s, into: &row)
        var total = 0.0
        for a in 0..<actions {
            total += row[a]
            if u < total { return a }
        }
        return actions - 1
    }

    /// The most likely action in state `s` (the lowest index among ties).
    public func greedyAction(state s: Int) -> Int {
        var best = 0
        for a in 1..<max(1, actions) where theta[s * actions + a] > theta[s * actions + best] { best = a }
        return best
    }
}
