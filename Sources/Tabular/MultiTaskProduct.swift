import Envs

/// Exact planning on the summed multi-task objective of paper 001 eq. (5) for tasks that share
/// their dynamics and differ in which states end the episode and what they pay (the 10×10 grid
/// sets of §5.1).
///
/// The product MDP's state is `(s, alive)`: the shared state and the set of tasks whose episode
/// has not ended yet; its reward is the sum of the alive tasks' rewards. Every shared policy
/// π(a|s) is a product policy, so the product's optimal value is an upper bound on eq. (5);
/// when its optimal path visits no state twice, a state-only policy attains it and the bound
/// is the optimum. Product state index: `s + S · alive` (bit i of `alive` = task i).
public struct MultiTaskProduct: Sendable {
    public let mdp: FiniteMDP
    public let taskCount: Int
    public let baseStates: Int

    /// Builds the product; throws if the tasks differ in shape, initial distribution, or in a
    /// transition row of a state that no task ends in, or if there are more than 12 tasks.
    public init(_ tasks: [TabularModel]) throws(TabularError) {
        guard let first = tasks.first else { throw TabularError("a multi-task product needs at least one task") }
        guard tasks.count <= 12 else { throw TabularError("a multi-task product takes at most 12 tasks, got \(tasks.count)") }
        let s = first.stateCount, a = first.actionCount, n = tasks.count
        for (i, t) in tasks.enumerated() {
            guard t.stateCount == s, t.actionCount == a else {
                throw TabularError("task \(i) has \(t.stateCount) states × \(t.actionCount) actions, task 0 has \(s) × \(a)")
            }
            guard t.initial == first.initial else { throw TabularError("task \(i) starts differently from task 0; the product needs one initial distribution") }
        }
        // The shared dynamics: the row of any task in which the state is not terminal.
        let sparse = tasks.map { FiniteMDP($0) }
        var owner = [Int](repeating: -1, count: s)
        for state in 0..<s {
            for i in 0..<n where !tasks[i].terminal[state] {
                if owner[state] < 0 { owner[state] = i; continue }
                let j = owner[state]
                for act in 0..<a where sparse[i].outcomes(state, act).map({ sparse[i].next[$0] }) != sparse[j].outcomes(state, act).map({ sparse[j].next[$0] })
                    || sparse[i].outcomes(state, act).map({ sparse[i].probability[$0] }) != sparse[j].outcomes(state, act).map({ sparse[j].probability[$0] }) {
                    throw TabularError("tasks \(j) and \(i) move differently from state \(state) under action \(act); the product needs shared dynamics")
                }
            }
        }
        let masks = 1 << n
        var offsets = [0], next: [Int] = [], probability: [Double] = []
        var rewards = [Double](repeating: 0, count: s * masks * a)
        var terminal = [Bool](repeating: false, count: s * masks)
        for mask in 0..<masks {
            for state in 0..<s {
                let index = state + s * mask
                let alive = (0..<n).filter { mask & (1 << $0) != 0 && !tasks[$0].terminal[state] }
                terminal[index] = alive.isEmpty || owner[state] < 0
                for act in 0..<a {
                    if terminal[index] {
                        next.append(index); probability.append(1)
                    } else {
                        let d = sparse[owner[state]]
                        for k in d.outcomes(state, act) {
                            let target = d.next[k]
                            var after = 0
                            for i in alive where !tasks[i].terminal[target] { after |= 1 << i }
                            next.append(target + s * after)
                            probability.append(d.probability[k])
                        }
                        rewards[index * a + act] = alive.reduce(0) { $0 + tasks[$1].rewards[state * a + act] }
                    }
                    offsets.append(next.count)
                }
            }
        }
        var initial = [Double](repeating: 0, count: s * masks)
        for state in 0..<s where first.initial[state] > 0 {
            var mask = 0
            for i in 0..<n where !tasks[i].terminal[state] { mask |= 1 << i }
            initial[state + s * mask] += first.initial[state]
        }
        mdp = FiniteMDP(stateCount: s * masks, actionCount: a, offsets: offsets, next: next, probability: probability,
                        rewards: rewards, initial: initial, terminal: terminal)
        taskCount = n
        baseStates = s
    }

    /// The shared state and alive set of a product state.
    public func decode(_ index: Int) -> (state: Int, alive: Int) { (index % baseStates, index / baseStates) }
}

/// The most likely path from `start` under `policy`: at each state the most likely action,
/// then its most likely next state other than staying put (slippery worlds often stay put
/// most likely; the path shows where the agent goes when it moves), until a terminal state, a revisit or `maxSteps` steps —
/// or, given the policy's `values`, a state worth exactly 0 (nothing left to gain or lose, as
/// in a multi-task product once the remaining tasks are indifferent). Returns the visited
/// states, `start` first.
public func mostLikelyPath(_ mdp: FiniteMDP, policy: [Double], from start: Int, maxSteps: Int = 1_000,
                           values: [Double]? = nil) -> [Int] {
    var path = [start]
    var seen: Set<Int> = [start]
    var s = start
    let a = mdp.actionCount
    for _ in 0..<maxSteps where !mdp.terminal[s] {
        let row = policy[s * a..<(s + 1) * a]
        guard let best = row.indices.max(by: { row[$0] < row[$1] }) else { break }
        let outcomes = mdp.outcomes(s, best - s * a)
        let moves = outcomes.filter { mdp.next[$0] != s }
        guard let k = (moves.isEmpty ? Array(outcomes) : moves).max(by: { mdp.probability[$0] < mdp.probability[$1] }) else { break }
        s = mdp.next[k]
        path.append(s)
        if !seen.insert(s).inserted { break }
        if let values, abs(values[s]) < 1e-12 { break }
    }
    return path
}
