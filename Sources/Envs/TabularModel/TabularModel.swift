/// The exact model of a finite environment, for planning and exact policy gradients.
///
/// States and actions are the indices the environment observes and accepts (a grid world's
/// cell index, a random MDP's joint action). Every table is flat and row-major:
///
/// - `transitions[(s · A + a) · S + s′]` = P(s′ | s, a); each row sums to 1;
/// - `rewards[s · A + a]` = E[r | s, a], the expected reward of the step;
/// - `initial[s]` = probability that an episode starts in `s`;
/// - `terminal[s]`: the episode ends on entering `s`. Terminal rows are self-loops with zero
///   reward, so values of terminal states are 0 and visitation distributions sum to 1.
///
/// Time limits are not part of the model (it describes the infinite-horizon discounted process).
public struct TabularModel: Sendable, Equatable {
    public let stateCount: Int
    public let actionCount: Int
    public var transitions: [Double]
    public var rewards: [Double]
    public var initial: [Double]
    public var terminal: [Bool]

    /// A model with every table given; throws if a shape is wrong, a probability is outside
    /// [0, 1], a row does not sum to 1 (±1e-9), or a value is not finite.
    public init(stateCount: Int, actionCount: Int, transitions: [Double], rewards: [Double],
                initial: [Double], terminal: [Bool]) throws(EnvironmentError) {
        let s = stateCount, a = actionCount
        guard s >= 1, a >= 1 else { throw .invalid("a tabular model needs at least one state and one action") }
        guard transitions.count == s * a * s, rewards.count == s * a, initial.count == s, terminal.count == s else {
            throw .invalid("tabular model tables have the wrong sizes for \(s) states and \(a) actions")
        }
        for row in 0..<(s * a) {
            var total = 0.0
            for k in 0..<s {
                let p = transitions[row * s + k]
                guard p >= 0 && p <= 1 else {
                    throw .invalid("transition probability P(\(k) | \(row / a), \(row % a)) = \(p) is outside [0, 1]")
                }
                total += p
            }
            guard abs(total - 1) <= 1e-9 else {
                throw .invalid("transition probabilities from state \(row / a) under action \(row % a) sum to \(total), not 1")
            }
        }
        guard rewards.allSatisfy(\.isFinite) else { throw .invalid("a tabular model's rewards must be finite") }
        guard initial.allSatisfy({ $0 >= 0 && $0 <= 1 }), abs(initial.reduce(0, +) - 1) <= 1e-9 else {
            throw .invalid("the initial distribution must have probabilities in [0, 1] that sum to 1")
        }
        self.stateCount = s
        self.actionCount = a
        self.transitions = transitions
        self.rewards = rewards
        self.initial = initial
        self.terminal = terminal
    }

    /// P(s′ | s, a).
    @inlinable public func probability(_ s: Int, _ a: Int, _ next: Int) -> Double {
        transitions[(s * actionCount + a) * stateCount + next]
    }

    /// E[r | s, a].
    @inlinable public func reward(_ s: Int, _ a: Int) -> Double { rewards[s * actionCount + a] }
}
