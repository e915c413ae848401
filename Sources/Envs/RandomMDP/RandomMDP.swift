import Foundation

/// `random-mdp-v1` — a random finite MDP acted on jointly by N agents (paper 004, §V).
///
/// **Source.** Li and Jia, *Decentralized Multi-Agent RL: An Off-Policy Method*, §V: M states
/// (100 in the paper), every agent has 3 actions, P(s, a, ·) drawn from U(0, 1) and normalised,
/// R(s, a) ~ N(0, 1); N = 4 and N = 5 agents.
///
/// **Action** `Discrete(actions_per_agent^agents)`: the joint action
/// `a = a₀ + k·a₁ + k²·a₂ + …` (agent 0's action is the least significant digit, k actions
/// per agent).
///
/// **Observation** `index`: `Discrete(M)`; `one-hot`: `Box(0, 1, (M,))`.
///
/// **Model** drawn from `RandomGenerator(seed: seed, index: 0)`: for each state s and joint
/// action a, M uniform draws normalised to P(s, a, ·), then one normal draw R(s, a).
///
/// **Reward** R(s, a) (deterministic given s and a). **Start** uniform over the M states.
/// **Termination** never. **Truncation** at `max_episode_steps` (100).
///
/// **Parameters** (defaults): states 100, agents 4, actions_per_agent 3, seed 0, observation
/// `index`, max_episode_steps 100. **State** `[state]`.
///
/// **Versions.** v1: first version.
public struct RandomMDP: Environment, Sendable {
    public struct Parameters: TaskParameters, Hashable {
        public var states = 100
        public var agents = 4
        public var actionsPerAgent = 3
        public var seed = 0
        public var observation = "index"
        public var maxEpisodeSteps = 100

        public init() {}

        enum CodingKeys: String, CodingKey {
            case states, agents, seed, observation
            case actionsPerAgent = "actions_per_agent", maxEpisodeSteps = "max_episode_steps"
        }

        public static let fields: [ParameterField] = [
            ParameterField("states", .integer(1...2_000), "number of states M"),
            ParameterField("agents", .integer(1...8), "number of agents N acting jointly"),
            ParameterField("actions_per_agent", .integer(1...8), "actions of each agent"),
            ParameterField("seed", .integer(0...Int(Int32.max)), "seed of the drawn transition and reward tables"),
            ParameterField("observation", .text(allowed: ["index", "one-hot"]), "state index or one-hot state"),
            ParameterField("max_episode_steps", .integer(0...100_000_000), "steps before truncation (0: none)"),
        ]

        /// Number of joint actions.
        public var jointActions: Int {
            var n = 1
            for _ in 0..<agents { n *= actionsPerAgent }
            return n
        }

        public func validationProblem() -> String? {
            let size = states * jointActions * states
            return size <= 50_000_000 ? nil
                : "states² × joint actions = \(size) transition entries is too large (at most 50 000 000)"
        }
    }

    public let parameters: Parameters
    /// The drawn tables, shared by every copy with the same parameters.
    public let tables: RandomMDPTables
    public var state = 0

    public init(parameters: Parameters) throws(EnvironmentError) {
        if let problem = parameters.validationProblem() { throw .invalid(problem) }
        self.parameters = parameters
        tables = RandomMDPTables.drawn(parameters)
    }

    public var observationSpace: Space {
        parameters.observation == "one-hot" ? .box(Box(shape: [parameters.states], low: 0, high: 1)) : .discrete(parameters.states)
    }
    public var actionSpace: Space { .discrete(parameters.jointActions) }
    public var maxEpisodeSteps: Int { parameters.maxEpisodeSteps }

    public mutating func reset(using g: inout RandomGenerator) {
        state = g.below(parameters.states)
    }

    public mutating func step(_ action: UnsafeBufferPointer<Float>, using g: inout RandomGenerator) -> StepOutcome {
        let m = parameters.states
        let row = state * parameters.jointActions + Int(action[0])
        let u = g.nextUnit()
        // The first k with u < cumulative[k] (binary search; the last entry is exactly 1).
        let next = tables.cumulative.withUnsafeBufferPointer { c -> Int in
            var lo = row * m, hi = row * m + m - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if u < c[mid] { hi = mid } else { lo = mid + 1 }
            }
            return lo - row * m
        }
        let reward = tables.rewards[row]
        state = next
        return StepOutcome(reward: reward, terminated: false)
    }

    public func observe(into o: UnsafeMutableBufferPointer<Float>) {
        if parameters.observation == "one-hot" {
            for i in 0..<o.count { o[i] = 0 }
            o[state] = 1
        } else {
            o[0] = Float(state)
        }
    }

    public static let stateNames = ["state"]

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try validateState(values, names: Self.stateNames)
        guard values[0] == values[0].rounded(), values[0] >= 0, values[0] < Double(parameters.states) else {
            throw .invalidState("state must be an integer in 0…\(parameters.states - 1), got \(formatJSONNumber(values[0]))")
        }
        state = Int(values[0])
    }
}

/// The drawn tables of one random MDP: `transitions[(s·A + a)·M + s′]`, their row-wise
/// cumulative sums (for sampling) and `rewards[s·A + a]`.
public final class RandomMDPTables: @unchecked Sendable {
    public let transitions: [Double]
    public let cumulative: [Double]
    public let rewards: [Double]

    init(_ p: RandomMDP.Parameters) {
        let m = p.states, a = p.jointActions
        var g = RandomGenerator(seed: UInt64(p.seed), index: 0)
        var transitions = [Double](repeating: 0, count: m * a * m)
        var cumulative = transitions
        var rewards = [Double](repeating: 0, count: m * a)
        for row in 0..<(m * a) {
            var total = 0.0
            for k in 0..<m {
                let u = g.nextUnit()
                transitions[row * m + k] = u
                total += u
            }
            if total == 0 { for k in 0..<m { transitions[row * m + k] = 1 / Double(m) }; total = 1 }
            var running = 0.0
            for k in 0..<m {
                transitions[row * m + k] /= total
                running += transitions[row * m + k]
                cumulative[row * m + k] = running
            }
            cumulative[row * m + m - 1] = 1
            rewards[row] = g.normal()
        }
        self.transitions = transitions
        self.cumulative = cumulative
        self.rewards = rewards
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [RandomMDP.Parameters: RandomMDPTables] = [:]

    /// The tables of `p` (drawn once per distinct model and shared).
    public static func drawn(_ p: RandomMDP.Parameters) -> RandomMDPTables {
        var key = p
        key.observation = "index"
        key.maxEpisodeSteps = 0
        lock.lock()
        defer { lock.unlock() }
        if let t = cache[key] { return t }
        let t = RandomMDPTables(p)
        cache[key] = t
        return t
    }
}

extension RandomMDP.Parameters: TabularParameters {
    public func tabularModel() throws(EnvironmentError) -> TabularModel {
        if let problem = validationProblem() { throw .invalid(problem) }
        let t = RandomMDPTables.drawn(self)
        return try TabularModel(stateCount: states, actionCount: jointActions, transitions: t.transitions, rewards: t.rewards,
                                initial: [Double](repeating: 1 / Double(states), count: states),
                                terminal: [Bool](repeating: false, count: states))
    }
}
