import ActorCritic
import Communication
import Envs
import Foundation
import Tabular
import Training

/// How a DCPG agent computes its local gradient g_i of L_i^λ (paper 001 §3–5).
public enum DCPGGradient: String, CaseIterable, Sendable, Codable {
    /// The exact gradient of eq. (8) from the task's exact model (Theorems 1–2 hold here).
    case exact
    /// The REINFORCE estimate of ∇V_i over B episodes plus the exact regulariser gradient (§4, §5.1).
    case monteCarlo = "monte-carlo"
    /// Neural (§5.2): the local step of ``ReinforceLearner`` (G(PO)MDP, plain steps) on a network.
    case reinforce
    /// Neural (§5.2): the local step of ``A2CLearner`` (n-step or GAE advantages, RMSProp).
    case a2c
    /// Neural (§5.2): the local step of ``PPOLearner`` (clipped surrogate epochs, Adam).
    case ppo

    /// Whether g_i comes from a network learner (§5.2) rather than the softmax table (§4–5.1).
    public var isNeural: Bool { self == .reinforce || self == .a2c || self == .ppo }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = DCPGGradient(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a DCPG gradient; valid: \(DCPGGradient.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Settings of DCPG, the decentralised entropy-regularised policy gradient of paper 001
/// (Algorithm 1): each agent i holds a policy θ_i and updates θ_i ← Σ_j W_ij θ_j + α g_i, g_i the
/// gradient of L_i^λ(θ) = V_i(θ) + (λ/|S|) Σ_s Σ_a (1/|A|) log π(a|s) (eq. 6–8, up to a constant)
/// at its own previous iterate (strategy `consensus`, lazy Metropolis weights in the paper's
/// runs). With strategy `none` the same learners are the single-agent baselines SA-i.
///
/// Tabular modes (`exact`, `monte-carlo`): θ is a softmax table θ[s, a] (eq. 4), plain steps α g.
///
/// Neural modes (`reinforce`, `a2c`, `ppo`, paper §5.2): θ is the flat row of the learner's
/// networks (policy MLP or, with `encoder: conv`, the convolutional encoder; A2C and PPO add
/// their critic), and α g_i is that learner's whole local update at θ_i — its own loss plus
/// λ ∇ of the regulariser over the states visited in the update's batch (Σ_s read as their mean,
/// ``PolicyValueModel/uniformRegularizer``) — which `consensus` adds to Σ_j W_ij θ_j. The
/// optimisers: REINFORCE takes plain steps α g (heavy-ball with β = 0 is required: Algorithm 1
/// exactly); A2C keeps RMSProp and PPO Adam, their standard definitions, because PPO's update is
/// several epochs of minibatch steps that no single plain step reproduces and both are tuned
/// with their adaptive optimisers (the deviation from Algorithm 1's plain step: α g_i is the
/// optimiser's step, α = their `learning_rate`). The network settings are the nested blocks
/// `reinforce`, `a2c`, `ppo` (each the learner's own settings; keys left out keep the defaults
/// below); `discount`, `step_size` and `episodes_per_update` belong to the tabular modes.
public struct DCPGConfig: AlgorithmSettings {
    /// How g_i is computed: `exact` (eq. 8), `monte-carlo` (REINFORCE over B episodes plus the
    /// exact regulariser gradient), or a network learner's step `reinforce`, `a2c`, `ppo`.
    public var gradient: DCPGGradient = .exact
    /// γ, the discount of every task (tabular modes).
    public var discount: Double = 0.9
    /// λ ≥ 0, the weight of the relative-entropy regulariser (eq. 7), every mode.
    public var lambda: Double = 0.001
    /// α, the constant step size (tabular modes). With exact gradients it must lie below the
    /// bound of eq. (10) (``stepSizeBound(states:taskCounts:weights:)``), and a larger one is refused.
    public var stepSize: Double = 0.001
    /// B, the episodes each Monte-Carlo estimate averages (at least one per copy of the batch).
    public var episodesPerUpdate = 10
    /// The REINFORCE learner of gradient `reinforce` (default: its settings with momentum 0).
    public var reinforce = DCPGConfig.defaultReinforce
    /// The A2C learner of gradient `a2c` (default: A2C's defaults).
    public var a2c = A2CConfig()
    /// The PPO learner of gradient `ppo` (default: PPO's defaults).
    public var ppo = PPOConfig()

    /// REINFORCE's defaults with β = 0: plain gradient steps, as Algorithm 1.
    public static var defaultReinforce: ReinforceConfig {
        var c = ReinforceConfig()
        c.momentum = 0
        return c
    }

    public init() {}

    enum CodingKeys: String, CodingKey {
        case gradient, discount, lambda, reinforce, a2c, ppo
        case stepSize = "step_size", episodesPerUpdate = "episodes_per_update"
    }

    /// The nested learner blocks are resolved key by key against their defaults (a partial block
    /// keeps the rest), strictly: an unknown key is refused with the valid ones.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        gradient = try c.decode(DCPGGradient.self, forKey: .gradient)
        discount = try c.decode(Double.self, forKey: .discount)
        lambda = try c.decode(Double.self, forKey: .lambda)
        stepSize = try c.decode(Double.self, forKey: .stepSize)
        episodesPerUpdate = try c.decode(Int.self, forKey: .episodesPerUpdate)
        func nested<T: Codable>(_ key: CodingKeys, _ defaults: T) throws -> T {
            guard let box = try c.decodeIfPresent(SettingsJSON.self, forKey: key) else { return defaults }
            return try resolveSettings(T.self, from: box.value, defaults: defaults, context: "dcpg.\(key.stringValue)")
        }
        reinforce = try nested(.reinforce, DCPGConfig.defaultReinforce)
        a2c = try nested(.a2c, A2CConfig())
        ppo = try nested(.ppo, PPOConfig())
    }

    public static var name: String { "dcpg" }
    public static var summary: String { "decentralised entropy-regularised policy gradient on a softmax table (exact or Monte-Carlo gradients)" }
    public static var source: String { "DCPG paper 001, Algorithm 1, eq. (4)–(10)" }
    public static var architectures: [Architecture] { Architecture.allCases }
    public static var strategies: [String] { ["none", "consensus"] }
    public static var actions: ActionSupport { .discrete }
    public static var defaultStrategy: String? { "consensus" }

    public func validationProblem() -> String? {
        if !(discount >= 0 && discount < 1) { return "discount must lie in [0, 1), got \(discount)" }
        if !(lambda >= 0) || !lambda.isFinite { return "lambda (λ) must be a finite number ≥ 0, got \(lambda)" }
        if !(stepSize > 0) || !stepSize.isFinite { return "step_size (α) must be a positive number, got \(stepSize)" }
        if episodesPerUpdate < 1 { return "episodes_per_update (B) must be at least 1, got \(episodesPerUpdate)" }
        switch gradient {
        case .exact, .monteCarlo: return nil
        case .reinforce:
            if reinforce.momentum != 0 { return "dcpg takes plain steps (paper 001, Algorithm 1): dcpg.reinforce.momentum must be 0, got \(reinforce.momentum)" }
            return reinforce.validationProblem().map { "dcpg.reinforce: \($0)" }
        case .a2c: return a2c.validationProblem().map { "dcpg.a2c: \($0)" }
        case .ppo: return ppo.validationProblem().map { "dcpg.ppo: \($0)" }
        }
    }

    /// The bound of eq. (10) for agents whose tasks have `states` states: `taskCounts[k]` tasks
    /// in agent k's batch (its local objective sums them, so each counts as one γ in the sum), W
    /// the mixing weights (nil: agents that do not mix, W = I and σ_N = 1, one bound each).
    public func stepSizeBound(states: Int, taskCounts: [Int], weights: MixingMatrix?) -> Double {
        guard let weights else {
            let most = taskCounts.max() ?? 1
            return consensusStepSizeBound(discounts: [Double](repeating: discount, count: most), lambda: lambda, states: states, smallestSingularValue: 1)
        }
        let total = taskCounts.reduce(0, +)
        return consensusStepSizeBound(discounts: [Double](repeating: discount, count: max(total, weights.agentCount)), lambda: lambda,
                                      states: states, smallestSingularValue: smallestSingularValue(weights))
    }

    /// The sentence refusing a step size at or above the bound, or nil.
    func stepSizeProblem(states: Int, taskCounts: [Int], weights: MixingMatrix?) -> String? {
        guard gradient == .exact else { return nil }
        let bound = stepSizeBound(states: states, taskCounts: taskCounts, weights: weights)
        guard stepSize >= bound else { return nil }
        return "dcpg step_size \(stepSize) is not below the bound of paper 001 eq. (10), \(String(format: "%.6g", bound)) for these \(states) states, γ \(discount), λ \(lambda) and this graph; choose a smaller step_size"
    }

    public static func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String? {
        guard let settings = try? resolveSettings(DCPGConfig.self, from: config.algorithmSettings, defaults: DCPGConfig(), context: name) else { return nil }
        if settings.gradient.isNeural {
            if case .discrete = observation {
                return "dcpg's neural \(settings.gradient.rawValue) gradient needs observation vectors for a network, but \(task) is a finite task observed by its state index (\(observation)); use gradient exact or monte-carlo"
            }
            let encoder: ObservationEncoder = settings.gradient == .reinforce ? settings.reinforce.encoder : settings.gradient == .a2c ? settings.a2c.encoder : settings.ppo.encoder
            return encoder.problem(observation: observation).map { "dcpg.\(settings.gradient.rawValue) on \(task): \($0)" }
        }
        guard case .discrete(let states) = observation else {
            return "dcpg's \(settings.gradient.rawValue) gradient needs a finite task observed by its state index, but \(task) observes \(observation); use a neural gradient (reinforce, a2c or ppo)"
        }
        // The common layouts: one task per agent, on the run's graph (decentralised) or alone.
        let agents = max(1, config.agents)
        guard config.architecture != .centralised else { return nil }  // checked per learner, which knows its task count
        var weights: MixingMatrix?
        if config.resolvedStrategy == ConsensusSettings.name, agents > 1 {
            guard let topology = try? config.topology.topology(degree: config.degree, edgeProbability: config.edgeProbability, agents: agents),
                  let graph = try? topology.makeGraph(agents: agents, seed: config.seed), graph.isConnected else { return nil }
            weights = config.weights.weights(for: graph)
        }
        return settings.stepSizeProblem(states: states, taskCounts: [Int](repeating: 1, count: agents), weights: weights)
    }

    public func makeLearner(_ context: LearnerContext) throws -> DCPGLearner {
        try DCPGLearner(config: self, context: context)
    }
}

/// σ_N, the smallest singular value of W (the square root of the smallest eigenvalue of WᵀW).
public func smallestSingularValue(_ weights: MixingMatrix) -> Double {
    let n = weights.agentCount
    let w = weights.entries
    var gram = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
        for j in 0..<n {
            var total = 0.0
            for k in 0..<n { total += w[k * n + i] * w[k * n + j] }
            gram[i * n + j] = total
        }
    }
    return max(0, symmetricEigenvalues(gram, n: n).first ?? 0).squareRoot()
}

/// Any JSON value, decoded for re-resolution by ``resolveSettings(_:from:defaults:context:)``.
struct SettingsJSON: Decodable {
    let value: JSONValue

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { value = .null }
        else if let b = try? c.decode(Bool.self) { value = .bool(b) }
        else if let i = try? c.decode(Int.self) { value = .integer(i) }
        else if let d = try? c.decode(Double.self) { value = .real(d) }
        else if let t = try? c.decode(String.self) { value = .string(t) }
        else if let a = try? c.decode([SettingsJSON].self) { value = .array(a.map(\.value)) }
        else {
            let o = try c.decode([String: SettingsJSON].self)
            value = .object(o.sorted { $0.key < $1.key }.map { ($0.key, $0.value.value) })
        }
    }
}
