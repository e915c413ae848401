import Communication
import Envs
import NeuralNets
import Training

/// One Dist-MTPS agent (``DistMTPSConfig``; strategy `admm`). Its flat row is the ADMM row
/// (``ADMMRowLayout``): `[L | Λ | A | B | r]` — its copy of the shared basis L, its aggregate
/// multiplier Λ, and its local cost in L (A = s sᵀ + (2μ/N)I, B = θ̃ sᵀ). A round:
///
/// 1. **s-step** — `s_k ← (LᵀL + κI)⁻¹ Lᵀ θ̃_k` with the L the last exchange agreed on (skipped
///    before the first target exists); θ_k = L s_k;
/// 2. **collect** — ``DistMTPSConfig/episodes`` episodes, the batch's copies reset from the
///    segment seed, the round and the play: REINFORCE draws a ~ N(θᵀφ, σ²) every step and sums
///    each episode's score Σ_t ∇log π; PoWER draws θ_i = θ + σ_θ ε_i per episode and acts with
///    θ_iᵀφ;
/// 3. **target** — REINFORCE: θ̃ = θ + η (1/M) Σ_i Â_i score_i; PoWER: the rollouts join the
///    elite memory (the best ``DistMTPSConfig/elite`` by return) and θ̃ =
///    ``powerTarget(theta:explored:returns:into:)`` over it;
/// 4. **cost** — A and B are written into the row; the strategy's ADMM then moves L and Λ.
///
/// Randomness comes from the segment seed, the round and the copy, so the numbers do not depend
/// on the thread count; the checkpoint holds the row, s, θ̃, the elite memory and the round.
public struct DistMTPSLearner: Learner {
    public let config: DistMTPSConfig
    public let layout: ADMMRowLayout
    /// N, the number of agents (μ is spread over them).
    let agents: Int
    /// The ADMM row.
    public private(set) var row: [Float]
    /// s_k, θ̃_k (valid once `hasTarget`), and θ_k = L s_k.
    public private(set) var coefficients: [Double]
    public private(set) var target: [Double]
    public private(set) var hasTarget = false
    public private(set) var theta: [Double]
    /// PoWER's memory: the explored parameters (elite × d) and returns of the best rollouts.
    var eliteParameters: [[Double]] = []
    var eliteReturns: [Double] = []
    var environment: any VectorEnvironment
    var batch: StepBatch
    let tasks: TaskAssignment
    public private(set) var round = 0
    var segmentSeed: UInt64
    // Workspaces.
    var basis: [Double]
    var features: [Double]
    var explored: [[Double]]
    var scores: [[Double]]
    var returns: [Double], finished: [Bool]
    var actions: [Float]
    var a: [Double], b: [Double]

    public init(config: DistMTPSConfig, context: LearnerContext) throws {
        if let problem = config.validationProblem() { throw TrainingError(problem) }
        environment = context.environment
        guard case .box(let box) = environment.actionSpace, box.low.count == 1 else {
            throw TrainingError("algorithm dist-mtps acts with one real-valued action, but the task's actions are \(environment.actionSpace)")
        }
        if case .discrete = environment.observationSpace {
            throw TrainingError("algorithm dist-mtps needs real-valued observations as features, but the task observes a discrete index")
        }
        let d = environment.observationSpace.size + 1, r = config.rank
        guard r <= d else { throw TrainingError("dist-mtps rank r = \(r) exceeds d = \(d) (observations plus a bias)") }
        guard config.episodes % environment.count == 0 else {
            throw TrainingError("dist-mtps plays its episodes on the \(environment.count) copies of an agent's batch, so episodes (\(config.episodes)) must be a multiple of \(environment.count)")
        }
        self.config = config
        layout = ADMMRowLayout(d: d, r: r)
        agents = max(1, context.learners)
        tasks = context.tasks
        segmentSeed = context.seed
        row = layout.makeRow()
        // L from the seed the agents share (they start in consensus), s from the agent's own.
        var shared = RandomGenerator(seed: deriveSeed(context.strategySeed, 0x6D74_7073))  // "mtps"
        let scale = config.initialScale / Double(r).squareRoot()
        for i in 0..<(d * r) { row[layout.x + i] = Float(scale * shared.normal()) }
        var own = RandomGenerator(seed: deriveSeed(context.seed, 0x636F_6566))  // "coef"
        coefficients = (0..<r).map { _ in floatPrecision(own.normal()) }
        target = [Double](repeating: 0, count: d)
        theta = target
        basis = [Double](repeating: 0, count: d * r)
        features = theta
        let n = environment.count
        explored = [[Double]](repeating: theta, count: n)
        scores = explored
        returns = [Double](repeating: 0, count: n)
        finished = [Bool](repeating: false, count: n)
        actions = [Float](repeating: 0, count: n)
        a = [Double](repeating: 0, count: r * r)
        b = basis
        batch = environment.reset(seed: context.seed)
        loadBasis()
        factoredParameters(basis: basis, coefficients: coefficients, d: d, r: r, into: &theta)
    }

