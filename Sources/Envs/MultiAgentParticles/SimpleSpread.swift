/// `mpe/simple-spread-v1` — cooperative navigation: N agents cover N landmarks without colliding
/// (MPE `simple_spread`, the task of papers 002 and 004).
///
/// **Source.** MPE2 1.1.1 `simple_spread_v3` (= PettingZoo ≥ 1.24.3 physics, Farama), after
/// Lowe et al. (2017); heterogeneous reward scales and the loss form after paper 002 (Chen et
/// al., LAPG), §5. Reference facts: Shoal's environment spec §6.
///
/// **Agents** N = `agents` (3), named `agent_0` …; L = `landmarks` landmarks (0: one per agent,
/// as MPE2). Agents are discs of radius `agent_size` (0.15) and collide; landmarks do not.
///
/// **Action** of each agent, `Discrete(5)`:
///
/// | action | force |
/// |---|---|
/// | 0 | none |
/// | 1 | (−5, 0), left |
/// | 2 | (+5, 0), right |
/// | 3 | (0, −5), down |
/// | 4 | (0, +5), up |
///
/// `continuous`: `Box(0, 1, (5,))`, clipped to [0, 1]; force `5·(a₂ − a₁, a₄ − a₃)` (MPE2's
/// signs; a₀ ignored).
///
/// **Observation** of agent i, `local` (MPE2's layout, 4 + 2L + 4(N−1) floats, 18 for N = 3,
/// unbounded):
///
/// | slice | value |
/// |---|---|
/// | 0–1 | own velocity v_i |
/// | 2–3 | own position p_i |
/// | next 2L | p_L − p_i for each landmark L |
/// | next 2(N−1) | p_j − p_i for each other agent j, in index order |
/// | last 2(N−1) | communication of each other agent (agents are silent: zeros) |
///
/// `global` (paper 002's globally observed state): every agent observes the global state.
///
/// **Global state** (`state()`, 4N + 2L floats): `[x, y, vx, vy]` of every agent, then `[x, y]`
/// of every landmark — the order of `--state`. PettingZoo's `state()` concatenates the agents'
/// observations instead (54 floats for N = 3); that is a fixed function of this state.
///
/// **Dynamics** (MPE2, dt 0.1, mass 1): force = action force + soft collision force of every
/// other agent, `100·(p_i − p_j)/d·k·log(1 + exp(−(d − 2·size)/k))` with k = 1e-3 (no force at
/// d = 0, where MPE2 gives NaN); `p ← p + v·dt` with the old velocity, then
/// `v ← 0.75·v + force·dt` (damping 0.25). No speed limit.
///
/// **Reward** of agent i, on the positions after the step, times its scale c_i
/// (`reward_scales`, all 1 by default; paper 002's heterogeneous agents):
/// - `spread` (MPE2): `local_ratio·(−w·collisions_i) + (1 − local_ratio)·G`, with
///   `G = −Σ_L min_j |p_j − p_L|`, `collisions_i` = number of other agents closer than
///   2·size (strict), w = `collision_penalty` (1), `local_ratio` 0.5;
/// - `assigned-loss` (paper 002): agent i covers landmark i (mod L) and its loss is
///   `ℓ_i = c_i·(|p_i − p_{L(i)}| + w·collisions_i)`; the reward is `−ℓ_i`.
///
/// **Start** each agent `p ~ U(−1, 1)²`, `v = 0`; then each landmark `p ~ U(−1, 1)²` (MPE2's
/// order, from the copy's own generator). **Termination** never, unless `terminate_on_success`:
/// every landmark has an agent closer than 0.1 (MPE2 `terminate_on_success`; on the step that
/// truncates both flags are set, where MPE2 reports only the truncation). **Truncation** at `max_episode_steps` (25, MPE2's `max_cycles`).
///
/// **Parameters** (defaults): agents 3, landmarks 0 (= agents), agent_size 0.15, local_ratio
/// 0.5, collision_penalty 1, reward_scales [] (all 1), reward `spread`, observation `local`,
/// continuous false, terminate_on_success false, max_episode_steps 25.
///
/// **State** `[x_0, y_0, vx_0, vy_0, …, x_{N−1}, y_{N−1}, vx_{N−1}, vy_{N−1}, lx_0, ly_0, …]`;
/// agents on top of each other are rejected.
///
/// **Versions.** v1: MPE2 1.1.1 physics (position with the old velocity, then damping and force).
public struct SimpleSpread: MultiAgentEnvironment, Sendable {
    public struct Parameters: TaskParameters {
        public var agents = 3
        public var landmarks = 0
        public var agentSize = 0.15
        public var localRatio = 0.5
        public var collisionPenalty = 1.0
        public var rewardScales: [Double] = []
        public var reward = "spread"
        public var observation = "local"
        public var continuous = false
        public var terminateOnSuccess = false
        public var maxEpisodeSteps = 25

