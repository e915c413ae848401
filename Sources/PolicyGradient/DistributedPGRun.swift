import Communication
import Dispatch
import Envs
import Foundation
import NeuralNets
import Training

/// The driver of algorithm `pg` (paper 002): a central controller and M learners — the agents
/// of one multi-agent task — sharing its environment. Iteration k (one round):
///
/// 1. **broadcast** — the controller sends θ^k to the M learners (M messages of |θ| scalars,
///    `comm/broadcasts`);
/// 2. **collect** — the joint policy plays N episodes at once, the N copies of one batch reset
///    from the run seed and k, each copy's actions drawn from its own stream (seed, k, copy);
/// 3. **gradients** — learner m computes the N single-episode G(PO)MDP gradients of its loss
///    ℓ_m = −r_m (eq. 29), their mean ĝ_m(θ^k) (eq. 10) and σ̂²_m (``episodeGradientStatistics(_:episodes:size:mean:)``);
/// 4. **upload** — PG (strategy `central`, Algorithm 1): every learner uploads ĝ_m. LAPG
///    (`lazy-aggregation`, Algorithm 2): learner m uploads δ_m = ĝ_m(θ^k) − ĝ_m(θ̂_m) only when
///    condition (16) holds (``lazyUploadThreshold(xi:parameterChanges:stepSize:learners:variance:)``),
///    always at its first round; each upload is one message of |θ| scalars (`comm/uploads`);
/// 5. **update** — the controller forms ∇̂ = Σ_m ĝ_m(θ̂_m) (``aggregateGradients(_:into:)``) and
///    steps θ^{k+1} = θ^k − α∇̂ + β(θ^k − θ^{k−1}) with ``HeavyBallMomentum`` (β = 0: plain).
///
/// Guarantees: every draw comes from the run seed and the round, and the environment batch is
/// bit-identical on any number of threads, so the same seed gives the same metrics whatever
/// `threads`; a checkpoint (θ, the momentum, the lagged copies, the parameter-change history,
/// the counters) restores a killed run exactly.
public struct DistributedPGRun: RunSession {
    public let plan: RunPlan
    public let settings: DistributedPGConfig
    public let directory: RunDirectory
    /// LAPG's ξ and σ² rule (nil: PG).
    public let lazy: LazyAggregationSettings?
    public private(set) var policy: FactoredSoftmaxPolicy
    var optimizer: HeavyBallMomentum
    /// θ^k.
    public private(set) var theta: [Float]
    /// The controller's copies ĝ_m(θ̂_m), one per learner.
    public private(set) var lagged: [[Double]]
    /// Whether learner m has uploaded yet.
    public private(set) var uploaded: [Bool]
    /// σ̂²_m(θ̂_m), the estimated variance of the gradient the controller holds for learner m.
    public private(set) var laggedVariance: [Double]
    /// `‖θ^{k+1−d} − θ^{k−d}‖²`, d = 1 … D, most recent first.
    public private(set) var changes: [Double]
    var environment: any MultiAgentVectorEnvironment
    let agents: Int, episodes: Int
    var round = 0, startRound = 0
    var environmentSteps = 0
    var elapsedBefore = 0.0
    var uploads = 0, broadcasts = 0, scalars = 0, rejected = 0
    /// Per agent, its recent episode returns; and the network-averaged ones.
    var recentReturns: [[Double]]
    var recentAverage: [Double] = []
    /// The samples of L taken so far (`pg.smoothness_every`): the debiased ratios, and the raw ones.
    public private(set) var smoothness: [Double] = []
    public private(set) var smoothnessRaw: [Double] = []

    public var agentCount: Int { agents }