    public var parameterCount: Int { layout.count }

    public func copyParameters(into row: inout [Float]) { row = self.row }

    public mutating func loadParameters(from row: [Float]) throws {
        guard row.count == parameterCount, ADMMRowLayout(row: row) == layout else {
            throw TrainingError("a dist-mtps row has \(parameterCount) values laid out for d = \(layout.d), r = \(layout.r); got \(row.count)")
        }
        self.row = row
        loadBasis()
        factoredParameters(basis: basis, coefficients: coefficients, d: layout.d, r: layout.r, into: &theta)
    }

    mutating func loadBasis() {
        for i in 0..<(layout.d * layout.r) { basis[i] = Double(row[layout.x + i]) }
    }

    public mutating func restart(seed: UInt64) { segmentSeed = seed }

    public mutating func learn(step: UnsafeMutableBufferPointer<Float>?) throws -> LearnerReport {
        var report = LearnerReport()
        let d = layout.d, r = layout.r
        // 1. s-step with the agreed L.
        loadBasis()
        if hasTarget {
            var s = coefficients
            if ridgeCoefficients(basis: basis, target: target, ridge: config.ridge, d: d, r: r, into: &s), s.allSatisfy(\.isFinite) {
                coefficients = s.map(floatPrecision)
            }
        }
        factoredParameters(basis: basis, coefficients: coefficients, d: d, r: r, into: &theta)

        // 2. Collect.
        let n = environment.count, plays = config.episodes / n
        var allExplored: [[Double]] = [], allScores: [[Double]] = [], allReturns: [Double] = []
        for play in 0..<plays {
            try playEpisodes(seed: deriveSeed(deriveSeed(segmentSeed, UInt64(round)), UInt64(play)), report: &report)
            allExplored += explored
            allScores += scores
            allReturns += returns
        }

        // 3. Target.
        switch config.policySearch {
        case .reinforce:
            let m = Double(allReturns.count)
            let mean = allReturns.reduce(0, +) / m
            let sd = (allReturns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / m).squareRoot()
            for i in 0..<d { target[i] = theta[i] }
            if sd > 1e-8 {
                for (score, ret) in zip(allScores, allReturns) {
                    let w = config.learningRate * (ret - mean) / sd / m
                    for i in 0..<d { target[i] += w * score[i] }
                }
            }
        case .power:
            for (p, ret) in zip(allExplored, allReturns) { insertElite(parameters: p, episodeReturn: ret) }
            powerTarget(theta: theta, explored: eliteParameters, returns: eliteReturns, into: &target)
        }
        // The state a checkpoint keeps is held at its (Float) precision, so a resumed run is exact.
        for i in 0..<d { target[i] = floatPrecision(target[i]) }
        hasTarget = true

        // 4. The local cost in L.
        distMTPSLocalCost(coefficients: coefficients, target: target, mu: config.mu, agents: agents, d: d, r: r, a: &a, b: &b)
        for i in 0..<(r * r) { row[layout.a + i] = Float(a[i]) }
        for i in 0..<(d * r) { row[layout.b + i] = Float(b[i]) }
        report.updated = true
        report.diagnostics.record(.gradientNorm, zip(target, theta).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot())
        if let step { for j in 0..<step.count { step[j] = 0 } }
        round += 1
        return report
    }

    /// Keeps the best `elite` rollouts by return (ties: the earlier one stays ahead).
    mutating func insertElite(parameters explored: [Double], episodeReturn rawReturn: Double) {
        let parameters = explored.map(floatPrecision), episodeReturn = floatPrecision(rawReturn)
        var at = eliteReturns.count
        while at > 0 && eliteReturns[at - 1] < episodeReturn { at -= 1 }
        guard at < config.elite else { return }
        eliteReturns.insert(episodeReturn, at: at)
        eliteParameters.insert(parameters, at: at)
        if eliteReturns.count > config.elite {
            eliteReturns.removeLast()
            eliteParameters.removeLast()
        }
    }

