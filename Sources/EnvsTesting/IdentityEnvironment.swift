import Envs

/// `testing/identity-v1` — the trivial discrete task that gates every trainer: the observation
/// is the one-hot code of a symbol, and the reward is 1 when the action repeats it.
///
/// **Source.** Stable-Baselines3's `IdentityEnv` test environment.
/// **Action** `Discrete(symbols)`. **Observation** one-hot of the current symbol.
/// **Reward** 1 if the action equals the symbol, else 0. **Start** a uniform symbol; every step
/// draws a new one. **Termination** never. **Truncation** at `max_episode_steps` (10), so the
/// best return is 10 and a uniform policy earns `10 / symbols`.
/// **Parameters** symbols 4, max_episode_steps 10. **Versions** v1.
public struct IdentityEnvironment: Environment, Sendable {
    public struct Parameters: TaskParameters {
        public var symbols = 4
        public var maxEpisodeSteps = 10
        public init() {}
        enum CodingKeys: String, CodingKey { case symbols, maxEpisodeSteps = "max_episode_steps" }
        public static let fields: [ParameterField] = [
            ParameterField("symbols", .integer(2...64), "number of symbols (and actions)"),
            ParameterField("max_episode_steps", .integer(0...100_000), "steps before truncation (0: none)"),
        ]
    }

    public let parameters: Parameters
    public var symbol = 0

    public init(parameters: Parameters) throws(EnvironmentError) { self.parameters = parameters }

    public var observationSpace: Space { .box(Box(shape: [parameters.symbols], low: 0, high: 1)) }
    public var actionSpace: Space { .discrete(parameters.symbols) }
    public var maxEpisodeSteps: Int { parameters.maxEpisodeSteps }

    public mutating func reset(using g: inout RandomGenerator) { symbol = g.below(parameters.symbols) }

    public mutating func step(_ action: UnsafeBufferPointer<Float>, using g: inout RandomGenerator) -> StepOutcome {
        let reward: Double = Int(action[0]) == symbol ? 1 : 0
        symbol = g.below(parameters.symbols)
        return StepOutcome(reward: reward, terminated: false)
    }

    public func observe(into o: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<o.count { o[i] = i == symbol ? 1 : 0 }
    }
}

/// `testing/target-v1` — the trivial continuous task: the observation is a target in [−1, 1]
/// and the reward is `−(a − target)²`; a new target is drawn every step.
///
/// **Source.** Shoal's trainer tests (after SB3's `IdentityEnvBox`).
/// **Action** `Box(−1, 1, (1,))`, clipped. **Observation** `[target]`. **Reward** `−(a − target)²`.
/// **Termination** never. **Truncation** at `max_episode_steps` (10): the best return is 0; a
/// policy that always answers 0 earns about −3.3. **Parameters** max_episode_steps 10. **Versions** v1.
public struct TargetEnvironment: Environment, Sendable {
    public struct Parameters: TaskParameters {
        public var maxEpisodeSteps = 10
        public init() {}
        enum CodingKeys: String, CodingKey { case maxEpisodeSteps = "max_episode_steps" }
        public static let fields: [ParameterField] = [
            ParameterField("max_episode_steps", .integer(0...100_000), "steps before truncation (0: none)"),
        ]
    }

    public let parameters: Parameters
    public var target = 0.0

    public init(parameters: Parameters) throws(EnvironmentError) { self.parameters = parameters }

    public var observationSpace: Space { .box(low: [-1], high: [1]) }
    public var actionSpace: Space { .box(low: [-1], high: [1]) }
    public var maxEpisodeSteps: Int { parameters.maxEpisodeSteps }

    public mutating func reset(using g: inout RandomGenerator) { target = g.uniform(-1, 1) }

    public mutating func step(_ action: UnsafeBufferPointer<Float>, using g: inout RandomGenerator) -> StepOutcome {
        let a = min(max(Double(action[0]), -1), 1)
        let reward = -(a - target) * (a - target)
        target = g.uniform(-1, 1)
        return StepOutcome(reward: reward, terminated: false)
    }

    public func observe(into o: UnsafeMutableBufferPointer<Float>) { o[0] = Float(target) }
}

/// A batch of ``IdentityEnvironment`` copies.
public struct IdentityVector: SpecializedVector {
    public var base: SerialVector<IdentityEnvironment>
    public init(base: SerialVector<IdentityEnvironment>) { self.base = base }
}

/// A batch of ``TargetEnvironment`` copies.
public struct TargetVector: SpecializedVector {
    public var base: SerialVector<TargetEnvironment>
    public init(base: SerialVector<TargetEnvironment>) { self.base = base }
}

extension TaskRegistry {
    /// The trivial tasks that gate every trainer (`testing/identity-v1`, `testing/target-v1`).
    public static var testingTasks: [any RegisteredTask] {
        [
            Task<IdentityVector>("testing/identity-v1", summary: "Repeat the observed symbol (trivial discrete task for trainer tests).",
                                 source: "after Stable-Baselines3's IdentityEnv", tags: ["testing", "discrete"]),
            Task<TargetVector>("testing/target-v1", summary: "Answer the observed target in [−1, 1] (trivial continuous task for trainer tests).",
                               source: "after Stable-Baselines3's IdentityEnvBox", tags: ["testing", "continuous"]),
        ]
    }
}