    public init(plan: RunPlan, settings: DistributedPGConfig, directory: RunDirectory, resume: Bool, keepMetrics: Bool = false) throws {
        self.plan = plan
        self.settings = settings
        self.directory = directory
        guard let task = plan.task as? any MultiAgentRegisteredTask else {
            throw TrainingError("algorithm pg trains multi-agent tasks, but \(plan.task.id) is a single-agent task")
        }
        if plan.strategy.name == LazyAggregationSettings.name {
            lazy = try resolveSettings(LazyAggregationSettings.self, from: plan.config.strategySettings, defaults: LazyAggregationSettings(),
                                       context: "lazy-aggregation settings")
        } else {
            lazy = nil
        }
        episodes = settings.episodes
        environment = try task.makeMultiAgentVector([JSONValue](repeating: plan.tasks[0], count: episodes), threads: plan.config.threads)
        agents = environment.agents
        var choices: [Int] = []
        for (m, space) in environment.actionSpaces.enumerated() {
            guard case .discrete(let n) = space else {
                throw TrainingError("algorithm pg gives every agent a softmax policy over discrete actions, but agent \(m) of \(plan.task.id) acts in \(space); use the task's discrete actions")
            }
            choices.append(n)
        }
        policy = try FactoredSoftmaxPolicy(observationSizes: environment.observationSpaces.map(\.size), actionChoices: choices,
                                           hidden: settings.hidden, activation: settings.activation,
                                           seed: deriveSeed(plan.config.seed, 0x5047_494E), batchCapacity: episodes)  // "PGIN"
        theta = policy.parameters
        optimizer = HeavyBallMomentum(schedule: .constant(Float(settings.learningRate)), momentum: Float(settings.momentum))
        optimizer.velocity = [Float](repeating: 0, count: theta.count)
        lagged = [[Double]](repeating: [Double](repeating: 0, count: theta.count), count: agents)
        uploaded = [Bool](repeating: false, count: agents)
        laggedVariance = [Double](repeating: 0, count: agents)
        changes = [Double](repeating: 0, count: lazy?.xi.count ?? 0)
        recentReturns = [[Double]](repeating: [], count: agents)
        guard resume else { return }
        guard let checkpoint = try directory.latestValidCheckpoint() else {
            if !keepMetrics { try directory.truncateMetrics(after: 0) }
            return
        }
        let t = checkpoint.tensors
        guard let savedTheta = t["theta"], savedTheta.count == theta.count, let velocity = t["velocity"], velocity.count == theta.count,
              let bits = t["lagged.bits"], bits.count == 2 * agents * theta.count, let flags = t["uploaded"], flags.count == agents,
              let history = t["changes.bits"], history.count == 2 * changes.count else {
            throw TrainingError("\(checkpoint.name) cannot be restored: it lacks this run's θ, momentum, lagged gradients or history")
        }
        theta = savedTheta
        try policy.setParameters(theta)
        optimizer.velocity = velocity
        let flat = decodeDoubleBits(bits)
        lagged = (0..<agents).map { Array(flat[$0 * theta.count..<($0 + 1) * theta.count]) }
        uploaded = flags.map { $0 != 0 }
        laggedVariance = decodeDoubleBits(t["lagged_variance.bits"] ?? encodeDoubleBits(laggedVariance))
        changes = decodeDoubleBits(history)
        for m in 0..<agents { recentReturns[m] = decodeDoubleBits(t["agent.\(m).recent_returns.bits"] ?? []) }
        recentAverage = decodeDoubleBits(t["recent_average.bits"] ?? [])
        startRound = checkpoint.round
        round = startRound
        let meta = checkpoint.metadata
        environmentSteps = Int(meta["env_steps"] ?? "0") ?? 0
        elapsedBefore = Double(meta["wall_seconds"] ?? "0") ?? 0
        uploads = Int(meta["uploads"] ?? "0") ?? 0
        broadcasts = Int(meta["broadcasts"] ?? "0") ?? 0
        scalars = Int(meta["scalars"] ?? "0") ?? 0
        rejected = Int(meta["rejected"] ?? "0") ?? 0
        smoothness = (meta["smoothness"] ?? "").split(separator: ",").compactMap { Double(String($0)) }
        smoothnessRaw = (meta["smoothness_raw"] ?? "").split(separator: ",").compactMap { Double(String($0)) }
        if !keepMetrics { try directory.truncateMetrics(after: startRound) }
    }

    /// One round's episodes: per agent its observations (row `t·N + n`), actions and rewards, and
    /// the last step of each copy's episode.
    struct Episodes {
        var observations: [[Float]]
        var actions: [[Float]]
        var rewards: [[Float]]
        var lastStep: [Int]
        var steps = 0
    }