        public init() {}

        enum CodingKeys: String, CodingKey {
            case agents, landmarks, reward, observation, continuous
            case agentSize = "agent_size", localRatio = "local_ratio", collisionPenalty = "collision_penalty"
            case rewardScales = "reward_scales", terminateOnSuccess = "terminate_on_success", maxEpisodeSteps = "max_episode_steps"
        }

        public static let fields: [ParameterField] = [
            ParameterField("agents", .integer(1...32), "number of agents N"),
            ParameterField("landmarks", .integer(0...32), "number of landmarks L (0: one per agent)"),
            ParameterField("agent_size", .real(1e-3...1), "radius of an agent; two agents collide closer than twice it"),
            ParameterField("local_ratio", .real(0...1), "weight of the collision term against the shared coverage term (spread reward)"),
            ParameterField("collision_penalty", .real(0...1e3), "penalty w per colliding agent"),
            ParameterField("reward_scales", .structured("an array of positive numbers, one per agent (empty: all 1)"),
                           "per-agent reward scale c_m (paper 002's heterogeneous agents)"),
            ParameterField("reward", .text(allowed: ["spread", "assigned-loss"]), "MPE2's shared reward, or paper 002's per-agent loss"),
            ParameterField("observation", .text(allowed: ["local", "global"]), "MPE2's relative observation, or the global state"),
            ParameterField("continuous", .boolean, "Box(0, 1, (5,)) actions instead of Discrete(5)"),
            ParameterField("terminate_on_success", .boolean, "end the episode when every landmark is covered within 0.1"),
            ParameterField("max_episode_steps", .integer(0...100_000_000), "steps before truncation (0: none)"),
        ]

        /// Landmarks actually placed (`landmarks`, or one per agent when 0).
        public var landmarkCount: Int { landmarks == 0 ? agents : landmarks }

        /// Agent m's reward scale.
        public func scale(_ m: Int) -> Double { rewardScales.isEmpty ? 1 : rewardScales[m] }

        public func validationProblem() -> String? {
            if !rewardScales.isEmpty && rewardScales.count != agents {
                return "reward_scales has \(rewardScales.count) values for \(agents) agents: give one per agent, or none"
            }
            if let i = rewardScales.firstIndex(where: { !($0 > 0) || !$0.isFinite }) {
                return "reward_scales[\(i)] is \(formatJSONNumber(rewardScales[i])): every reward scale must be a positive finite number"
            }
            return nil
        }
    }

    public let parameters: Parameters
    /// Positions `[x₀, y₀, …]`, velocities and landmark positions.
    public var positions: [Double]
    public var velocities: [Double]
    public var landmarkPositions: [Double]
    @usableFromInline var forces: [Double]
    @usableFromInline let constants: SimpleSpreadConstants
    @usableFromInline let scales: [Double]

    public init(parameters: Parameters) throws(EnvironmentError) {
        if let problem = parameters.validationProblem() { throw .invalid(problem) }
        self.parameters = parameters
        constants = SimpleSpreadConstants(parameters)
        scales = (0..<parameters.agents).map(parameters.scale)
        positions = [Double](repeating: 0, count: 2 * parameters.agents)
        velocities = positions
        forces = positions
        landmarkPositions = [Double](repeating: 0, count: 2 * parameters.landmarkCount)
    }

    public var agents: Int { parameters.agents }
    public var observationSpaces: [Space] {
        [Space](repeating: .box(Box(shape: [constants.observationSize], low: -.infinity, high: .infinity)), count: agents)
    }
    public var actionSpaces: [Space] {
        [Space](repeating: parameters.continuous ? .box(Box(shape: [5], low: 0, high: 1)) : .discrete(5), count: agents)
    }
    public var stateSpace: Space { .box(Box(shape: [constants.stateSize], low: -.infinity, high: .infinity)) }
    public var maxEpisodeSteps: Int { parameters.maxEpisodeSteps }

    public mutating func reset(using g: inout RandomGenerator) {
        for i in positions.indices { positions[i] = g.uniform(-1, 1) }
        for i in velocities.indices { velocities[i] = 0 }
        for i in landmarkPositions.indices { landmarkPositions[i] = g.uniform(-1, 1) }
    }

