/// `random-mdp/local-actions-v1` — the random MDP of `random-mdp-v1` with each agent choosing
/// its own action (paper 004, §V): the multi-agent form.
///
/// **Source.** Li and Jia, *Decentralized Multi-Agent RL: An Off-Policy Method*, §V.
///
/// **Agents** N = `agents` (4), named `agent_0` … `agent_{N−1}`.
///
/// **Action** of agent m: `Discrete(actions_per_agent)` (3). The joint action indexing P and R
/// is `a = a₀ + k·a₁ + k²·a₂ + …` (agent 0 the least significant digit, k actions per agent), the
/// action `random-mdp-v1` takes: both forms step through the same tables and draw the same
/// numbers, so a joint-action trajectory and its local-action split are identical.
///
/// **Observation** of every agent and **global state**: the state, `index` → `Discrete(M)`,
/// `one-hot` → `Box(0, 1, (M,))` (the state is globally observed).
///
/// **Reward** R(s, a), shared: every agent receives it. **Start** uniform over the M states.
/// **Termination** never. **Truncation** at `max_episode_steps` (100).
///
/// **Model** exported as `random-mdp-v1`'s (joint actions): ``RandomMDP/Parameters/tabularModel()``.
///
/// **Parameters** as `random-mdp-v1`: states 100, agents 4, actions_per_agent 3, seed 0,
/// observation `index`, max_episode_steps 100. **State** `[state]`.
///
/// **Versions.** v1: first version.
public struct RandomMDPLocalActions: MultiAgentEnvironment, Sendable {
    public typealias Parameters = RandomMDP.Parameters

    /// The joint-action MDP this form steps (same tables, same draws).
    public var joint: RandomMDP

    public init(parameters: Parameters) throws(EnvironmentError) {
        joint = try RandomMDP(parameters: parameters)
    }

    public var parameters: Parameters { joint.parameters }
    public var agents: Int { joint.parameters.agents }
    public var observationSpaces: [Space] { [Space](repeating: joint.observationSpace, count: agents) }
    public var actionSpaces: [Space] { [Space](repeating: .discrete(joint.parameters.actionsPerAgent), count: agents) }
    public var stateSpace: Space { joint.observationSpace }
    public var maxEpisodeSteps: Int { joint.maxEpisodeSteps }

    public mutating func reset(using g: inout RandomGenerator) { joint.reset(using: &g) }

    public mutating func step(_ actions: UnsafeBufferPointer<Float>, rewards: UnsafeMutableBufferPointer<Double>,
                              using g: inout RandomGenerator) -> MultiAgentStepOutcome {
        var jointAction: Float = 0
        withUnsafeMutablePointer(to: &jointAction) { p in
            p.pointee = Float(jointActionIndex(actions, actionsPerAgent: joint.parameters.actionsPerAgent))
            let outcome = joint.step(UnsafeBufferPointer(start: p, count: 1), using: &g)
            for m in 0..<rewards.count { rewards[m] = outcome.reward }
        }
        return MultiAgentStepOutcome(terminated: false)
    }

    public func observe(agent: Int, into o: UnsafeMutableBufferPointer<Float>) { joint.observe(into: o) }
    public func observeState(into s: UnsafeMutableBufferPointer<Float>) { joint.observe(into: s) }

    public var stateNames: [String] { RandomMDP.stateNames }

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) { try joint.setState(values) }
}

/// The joint action `a₀ + k·a₁ + k²·a₂ + …` of local actions `actions` (agent 0 first), each in `0..<k`.
@inlinable
public func jointActionIndex(_ actions: UnsafeBufferPointer<Float>, actionsPerAgent k: Int) -> Int {
    var index = 0, place = 1
    for a in actions {
        index += Int(a) * place
        place *= k
    }
    return index
}