    /// Plays the N joint episodes of round `r` (phase 2).
    mutating func collect(round r: Int) throws -> Episodes {
        let e = try Self.play(policy: &policy, environment: &environment, copies: episodes, agents: agents,
                              resetSeed: deriveSeed(deriveSeed(plan.config.seed, 0x4C41_5047), UInt64(r)),  // "LAPG"
                              actionSeed: deriveSeed(deriveSeed(plan.config.seed, RandomStream.actions), UInt64(r)), task: "\(plan.task.id)")
        for c in 0..<episodes { environmentSteps += e.lastStep[c] + 1 }
        return e
    }

    /// `n` joint episodes at once, the copies of `environment` reset from `resetSeed` and copy
    /// c's actions drawn from the stream (`actionSeed`, c).
    static func play(policy: inout FactoredSoftmaxPolicy, environment: inout any MultiAgentVectorEnvironment, copies n: Int, agents: Int,
                     resetSeed: UInt64, actionSeed: UInt64, task: String) throws -> Episodes {
        var batch = environment.makeBatch()
        environment.reset(seed: resetSeed, into: &batch)
        var generators = (0..<n).map { RandomGenerator(seed: actionSeed, index: UInt64($0)) }
        var out = Episodes(observations: [[Float]](repeating: [], count: agents), actions: [[Float]](repeating: [], count: agents),
                           rewards: [[Float]](repeating: [], count: agents), lastStep: [Int](repeating: -1, count: n))
        var actions = [Float](repeating: 0, count: environment.actionCount)
        var remaining = n, t = 0
        while remaining > 0 {
            for m in 0..<agents {
                out.observations[m] += batch.observations(agent: m)
                try policy.act(agent: m, observations: batch.observations(agent: m), rows: n, greedy: false, generators: &generators,
                               into: &actions, at: m * n)
                out.actions[m] += actions[(m * n)..<((m + 1) * n)]
            }
            try environment.step(actions, into: &batch)
            for m in 0..<agents { out.rewards[m] += batch.rewards[(m * n)..<((m + 1) * n)] }
            for c in 0..<n where out.lastStep[c] < 0 && batch.ended(c) {
                out.lastStep[c] = t
                remaining -= 1
            }
            t += 1
            guard t < 1_000_000 else { throw TrainingError("an episode of \(task) did not end; give the task a time limit (max_episode_steps)") }
        }
        out.steps = t
        return out
    }

    /// Phase 3: every learner's N per-episode gradients, ĝ_m and σ̂²_m.
    mutating func gradients(_ e: Episodes) throws -> (means: [[Float]], variances: [Double]) {
        let n = episodes, p = theta.count
        let perEpisode = try Self.perEpisodeGradients(policy: &policy, observationSizes: environment.observationSpaces.map(\.size), episodes: e,
                                                      copies: n, size: p, agents: agents, discount: Float(settings.discount), combined: false)
        var means: [[Float]] = [], variances: [Double] = []
        for l in 0..<agents {
            var mean: [Float] = []
            variances.append(episodeGradientStatistics(perEpisode[l], episodes: n, size: p, mean: &mean))
            means.append(mean)
        }
        return (means, variances)
    }

    /// The single-episode G(PO)MDP gradients (eq. 29) of every learner's loss ℓ_l = −r_l, row
    /// `c·p` of entry l for copy c; with `combined`, one entry, the gradient of Σ_l ℓ_l (that of
    /// the overall loss L, eq. 7).
    static func perEpisodeGradients(policy: inout FactoredSoftmaxPolicy, observationSizes: [Int], episodes e: Episodes, copies n: Int,
                                    size p: Int, agents: Int, discount gamma: Float, combined: Bool) throws -> [[Float]] {
        var perEpisode = [[Float]](repeating: [Float](repeating: 0, count: n * p), count: combined ? 1 : agents)
        for c in 0..<n {
            let steps = e.lastStep[c] + 1
            // w^l_τ = Σ_{t≥τ} γ^t ℓ_l(s_t, a_t) with ℓ_l = −r_l (eq. 9), for every learner l.
            var weights = (0..<agents).map { l in gpomdpWeights(rewards: (0..<steps).map { -e.rewards[l][$0 * n + c] }, discount: gamma) }
            if combined { weights = [(0..<steps).map { t in weights.reduce(0) { $0 + $1[t] } }] }
            for m in 0..<agents {
                let o = observationSizes[m]
                var obs = [Float](repeating: 0, count: steps * o), acts = [Float](repeating: 0, count: steps)
                for t in 0..<steps {
                    for i in 0..<o { obs[t * o + i] = e.observations[m][(t * n + c) * o + i] }
                    acts[t] = e.actions[m][t * n + c]
                }
                try policy.accumulateEpisodeGradients(agent: m, observations: obs, actions: acts, steps: steps, weights: weights,
                                                      into: &perEpisode, rowOffset: c * p)
            }
        }
        return perEpisode
    }

