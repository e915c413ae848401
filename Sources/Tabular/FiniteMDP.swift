import Envs

/// A finite MDP in sparse form: the exact tools' working representation. Built from an
/// environment's dense ``TabularModel`` or directly (``MultiTaskProduct`` builds one with
/// thousands of states that would not fit densely).
///
/// Outcomes of state `s` under action `a` are `offsets[s·A + a] ..< offsets[s·A + a + 1]`
/// of `next` and `probability`; `rewards[s·A + a]` is the expected reward. Terminal states
/// are absorbing with zero reward, and their value is 0 by definition.
public struct FiniteMDP: Sendable, Equatable {
    public let stateCount: Int
    public let actionCount: Int
    public var offsets: [Int]
    public var next: [Int]
    public var probability: [Double]
    public var rewards: [Double]
    public var initial: [Double]
    public var terminal: [Bool]

    /// The sparse form of a dense model (zero-probability outcomes dropped).
    public init(_ model: TabularModel) {
        stateCount = model.stateCount
        actionCount = model.actionCount
        let s = model.stateCount
        var offsets = [0], next: [Int] = [], probability: [Double] = []
        for row in 0..<(s * model.actionCount) {
            for k in 0..<s where model.transitions[row * s + k] > 0 {
                next.append(k)
                probability.append(model.transitions[row * s + k])
            }
            offsets.append(next.count)
        }
        self.offsets = offsets
        self.next = next
        self.probability = probability
        rewards = model.rewards
        initial = model.initial
        terminal = model.terminal
    }

    /// A model from its sparse tables (sizes are trusted: callers build them consistently).
    public init(stateCount: Int, actionCount: Int, offsets: [Int], next: [Int], probability: [Double],
                rewards: [Double], initial: [Double], terminal: [Bool]) {
        self.stateCount = stateCount
        self.actionCount = actionCount
        self.offsets = offsets
        self.next = next
        self.probability = probability
        self.rewards = rewards
        self.initial = initial
        self.terminal = terminal
    }

    /// The outcome indices of `(s, a)`.
    @inlinable public func outcomes(_ s: Int, _ a: Int) -> Range<Int> {
        offsets[s * actionCount + a]..<offsets[s * actionCount + a + 1]
    }

    /// Q(s, a) = R(s, a) + γ Σ P(s′|s, a) V(s′) for every pair, `[S × A]` (0 on terminal states).
    public func actionValues(_ values: [Double], discount: Double) -> [Double] {
        var q = [Double](repeating: 0, count: stateCount * actionCount)
        for s in 0..<stateCount where !terminal[s] {
            for a in 0..<actionCount {
                var total = rewards[s * actionCount + a]
                for k in outcomes(s, a) { total += discount * probability[k] * values[next[k]] }
                q[s * actionCount + a] = total
            }
        }
        return q
    }
}

/// A tabular tool that cannot answer: one clear sentence.
public struct TabularError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Checks a discount factor and a policy table against a model.
func validate(_ mdp: FiniteMDP, policy: [Double]?, discount: Double, allowOne: Bool) throws(TabularError) {
    guard discount >= 0, discount < 1 || (allowOne && discount == 1) else {
        throw TabularError("the discount must be in [0, \(allowOne ? "1]" : "1)"), got \(discount)")
    }
    guard let policy else { return }
    let a = mdp.actionCount
    guard policy.count == mdp.stateCount * a else {
        throw TabularError("the policy has \(policy.count) probabilities; this task needs \(mdp.stateCount) states × \(a) actions = \(mdp.stateCount * a)")
    }
    for s in 0..<mdp.stateCount {
        let row = policy[s * a..<(s + 1) * a]
        guard row.allSatisfy({ $0 >= 0 && $0 <= 1 }), abs(row.reduce(0, +) - 1) <= 1e-6 else {
            throw TabularError("the policy's probabilities in state \(s) must lie in [0, 1] and sum to 1, got \(Array(row))")
        }
    }
}

/// The uniform random policy, `[S × A]`.
public func uniformPolicy(states: Int, actions: Int) -> [Double] {
    [Double](repeating: 1 / Double(actions), count: states * actions)
}