    public mutating func step(_ actions: UnsafeBufferPointer<Float>, rewards: UnsafeMutableBufferPointer<Double>,
                              using g: inout RandomGenerator) -> MultiAgentStepOutcome {
        let k = constants
        let a = k.continuous ? 5 : 1
        for m in 0..<k.agents {
            let u = particleActionForce(actions.baseAddress! + m * a, continuous: k.continuous)
            forces[2 * m] = u.x
            forces[2 * m + 1] = u.y
        }
        let covered = positions.withUnsafeMutableBufferPointer { p in
            velocities.withUnsafeMutableBufferPointer { v in
                forces.withUnsafeMutableBufferPointer { f in
                    landmarkPositions.withUnsafeBufferPointer { l in
                        scales.withUnsafeBufferPointer { c in
                            particleWorldStep(p: p.baseAddress!, v: v.baseAddress!, f: f.baseAddress!, agents: k.agents, size: k.size)
                            return simpleSpreadRewards(k, p: p.baseAddress!, l: l.baseAddress!, scales: c.baseAddress!, into: rewards.baseAddress!)
                        }
                    }
                }
            }
        }
        return MultiAgentStepOutcome(terminated: covered)
    }

    public func observe(agent: Int, into o: UnsafeMutableBufferPointer<Float>) {
        positions.withUnsafeBufferPointer { p in
            velocities.withUnsafeBufferPointer { v in
                landmarkPositions.withUnsafeBufferPointer { l in
                    simpleSpreadObserve(constants, agent: agent, p: p.baseAddress!, v: v.baseAddress!, l: l.baseAddress!, into: o.baseAddress!)
                }
            }
        }
    }

    public func observeState(into s: UnsafeMutableBufferPointer<Float>) {
        positions.withUnsafeBufferPointer { p in
            velocities.withUnsafeBufferPointer { v in
                landmarkPositions.withUnsafeBufferPointer { l in
                    simpleSpreadState(constants, p: p.baseAddress!, v: v.baseAddress!, l: l.baseAddress!, into: s.baseAddress!)
                }
            }
        }
    }

    public var stateNames: [String] { simpleSpreadStateNames(agents: parameters.agents, landmarks: parameters.landmarkCount) }

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try validateSimpleSpreadState(values, agents: parameters.agents, landmarks: parameters.landmarkCount)
        let n = parameters.agents
        for i in 0..<n {
            positions[2 * i] = values[4 * i]
            positions[2 * i + 1] = values[4 * i + 1]
            velocities[2 * i] = values[4 * i + 2]
            velocities[2 * i + 1] = values[4 * i + 3]
        }
        for k in 0..<parameters.landmarkCount {
            landmarkPositions[2 * k] = values[4 * n + 2 * k]
            landmarkPositions[2 * k + 1] = values[4 * n + 2 * k + 1]
        }
    }
}

/// `x_0, y_0, vx_0, vy_0, …, lx_0, ly_0, …`: the order of a simple-spread state.
public func simpleSpreadStateNames(agents: Int, landmarks: Int) -> [String] {
    (0..<agents).flatMap { ["x_\($0)", "y_\($0)", "vx_\($0)", "vy_\($0)"] } + (0..<landmarks).flatMap { ["lx_\($0)", "ly_\($0)"] }
}

/// Checks a simple-spread state: its length, finiteness, and that no two agents share a position
/// (the soft collision force is undefined at distance 0).
public func validateSimpleSpreadState(_ values: [Double], agents n: Int, landmarks: Int) throws(EnvironmentError) {
    let names = simpleSpreadStateNames(agents: n, landmarks: landmarks)
    guard values.count == names.count else {
        throw .invalidState("expected \(names.count) state values for \(n) agents and \(landmarks) landmarks ([x, y, vx, vy] of each agent, then [x, y] of each landmark), got \(values.count)")
    }
    if let i = values.firstIndex(where: { !$0.isFinite }) {
        throw .invalidState("state value \(names[i]) is not a finite number")
    }
    for a in 0..<n {
        for b in (a + 1)..<max(a + 1, n) where values[4 * a] == values[4 * b] && values[4 * a + 1] == values[4 * b + 1] {
            throw .invalidState("agents \(a) and \(b) are both at (\(formatJSONNumber(values[4 * a])), \(formatJSONNumber(values[4 * a + 1]))): the collision force is undefined at distance 0, place them apart")
        }
    }
}