    mutating func recordSmoothness(_ samples: [(raw: Double, debiased: Double)]) {
        smoothness += samples.map(\.debiased)
        smoothnessRaw += samples.map(\.raw)
    }

    /// Samples of L (Lemma 3) at θ^k (`pg.smoothness_every`): for each pair, the gradients of the
    /// overall loss at θ^k ∓ (r/2)u over `smoothness_episodes` episodes played from the same reset
    /// and action streams at both points (common random numbers, so that their difference is the
    /// change of the gradient rather than fresh sampling noise), and ``smoothnessSample(_:_:episodes:size:distance:)``.
    /// u is the direction of the last step θ^k − θ^{k−1} (the heavy-ball velocity) when there was
    /// one, then random unit directions. Uses its own streams: the run's draws are unchanged.
    mutating func smoothnessSamples() throws -> [(raw: Double, debiased: Double)] {
        guard let task = plan.task as? any MultiAgentRegisteredTask else { return [] }
        let n = settings.smoothnessEpisodes, p = theta.count, r = settings.smoothnessRadius
        var env = try task.makeMultiAgentVector([JSONValue](repeating: plan.tasks[0], count: n), threads: plan.config.threads)
        var probe = try FactoredSoftmaxPolicy(observationSizes: environment.observationSpaces.map(\.size), actionChoices: policy.heads.map(\.actionChoices),
                                              hidden: settings.hidden, activation: settings.activation, seed: 0, batchCapacity: n)
        let base = deriveSeed(deriveSeed(plan.config.seed, 0x4C53_4D54), UInt64(round))  // "LSMT"
        var directions = RandomGenerator(seed: base, index: 0)
        var out: [(raw: Double, debiased: Double)] = []
        for j in 0..<settings.smoothnessPairs {
            var u = [Double](repeating: 0, count: p)
            if j == 0, optimizer.velocity.contains(where: { $0 != 0 }) {
                for i in 0..<p { u[i] = Double(optimizer.velocity[i]) }
            } else {
                for i in 0..<p { u[i] = directions.normal() }
            }
            let norm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let first = (0..<p).map { Float(Double(theta[$0]) - r / 2 * u[$0] / norm) }
            let second = (0..<p).map { Float(Double(theta[$0]) + r / 2 * u[$0] / norm) }
            var distance = 0.0
            for i in 0..<p { let d = Double(second[i]) - Double(first[i]); distance += d * d }
            var rows: [[Float]] = []
            for point in [first, second] {
                try probe.setParameters(point)
                let e = try Self.play(policy: &probe, environment: &env, copies: n, agents: agents, resetSeed: deriveSeed(base, UInt64(2 * j + 1)),
                                      actionSeed: deriveSeed(base, UInt64(2 * j + 2)), task: "\(plan.task.id)")
                rows.append(try Self.perEpisodeGradients(policy: &probe, observationSizes: environment.observationSpaces.map(\.size), episodes: e,
                                                         copies: n, size: p, agents: agents, discount: Float(settings.discount), combined: true)[0])
            }
            out.append(smoothnessSample(rows[0], rows[1], episodes: n, size: p, distance: distance.squareRoot()))
        }
        return out
    }

    /// What one round did, for the metrics.
    struct RoundOutcome {
        var averageReturns: [Double] = []
        var agentReturns: [[Double]] = []
        var uploaders = 0
        var gradientNorm = 0.0
        var variance = 0.0
    }

