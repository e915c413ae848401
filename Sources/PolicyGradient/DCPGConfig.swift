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
/// (Algorithm 1): each agent i holds a softmax table θ_i[s, a] (eq. 4) and updates
/// θ_i ← Σ_j W_ij θ_j + α g_i, g_i the gradient of
/// L_i^λ(θ) = V_i(θ) + (λ/|S|) Σ_s Σ_a (1/|A|) log π(a|s) (eq. 6–8, up to a constant) at its own
/// previous iterate (strategy `consensus`, lazy Metropolis weights in the paper's runs), plain
/// steps. With strategy `none` the same learners are the single-agent baselines SA-i.
public struct DCPGConfig: AlgorithmSettings {
    /// How g_i is computed: `exact` (eq. 8) or `monte-carlo` (REINFORCE over B episodes plus the
    /// exact regulariser gradient).
    public var gradient: DCPGGradient = .exact
    /// γ, the discount of every task.
    public var discount: Double = 0.9
    /// λ ≥ 0, the weight of the relative-entropy regulariser (eq. 7).
    public var lambda: Double = 0.001
    /// α, the constant step size. With exact gradients it must lie below the bound of eq. (10)
    /// (``stepSizeBound(states:taskCounts:weights:)``), and a larger one is refused.
    public var stepSize: Double = 0.001
    /// B, the episodes each Monte-Carlo estimate averages (at least one per copy of the batch).
    public var episodesPerUpdate = 10

    public init() {}

    enum CodingKeys: String, CodingKey {
        case gradient, discount, lambda
        case stepSize = "step_size", episodesPerUpdate = "episodes_per_update"
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
        return nil
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
        guard case .discrete(let states) = observation else {
            return "dcpg's \(settings.gradient.rawValue) gradient needs a finite task observed by its state index, but \(task) observes \(observation); a neural gradient mode is not available"
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
