import Envs
import Training

/// Dist-MTPS, distributed multitask policy search (El Bsat, Bou Ammar & Taylor, AAAI 2017), the
/// baseline of paper 000 §II and §VI-B (Fig. 3): a factored linear Gaussian policy per task,
/// `a ~ N(θ_kᵀφ(x), σ²)` with `θ_k = L s_k`, φ(x) the raw observation followed by a constant 1
/// (d = observation size + 1), L ∈ R^{d×r} a latent basis shared by all tasks and s_k ∈ R^r the
/// task's coefficients. Each round alternates
/// 1. **s-step** — with L fixed, agent k fits `s_k = argmin ½‖L s − θ̃_k‖² + ½κ‖s‖²` to its last
///    local target θ̃_k (a ridge solve, ``ridgeCoefficients(basis:target:ridge:d:r:into:)``);
/// 2. **policy search** — it plays ``episodes`` episodes of its task with θ_k = L s_k and forms a
///    new local target θ̃_k with ``policySearch`` (REINFORCE: θ̃ = θ + η ĝ; PoWER: the
///    reward-weighted average of the explored parameters);
/// 3. **L-step** — the agents agree on L by sequential distributed ADMM over the graph (strategy
///    `admm`, ``ADMMConsensus``; ρ and the passes are the strategy's settings), each with the local
///    cost `½‖L s_k − θ̃_k‖² + (μ/N)‖L‖²_F` (``distMTPSLocalCost(coefficients:target:mu:agents:d:r:a:b:)``),
///    whose consensus minimiser is the centralised fit of L to every task's target.
///
/// **Reconstructed.** Paper 000 gives only this structure. The original formulates the L- and
/// s-problems on the policy-search objective itself (with an L1 penalty on s_k); here each
/// agent's objective in L is the quadratic surrogate above built from its policy-search step,
/// s_k is fitted by ridge rather than L1, the ADMM order is the agents' index order on any
/// connected graph (Wei & Ozdaglar's scheme does not need a Hamiltonian cycle), and every
/// constant below (r, μ, κ, η, σ, σ_θ, the elite size, the episodes) is our choice, stated with
/// its default; η, σ and σ_θ were picked by a small sweep on the 25 continuous cart-poles (seed 0,
/// 400 rounds: η ∈ {0.3, 1, 3} × σ ∈ {0.5, 1, 2}, σ_θ ∈ {0.3, 1, 3}). The mean is not clipped: the task clips the force to its range ([−10, 10] N on
/// cart-pole), and the likelihood is that of the unclipped Gaussian draw.
public struct DistMTPSConfig: AlgorithmSettings {
    /// The inner policy search: `reinforce` or `power` (paper 000 compares both).
    public var policySearch: DistMTPSPolicySearch = .reinforce
    /// r, the number of columns of the shared basis L (1 ≤ r ≤ d). 3 of d = 5 on cart-pole.
    public var rank = 3
    /// μ, the weight of ‖L‖²_F (spread as μ/N over the N agents' local costs).
    public var mu = 0.1
    /// κ, the ridge weight of the s-step, ½κ‖s_k‖².
    public var ridge = 0.01
    /// Episodes each agent plays per round (paper 000, Fig. 3: 5 per agent, 5N per epoch in all).
    public var episodes = 5
    /// η, REINFORCE's step: θ̃ = θ + η ĝ with
    /// `ĝ = (1/M) Σ_i Â_i Σ_t ∇_θ log π(a_t | x_t)` over the M episodes, Â_i the episode's return
    /// standardised over the round's episodes (a baseline and a scale; hence `episodes` ≥ 2).
    public var learningRate = 0.3
    /// σ, REINFORCE's exploration: the standard deviation of the Gaussian action.
    public var actionStd = 2.0
    /// σ_θ, PoWER's exploration: each episode plays θ_i = θ + σ_θ ε_i, ε_i ~ N(0, I), acting with
    /// the deterministic mean θ_iᵀφ(x).
    public var parameterStd = 3.0
    /// PoWER's importance sampling (Kober & Peters 2009 §3): the update averages the best this
    /// many rollouts seen so far, ranked by return, not only the round's.
    public var elite = 10
    /// The standard deviation of the initial L's entries times √r (so that θ = L s starts with
    /// entries of about this size; s_k starts N(0, I) from the agent's seed, L from a seed the
    /// agents share, so they start in consensus).
    public var initialScale = 1.0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case rank, mu, ridge, episodes, elite
        case policySearch = "policy_search", learningRate = "learning_rate", actionStd = "action_std", parameterStd = "parameter_std"
        case initialScale = "initial_scale"
    }

    public static var name: String { "dist-mtps" }
    public static var summary: String { "Dist-MTPS: factored linear Gaussian policies θ_k = L s_k, L agreed by sequential ADMM, s_k by ridge; REINFORCE or PoWER inside" }
    public static var source: String { "El Bsat, Bou Ammar & Taylor (AAAI 2017) as paper 000 §II and §VI-B describe it; reconstructed (see the settings)" }
    public static var architectures: [Architecture] { [.decentralised] }
    public static var strategies: [String] { ["admm"] }
    public static var actions: ActionSupport { .box }
    public static var defaultStrategy: String? { "admm" }

    public static func runProblem(config: RunConfig, task: String, observation: Space, action: Space) -> String? {
        guard let settings = try? resolveSettings(DistMTPSConfig.self, from: config.algorithmSettings, defaults: DistMTPSConfig(), context: name) else { return nil }
        if action.size != 1 {
            return "algorithm dist-mtps's linear Gaussian policy acts with one real-valued action, but \(task) takes \(action.size)"
        }
        if case .discrete = observation {
            return "algorithm dist-mtps's features are the raw observation, but \(task) observes a discrete index"
        }
        let d = observation.size + 1
        if settings.rank > d {
            return "dist-mtps rank r = \(settings.rank) exceeds d = \(d) (the \(observation.size) observations of \(task) plus a bias); use 1 … \(d)"
        }
        if settings.episodes % config.copiesPerTask != 0 {
            return "dist-mtps plays its episodes on the copies of its batch, so episodes (\(settings.episodes)) must be a multiple of copies_per_task (\(config.copiesPerTask))"
        }
        return nil
    }

    public func validationProblem() -> String? {
        if rank < 1 { return "rank r must be at least 1, got \(rank)" }
        if !(mu > 0 && mu.isFinite) { return "mu μ must be a positive number, got \(mu)" }
        if !(ridge >= 0 && ridge.isFinite) { return "ridge κ must be 0 or positive, got \(ridge)" }
        if episodes < 1 { return "episodes must be at least 1, got \(episodes)" }
        if policySearch == .reinforce && episodes < 2 {
            return "dist-mtps with policy_search reinforce standardises returns over the round's episodes, so episodes must be at least 2, got \(episodes)"
        }
        if !(learningRate > 0 && learningRate.isFinite) { return "learning_rate η must be a positive number, got \(learningRate)" }
        if !(actionStd > 0 && actionStd.isFinite) { return "action_std σ must be a positive number, got \(actionStd)" }
        if !(parameterStd > 0 && parameterStd.isFinite) { return "parameter_std σ_θ must be a positive number, got \(parameterStd)" }
        if elite < 1 { return "elite must be at least 1, got \(elite)" }
        if !(initialScale > 0 && initialScale.isFinite) { return "initial_scale must be a positive number, got \(initialScale)" }
        return nil
    }

    public func makeLearner(_ context: LearnerContext) throws -> DistMTPSLearner {
        try DistMTPSLearner(config: self, context: context)
    }
}