    mutating func runRound() throws -> RoundOutcome {
        var outcome = RoundOutcome()
        let p = theta.count
        // 1. Broadcast θ^k.
        broadcasts += agents
        scalars += agents * p
        // 2. Collect.
        let e = try collect(round: round)
        let n = episodes
        outcome.agentReturns = [[Double]](repeating: [], count: agents)
        for c in 0..<n {
            var sum = 0.0
            for m in 0..<agents {
                var r = 0.0
                for t in 0...e.lastStep[c] { r += Double(e.rewards[m][t * n + c]) }
                outcome.agentReturns[m].append(r)
                sum += r
            }
            outcome.averageReturns.append(sum / Double(agents))
        }
        // 3. Gradients.
        let (fresh, variances) = try gradients(e)
        outcome.variance = variances.reduce(0, +) / Double(agents)
        // 4. Uploads.
        for m in 0..<agents {
            if let lazy {
                let sigma2 = lapgVarianceTerm(lazy.variance, fresh: variances[m], lagged: laggedVariance[m])
                let threshold = lazyUploadThreshold(xi: lazy.xi, parameterChanges: changes, stepSize: settings.learningRate,
                                                    learners: agents, variance: sigma2)
                guard !uploaded[m] || lazyShouldUpload(innovation: innovationSquaredNorm(fresh: fresh[m], lagged: lagged[m]), threshold: threshold) else { continue }
                _ = applyInnovation(fresh[m], to: &lagged[m])
                laggedVariance[m] = variances[m]
            } else {
                lagged[m] = fresh[m].map(Double.init)
            }
            uploaded[m] = true
            uploads += 1
            scalars += p
            outcome.uploaders += 1
        }
        // 5. Update.
        var aggregate: [Float] = []
        aggregateGradients(lagged, into: &aggregate)
        var norm2 = 0.0
        for g in aggregate { norm2 += Double(g) * Double(g) }
        outcome.gradientNorm = norm2.squareRoot()
        if norm2.isFinite {
            let old = theta
            var next = theta, heavyBall = optimizer
            let alpha = Float(settings.learningRate), k = round
            aggregate.withUnsafeBufferPointer { g in
                next.withUnsafeMutableBufferPointer { t in heavyBall.update(parameters: t, gradient: g, learningRate: alpha, step: k) }
            }
            theta = next
            optimizer = heavyBall
            var moved = 0.0
            for i in 0..<p { let d = Double(theta[i]) - Double(old[i]); moved += d * d }
            if !changes.isEmpty {
                changes.insert(moved, at: 0)
                changes.removeLast()
            }
            try policy.setParameters(theta)
        } else {
            rejected += 1
        }
        for m in 0..<agents {
            recentReturns[m] += outcome.agentReturns[m]
            if recentReturns[m].count > plan.config.returnWindow { recentReturns[m].removeFirst(recentReturns[m].count - plan.config.returnWindow) }
        }
        recentAverage += outcome.averageReturns
        if recentAverage.count > plan.config.returnWindow { recentAverage.removeFirst(recentAverage.count - plan.config.returnWindow) }
        round += 1
        return outcome
    }

    public mutating func run(stopAfter: Int?, progress: ((TrainingProgress) -> Void)?) throws -> JSONValue? {
        let config = plan.config
        let start = DispatchTime.now().uptimeNanoseconds
        func wall() -> Double { elapsedBefore + Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        var interval: [RoundOutcome] = []
        while round < config.rounds && !(config.maxEnvironmentSteps > 0 && environmentSteps >= config.maxEnvironmentSteps)
                && !(config.maxWallSeconds > 0 && wall() >= config.maxWallSeconds) {
            if round % config.checkpointEvery == 0 && round > startRound { try writeCheckpoint(wallSeconds: wall()) }
            if let stopAfter, round >= stopAfter { return nil }
            // Samples of L at θ^k every `smoothness_every` iterations (before the round)…
            if settings.smoothnessEvery > 0 && round % settings.smoothnessEvery == 0 { recordSmoothness(try smoothnessSamples()) }
            interval.append(try runRound())
            if round % config.logEvery == 0 || round >= config.rounds {
                try directory.appendMetrics(metricsLine(interval, wallSeconds: wall()))
                if let progress {
                    let w = wall()
                    progress(TrainingProgress(round: round, rounds: config.rounds, meanReturn: meanRecent(), messages: uploads + broadcasts,
                                              environmentSteps: environmentSteps, stepsPerSecond: Double(environmentSteps) / max(w, 1e-9), wallSeconds: w,
                                              secondsLeft: w / Double(max(1, round - startRound)) * Double(config.rounds - round),
                                              finished: round >= config.rounds))
                }
                interval = []
            }
        }
        // and once at the end (a run resumed from its final checkpoint has taken that probe already).
        if settings.smoothnessEvery > 0 && round > startRound { recordSmoothness(try smoothnessSamples()) }
        try writeCheckpoint(wallSeconds: wall())
        return try finish(wallSeconds: wall())
    }

    func meanRecent() -> Double? { recentAverage.isEmpty ? nil : recentAverage.reduce(0, +) / Double(recentAverage.count) }

    func metricsLine(_ interval: [RoundOutcome], wallSeconds: Double) -> JSONValue {
        func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }
        let returns = interval.flatMap(\.averageReturns)
        let rounds = Double(max(1, interval.count))
        var values: [Metric: Double] = [
            .round: Double(round), .envSteps: Double(environmentSteps), .wallSeconds: wallSeconds,
            .episodes: Double(returns.count), .rejectedUpdates: Double(rejected),
            .messages: Double(uploads + broadcasts), .uploads: Double(uploads), .broadcasts: Double(broadcasts),
            .scalars: Double(scalars), .bytes: Double(4 * scalars), .missing: 0,
            .messageFrequency: interval.reduce(0.0) { $0 + Double($1.uploaders) } / Double(agents) / rounds,
            .messageSize: Double(theta.count),
            .gradientNorm: interval.reduce(0.0) { $0 + $1.gradientNorm } / rounds,
            .learningRate: settings.learningRate,
            .stepsPerSecond: Double(environmentSteps) / max(wallSeconds, 1e-9),
        ]
        values[.episodeReturn] = mean(returns)
        values[.taskMeanReturn] = mean(returns)
        values[.meanRecentReturn] = meanRecent()
        values[.episodeLength] = nil
        let agentReturns = recentReturns.map { r -> JSONValue in mean(r).map(JSONValue.real) ?? .null }
        return MetricsLine(values: values, agentReturns: agentReturns, taskReturns: [mean(returns).map(JSONValue.real) ?? .null]).json
    }

