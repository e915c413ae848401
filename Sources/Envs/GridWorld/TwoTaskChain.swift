/// `grid-world/two-task-chain-v1` — the five-state, two-task chain of paper 001 (DCPG), Fig. 1.
///
/// **Source.** Zeng et al., *A Decentralized Policy Gradient Approach to Multi-Task RL*, §2.2
/// and Fig. 1 (deterministic dynamics), and the stochastic modification of §2.2 ("gradient
/// domination") with parameter p.
///
/// **Action** `Discrete(2)`: 0 = L, 1 = R.
///
/// **Dynamics** (states S1…S5 are indices 0…4). Task 1: L moves left, R moves right. Task 2:
/// the effect of L and R is swapped in S2 and S4. S1 and S5 end the episode. Stochastic
/// dynamics, whatever the action in S2 and S4: task 1 goes S2 → S1 with probability 1 − p
/// (else S3) and S4 → S3 with 1 − p (else S5); task 2 goes S2 → S1 with p (else S3) and
/// S4 → S3 with p (else S5). S3 is deterministic in both.
///
/// **Observation** `index`: `Discrete(5)`; `one-hot`: `Box(0, 1, (5,))`.
///
/// **Reward** Task 1: +1 for entering S1, −1 for entering S5; task 2: the reverse.
///
/// **Start** S3. **Termination** on entering S1 or S5. **Truncation** at `max_episode_steps` (100).
///
/// **Parameters** (defaults): task 1, dynamics `deterministic`, p 0.75, observation `index`,
/// max_episode_steps 100. **State** `[state]` (0…4).
///
/// **Facts** (tested with the exact tools): with γ, L in S2 and S4 and a shared policy that is
/// ½/½ in S3, V₁(S3) + V₂(S3) = 2γ/(2 − γ²); either deterministic choice in S3 gives γ.
///
/// **Versions.** v1: first version.
public struct TwoTaskChain: Environment, Sendable {
    public struct Parameters: TaskParameters, Hashable {
        public var task = 1
        public var dynamics = "deterministic"
        public var p = 0.75
        public var observation = "index"
        public var maxEpisodeSteps = 100

        public init() {}

        enum CodingKeys: String, CodingKey {
            case task, dynamics, p, observation
            case maxEpisodeSteps = "max_episode_steps"
        }

        public static let fields: [ParameterField] = [
            ParameterField("task", .integer(1...2), "task 1 or task 2 of Fig. 1"),
            ParameterField("dynamics", .text(allowed: ["deterministic", "stochastic"]), "Fig. 1 or the §2.2 modification with p"),
            ParameterField("p", .real(0...1), "the probability p of the stochastic dynamics (paper: 0.5 < p ≤ 1)"),
            ParameterField("observation", .text(allowed: ["index", "one-hot"]), "state index or one-hot state"),
            ParameterField("max_episode_steps", .integer(0...100_000_000), "steps before truncation (0: none)"),
        ]
    }

    public let parameters: Parameters
    /// `[5 × 2]` outcome lists: next states and their probabilities.
    @usableFromInline let outcomes: [[(next: Int, probability: Double)]]
    public var state = 2

    public init(parameters: Parameters) throws(EnvironmentError) {
        self.parameters = parameters
        outcomes = (0..<10).map { twoTaskChainOutcomes(parameters, state: $0 / 2, action: $0 % 2) }
    }

    public var observationSpace: Space {
        parameters.observation == "one-hot" ? .box(Box(shape: [5], low: 0, high: 1)) : .discrete(5)
    }
    public var actionSpace: Space { .discrete(2) }
    public var maxEpisodeSteps: Int { parameters.maxEpisodeSteps }

    public mutating func reset(using g: inout RandomGenerator) { state = 2 }

    public mutating func step(_ action: UnsafeBufferPointer<Float>, using g: inout RandomGenerator) -> StepOutcome {
        let list = outcomes[state * 2 + Int(action[0])]
        var next = list[0].next
        if list.count > 1 {
            let u = g.nextUnit()
            var total = 0.0
            for o in list {
                total += o.probability
                next = o.next
                if u < total { break }
            }
        }
        let reward = twoTaskChainReward(parameters, from: state, to: next)
        state = next
        return StepOutcome(reward: reward, terminated: next == 0 || next == 4)
    }

    public func observe(into o: UnsafeMutableBufferPointer<Float>) {
        if parameters.observation == "one-hot" {
            for i in 0..<5 { o[i] = i == state ? 1 : 0 }
        } else {
            o[0] = Float(state)
        }
    }

    public static let stateNames = ["state"]

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try validateState(values, names: Self.stateNames)
        guard values[0] == values[0].rounded(), values[0] >= 0, values[0] <= 4 else {
            throw .invalidState("state must be an integer in 0…4 (S1…S5), got \(formatJSONNumber(values[0]))")
        }
        state = Int(values[0])
    }
}

/// The outcomes of `action` (0 L, 1 R) in `state` (0…4 for S1…S5), paper 001 §2.2.
public func twoTaskChainOutcomes(_ p: TwoTaskChain.Parameters, state: Int, action: Int) -> [(next: Int, probability: Double)] {
    if state == 0 || state == 4 { return [(state, 1)] }
    if p.dynamics == "stochastic" && state != 2 {
        let towardsS1 = p.task == 1 ? 1 - p.p : p.p  // S2 → S1 and S4 → S3 share this probability
        return [(state - 1, towardsS1), (state + 1, 1 - towardsS1)].filter { $0.1 > 0 }
    }
    let swapped = p.task == 2 && (state == 1 || state == 3)
    let left = (action == 0) != swapped
    return [(left ? state - 1 : state + 1, 1)]
}

/// The reward for entering `to` from `from`: task 1 pays +1 at S1 and −1 at S5, task 2 the reverse.
public func twoTaskChainReward(_ p: TwoTaskChain.Parameters, from: Int, to: Int) -> Double {
    if from == 0 || from == 4 { return 0 }
    let sign = p.task == 1 ? 1.0 : -1.0
    return to == 0 ? sign : (to == 4 ? -sign : 0)
}

extension TwoTaskChain.Parameters: TabularParameters {
    public func tabularModel() throws(EnvironmentError) -> TabularModel {
        var transitions = [Double](repeating: 0, count: 5 * 2 * 5)
        var rewards = [Double](repeating: 0, count: 10)
        for s in 0..<5 {
            for a in 0..<2 {
                for o in twoTaskChainOutcomes(self, state: s, action: a) {
                    transitions[(s * 2 + a) * 5 + o.next] += o.probability
                    rewards[s * 2 + a] += o.probability * twoTaskChainReward(self, from: s, to: o.next)
                }
            }
        }
        return try TabularModel(stateCount: 5, actionCount: 2, transitions: transitions, rewards: rewards,
                                initial: [0, 0, 1, 0, 0], terminal: [true, false, false, false, true])
    }
}
