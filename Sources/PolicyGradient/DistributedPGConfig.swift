import Envs
import NeuralNets
import Training

/// `pg`: the distributed policy gradient of paper 002 (Chen et al., LAPG) in its multi-agent
/// setting — a central controller holding θ = (θ_1 … θ_M) and its optimiser, and M learners, the
/// agents of one multi-agent task, each computing the G(PO)MDP gradient of its own loss ℓ_m
/// over N joint episodes (eq. 10). The strategy picks the algorithm:
/// - `central`: PG, Algorithm 1 — every learner uploads ĝ_m every round and the controller steps
///   with Σ_m ĝ_m (eq. 11);
/// - `lazy-aggregation`: LAPG, Algorithm 2 — learner m uploads its innovation δ_m only when
///   condition (16) holds, the controller steps with its lagged sum ∇̂ (eq. 12–13); ξ and the
///   σ² rule are the strategy's settings (`lazy-aggregation.xi`, `lazy-aggregation.variance`).
///
/// One algorithm with two strategies rather than two algorithms: the learners, the policy and
/// the controller's optimiser are the same, and the difference is exactly what a strategy is in
/// Shoal — who sends what, when.
///
/// The policy is factored: agent m acts with its own softmax policy π_m(a_m | o_m; θ_m), an MLP
/// with ``hidden`` layers (paper: 30-10 for M = 2, 50-20 for M = 5) and ``activation`` (ReLU, or
/// softplus for Fig. 7), so ∇log π(a|s; θ) stacks the agents' ∇_{θ_m} log π_m. The run driver is
/// ``DistributedPGRun``.
public struct DistributedPGConfig: SessionAlgorithmSettings {
    /// γ of the cumulative loss (paper §5: 0.99).
    public var discount = 0.99
    /// N, the joint episodes per iteration every learner's gradient averages (eq. 10; paper: 10
    /// for M = 2, 8 for M = 5). The episodes are the copies of the environment batch, played
    /// until each has ended once (T = the task's `max_episode_steps`; paper: 20).
    public var episodes = 10
    /// α, the controller's step size (paper: 0.01).
    public var learningRate = 0.01
    /// β of the controller's heavy-ball momentum, θ^{k+1} = θ^k − α∇̂^k + β(θ^k − θ^{k−1})
    /// (paper: 0.6 with momentum; 0: the plain step of Fig. 3).
    public var momentum = 0.6
    /// Hidden layers of every agent's policy network.
    public var hidden: [Int] = [30, 10]
    /// Their activation (`relu`, `softplus`, `tanh`).
    public var activation: Activation = .relu
    /// Estimate the smoothness constant L of Lemma 3 (eq. 19) near the trajectory every this
    /// many iterations (0: never): at θ^k, `smoothness_pairs` pairs θ^k ∓ (r/2)u — u the last
    /// step's direction, then random unit directions; r = `smoothness_radius` — each give
    /// `‖∇̂L(θ₁) − ∇̂L(θ₂)‖ / ‖θ₁ − θ₂‖` with ∇̂L = Σ_m ĝ_m over `smoothness_episodes` episodes
    /// played with the same random numbers at both points; the summary reports the largest
    /// (`smoothness_estimate`), which Theorem 1's α ≤ (1 − 3Σξ)/L is checked against.
    public var smoothnessEvery = 0
    /// Episodes per gradient of a smoothness probe (large N: the difference must not be noise).
    public var smoothnessEpisodes = 400
    /// Pairs per probe.
    public var smoothnessPairs = 2
    /// ‖θ₁ − θ₂‖ of a probe pair.
    public var smoothnessRadius = 0.05

    public init() {}

    enum CodingKeys: String, CodingKey {
        case discount, episodes, momentum, hidden, activation
        case learningRate = "learning_rate"
        case smoothnessEvery = "smoothness_every", smoothnessEpisodes = "smoothness_episodes"
        case smoothnessPairs = "smoothness_pairs", smoothnessRadius = "smoothness_radius"
    }

    public static var name: String { "pg" }
    public static var summary: String { "paper 002's controller and M learners in one multi-agent task: PG (strategy central) or LAPG (lazy-aggregation)" }
    public static var source: String { "paper 002, Algorithms 1 and 2, eq. 10–16" }
    public static var architectures: [Architecture] { [.decentralised] }
    public static var strategies: [String] { ["central", "lazy-aggregation"] }
    public static var actions: ActionSupport { .discrete }
    public static var defaultStrategy: String? { "central" }
    public static var multiAgentTasks: Bool { true }

    public static func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String? {
        if config.copiesPerTask != 1 {
            return "algorithm pg plays its N episodes as the copies of one batch (pg.episodes), so copies_per_task must be 1, got \(config.copiesPerTask)"
        }
        if config.linkDrop > 0 || config.linkNoise > 0 {
            return "algorithm pg exchanges gradients with its controller without links that fail, so link_drop and link_noise must be 0"
        }
        if config.resolvedStrategy == "lazy-aggregation", config.strategySettings["variance"]?.stringValue ?? "estimated" != "zero",
           let n = config.algorithmSettings["episodes"]?.doubleValue, n < 2 {
            return "LAPG estimates σ²_m from the spread of the N per-episode gradients, so pg.episodes must be at least 2 (or set lazy-aggregation.variance=zero), got \(Int(n))"
        }
        return nil
    }

    public func validationProblem() -> String? {
        if !(discount > 0 && discount <= 1) { return "discount γ must lie in (0, 1], got \(discount)" }
        if episodes < 1 { return "episodes N must be at least 1, got \(episodes)" }
        if !(learningRate > 0 && learningRate.isFinite) { return "learning_rate α must be a positive number, got \(learningRate)" }
        if !(momentum >= 0 && momentum < 1) { return "momentum β must lie in [0, 1), got \(momentum)" }
        if hidden.contains(where: { $0 < 1 }) { return "hidden must list positive layer widths, got \(hidden)" }
        if smoothnessEvery < 0 { return "smoothness_every must be 0 (no estimate of L) or a positive number of iterations, got \(smoothnessEvery)" }
        if smoothnessEpisodes < 1 { return "smoothness_episodes must be at least 1, got \(smoothnessEpisodes)" }
        if smoothnessPairs < 1 { return "smoothness_pairs must be at least 1, got \(smoothnessPairs)" }
        if !(smoothnessRadius > 0 && smoothnessRadius.isFinite) { return "smoothness_radius must be a positive number, got \(smoothnessRadius)" }
        return nil
    }

    public func openSession(plan: RunPlan, directory: RunDirectory, resume: Bool, keepMetrics: Bool) throws -> any RunSession {
        try DistributedPGRun(plan: plan, settings: self, directory: directory, resume: resume, keepMetrics: keepMetrics)
    }
}