    func writeCheckpoint(wallSeconds: Double) throws {
        var tensors = [CheckpointTensor(name: "theta", shape: [theta.count], values: theta),
                       CheckpointTensor(name: "velocity", shape: [theta.count], values: optimizer.velocity),
                       CheckpointTensor(name: "lagged.bits", shape: [2 * agents * theta.count], values: encodeDoubleBits(lagged.flatMap { $0 })),
                       CheckpointTensor(name: "uploaded", shape: [agents], values: uploaded.map { $0 ? 1 : 0 }),
                       CheckpointTensor(name: "lagged_variance.bits", shape: [2 * agents], values: encodeDoubleBits(laggedVariance)),
                       CheckpointTensor(name: "changes.bits", shape: [2 * changes.count], values: encodeDoubleBits(changes)),
                       CheckpointTensor(name: "recent_average.bits", shape: [2 * recentAverage.count], values: encodeDoubleBits(recentAverage))]
        for m in 0..<agents {
            tensors.append(CheckpointTensor(name: "agent.\(m).recent_returns.bits", shape: [2 * recentReturns[m].count],
                                            values: encodeDoubleBits(recentReturns[m])))
            // Each agent's policy in PyTorch's names and shapes, for loading elsewhere.
            let net = policy.networks[m]
            for (k, layer) in net.layers.enumerated() {
                tensors.append(CheckpointTensor(name: "agent.\(m).actor.layers.\(k).weight", shape: [layer.outputCount, layer.inputCount],
                                                values: Array(net.parameters.values(of: "layers.\(k).weight") ?? [])))
                tensors.append(CheckpointTensor(name: "agent.\(m).actor.layers.\(k).bias", shape: [layer.outputCount],
                                                values: Array(net.parameters.values(of: "layers.\(k).bias") ?? [])))
            }
        }
        let net = policy.networks[0]
        try directory.writeCheckpoint(round: round, tensors: tensors, metadata: [
            "env_steps": String(environmentSteps), "wall_seconds": String(wallSeconds), "uploads": String(uploads),
            "broadcasts": String(broadcasts), "scalars": String(scalars), "rejected": String(rejected),
            "smoothness": smoothness.map { String($0) }.joined(separator: ","),
            "smoothness_raw": smoothnessRaw.map { String($0) }.joined(separator: ","),
            "seed": String(plan.config.seed), "algorithm": plan.algorithm.name, "strategy": plan.strategy.name, "agents": String(agents),
            "actor_sizes": net.sizes.map(String.init).joined(separator: ","),
            "actor_activations": net.layers.map { $0.activation.rawValue }.joined(separator: ","),
        ])
    }