    /// One episode on every copy from a fresh reset: fills `explored`, `scores` and `returns`.
    mutating func playEpisodes(seed: UInt64, report: inout LearnerReport) throws {
        let n = environment.count, d = layout.d, o = d - 1
        environment.reset(seed: seed, into: &batch)
        var g = RandomGenerator(seed: seed, index: 1 << 40)
        for k in 0..<n {
            returns[k] = 0
            finished[k] = false
            for i in 0..<d {
                scores[k][i] = 0
                explored[k][i] = config.policySearch == .power ? theta[i] + config.parameterStd * g.normal() : theta[i]
            }
        }
        var remaining = n, t = 0
        let sigma = config.actionStd, sampling = config.policySearch == .reinforce
        while remaining > 0 {
            t += 1
            for k in 0..<n {
                for i in 0..<o { features[i] = Double(batch.observations[k * o + i]) }
                features[o] = 1
                var mean = 0.0
                for i in 0..<d { mean += explored[k][i] * features[i] }
                var action = mean
                if sampling {
                    action += sigma * g.normal()
                    if !finished[k] {
                        explored[k].withUnsafeBufferPointer { th in
                            features.withUnsafeBufferPointer { f in
                                scores[k].withUnsafeMutableBufferPointer { accumulateLinearGaussianScore(theta: th, features: f, action: action, sigma: sigma, weight: 1, into: $0) }
                            }
                        }
                    }
                }
                actions[k] = action.isFinite ? Float(action) : 0
            }
            try environment.step(actions, into: &batch)
            report.environmentSteps += n
            for k in 0..<n where !finished[k] {
                returns[k] += Double(batch.rewards[k])
                if batch.terminated[k] || batch.truncated[k] {
                    finished[k] = true
                    remaining -= 1
                    report.episodes.append((task: tasks.taskOfRow[k], episodeReturn: returns[k], length: t))
                }
            }
        }
    }

    public mutating func act(_ observations: [Float], count: Int, greedy: Bool, generator: inout RandomGenerator,
                             into actions: inout [Float]) throws {
        let d = layout.d, o = d - 1
        if actions.count != count { actions = [Float](repeating: 0, count: count) }
        for k in 0..<count {
            var mean = theta[o]
            for i in 0..<o { mean += theta[i] * Double(observations[k * o + i]) }
            if !greedy && config.policySearch == .reinforce { mean += config.actionStd * generator.normal() }
            actions[k] = mean.isFinite ? Float(mean) : 0
        }
    }

    public func checkpointTensors() -> [CheckpointTensor] {
        let d = layout.d, e = eliteReturns.count
        return [
            // The policy's shared part, L (the row's leading d·r values; read by the run's statistics, not restored).
            CheckpointTensor(name: "actor.basis", shape: [d, layout.r], values: Array(row[layout.x..<(layout.x + d * layout.r)])),
            CheckpointTensor(name: "row", shape: [row.count], values: row),
            CheckpointTensor(name: "coefficients", shape: [layout.r], values: coefficients.map(Float.init)),
            CheckpointTensor(name: "target", shape: [d], values: target.map(Float.init)),
            CheckpointTensor(name: "has_target", shape: [1], values: [hasTarget ? 1 : 0]),
            CheckpointTensor(name: "round", shape: [2], values: encodeStepCount(round)),
            CheckpointTensor(name: "elite.returns", shape: [e], values: eliteReturns.map(Float.init)),
            CheckpointTensor(name: "elite.parameters", shape: [e * d], values: eliteParameters.flatMap { $0.map(Float.init) }),
        ]
    }

    public mutating func restore(from tensors: [String: [Float]]) throws {
        func tensor(_ name: String, count: Int? = nil) throws -> [Float] {
            guard let v = tensors[name], count == nil || v.count == count! else { throw TrainingError("the checkpoint lacks a valid tensor '\(name)'") }
            return v
        }
        let d = layout.d
        coefficients = try tensor("coefficients", count: layout.r).map(Double.init)
        target = try tensor("target", count: d).map(Double.init)
        hasTarget = try tensor("has_target", count: 1)[0] != 0
        do { round = try decodeStepCount(tensors["round"], name: "round") } catch { throw TrainingError("the checkpoint lacks a valid 'round' tensor") }
        let er = try tensor("elite.returns"), ep = try tensor("elite.parameters", count: (tensors["elite.returns"]?.count ?? 0) * d)
        eliteReturns = er.map(Double.init)
        eliteParameters = (0..<er.count).map { k in (0..<d).map { Double(ep[k * d + $0]) } }
        try loadParameters(from: try tensor("row", count: parameterCount))
    }

    public var networkDescription: [String: String] {
        ["policy": "linear Gaussian, θ = L s", "features": "\(layout.d)", "rank": "\(layout.r)",
         "policy_search": config.policySearch.rawValue]
    }
}

/// `x` rounded to the nearest `Float` (the precision of a checkpoint's tensors).
@inline(__always) func floatPrecision(_ x: Double) -> Double { Double(Float(x)) }