    mutating func finish(wallSeconds: Double) throws -> JSONValue {
        let config = plan.config
        var evalReturns: [Double] = []
        if config.evalEpisodes > 0 {
            let seed = deriveSeed(config.seed ^ RandomStream.evaluationTasks, 0)
            var perAgent: [[Double]] = []
            for m in 0..<agents {
                perAgent.append(try evaluate(agent: m, task: plan.task, parameters: plan.tasks[0], episodes: config.evalEpisodes, greedy: config.evalGreedy, seed: seed))
            }
            evalReturns = (0..<config.evalEpisodes).map { e in perAgent.reduce(0.0) { $0 + $1[e] } / Double(agents) }
        }
        func mean(_ v: [Double]) -> JSONValue { v.isEmpty ? .null : .real(v.reduce(0, +) / Double(v.count)) }
        let summary = JSONValue.object([
            ("mean_train_return", meanRecent().map(JSONValue.real) ?? .null),
            ("mean_task_return", meanRecent().map(JSONValue.real) ?? .null),
            ("mean_eval_return", mean(evalReturns)),
            ("eval_return_per_task", .array([mean(evalReturns)])),
            ("eval_held_out", .object([])),
            ("messages", .integer(uploads + broadcasts)), ("uploads", .integer(uploads)), ("broadcasts", .integer(broadcasts)),
            ("scalars", .integer(scalars)), ("bytes", .integer(4 * scalars)),
            ("env_steps", .integer(environmentSteps)),
            ("env_steps_per_second", .real(Double(environmentSteps) / max(wallSeconds, 1e-9))),
            ("wall_seconds", .real(wallSeconds)),
            ("rounds", .integer(round)), ("agents", .integer(agents)),
            ("smoothness_estimate", smoothness.max().map(JSONValue.real) ?? .null),
            ("smoothness_samples", .array(smoothness.map(JSONValue.real))),
            ("smoothness_raw_estimate", smoothnessRaw.max().map(JSONValue.real) ?? .null),
            ("algorithm", .string(config.algorithm)), ("architecture", .string(config.architecture.rawValue)),
            ("strategy", .string(config.resolvedStrategy)),
            ("seed", config.seed < (1 << 53) ? .integer(Int(config.seed)) : .string(String(config.seed))),
        ])
        try directory.writeSummary(summary)
        return summary
    }

    /// Agent `agent`'s returns in `count` test episodes of the joint policy (every agent acting
    /// with its own network; the mode of each softmax when `greedy`).
    public mutating func evaluate(agent: Int, task: any RegisteredTask, parameters: JSONValue, episodes count: Int, greedy: Bool,
                                  seed: UInt64) throws -> [Double] {
        guard count > 0 else { return [] }
        guard let multi = task as? any MultiAgentRegisteredTask else {
            throw TrainingError("a pg policy acts in multi-agent tasks, but \(task.id) is a single-agent task")
        }
        guard agent >= 0 && agent < agents else { throw TrainingError("agent \(agent) is outside the run's \(agents) agents") }
        var env = try multi.makeMultiAgentVector([JSONValue](repeating: parameters, count: count), threads: 1)
        guard env.agents == agents, env.observationSpaces.map(\.size) == environment.observationSpaces.map(\.size) else {
            throw TrainingError("the evaluation task has other agents or observations than the run's")
        }
        var batch = env.reset(seed: seed)
        var generators = (0..<count).map { RandomGenerator(seed: seed, index: RandomStream.evaluation + UInt64($0)) }
        var returns = [Double?](repeating: nil, count: count)
        var actions = [Float](repeating: 0, count: env.actionCount)
        var evalPolicy = policy
        var steps = 0
        while returns.contains(where: { $0 == nil }) {
            guard steps < 1_000_000 else { throw TrainingError("test episodes of \(task.id) did not end within 1000000 steps") }
            for m in 0..<agents {
                try evalPolicy.act(agent: m, observations: batch.observations(agent: m), rows: count, greedy: greedy, generators: &generators,
                                   into: &actions, at: m * count)
            }
            try env.step(actions, into: &batch)
            steps += 1
            for i in 0..<count where returns[i] == nil && batch.ended(i) { returns[i] = Double(batch.episodes.returns[agent * count + i]) }
        }
        return returns.map { $0! }
    }
}
