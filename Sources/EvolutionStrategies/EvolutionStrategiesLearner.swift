import Communication
import Envs
import NeuralNets
import Training

/// One ES worker (paper 003 §2.4.4; algorithms `es` and `espc`).
///
/// Every worker of a run holds the same θ: the policy network is initialised from the
/// strategy's seed, not the worker's, and every worker applies the same update. A round:
///
/// 1. **perturb** — ε_i is regenerated from the strategy's shared seed, the round and the
///    worker's index (`EvolutionStrategies.fillPerturbation`, the very draw the strategy makes
///    when it rebuilds ĝ), and the acting network gets θ + σε_i;
/// 2. **evaluate** — every copy of the worker's batch plays one episode from a fresh reset
///    (seeded by the segment seed and the round) with the deterministic policy (arg-max or
///    tanh-squashed outputs, ``esAction(outputs:space:into:)``; a discrete observation, a grid
///    cell's index, is fed one-hot); F_i is the mean over copies of
///    Σ_t γ^t r_t, reported as ``LearnerReport/perturbedReturn``;
/// 3. **communicate** — the strategy (`es` or `espc`) sends the scalars and, since the run's
///    learners apply steps themselves (``EvolutionStrategiesConfig/appliesCommunicatedGradient``),
///    writes ĝ = (1/(|R|σ)) Σ_{i∈R} F_i ε_i (eq. 2.1 over the returns R that arrived) instead
///    of applying α ĝ;
/// 4. **update** — ``applyCommunicatedGradient(_:)`` ascends ĝ − λθ with the worker's optimiser
///    (Adam or momentum) through ``regularisedESDescent(estimate:parameters:l2:into:)``.
///
/// Where Adam lives: in the learner, because it is per-worker state that must be checkpointed
/// with θ and that the stateless-per-segment strategies of `Communication` cannot keep; the
/// strategy stays the one place that counts messages and forms ĝ.
///
/// The steady-state round allocates only the episode reset's batch; the step loop allocates
/// nothing.
public struct EvolutionStrategiesLearner: Learner {
    public let config: EvolutionStrategiesConfig
    /// θ.
    public private(set) var policy: MLP
    /// θ + σε_i, the network that acts in the round's episode.
    var perturbed: MLP
    var workspace: MLPWorkspace
    var adam: Adam
    var heavyBall: HeavyBallMomentum
    var environment: any VectorEnvironment
    var batch: StepBatch
    let tasks: TaskAssignment
    let actionSpace: Space
    /// The worker's index i, and the generator of its perturbations.
    let index: Int
    let perturbations: Communication.EvolutionStrategies
    /// σ, read from the strategy's settings.
    public let sigma: Float
    /// The round about to be played (the Cohort's round index).
    public private(set) var round = 0
    var segmentSeed: UInt64
    // Workspaces.
    var epsilon: [Float]
    var gradient: ParameterVector
    var actions: [Float]
    /// One-hot inputs when the observation is a discrete index (grid worlds), else empty.
    var encoded: [Float]
    let observationStates: Int
    var discounted: [Double], plain: [Double], weight: [Double], finished: [Bool]

    public init(config: EvolutionStrategiesConfig, context: LearnerContext) throws {
        if let problem = config.validationProblem() { throw TrainingError(problem) }
        guard case .number(let s, _)? = context.strategySettings["sigma"], s > 0, s.isFinite else {
            throw TrainingError("an ES worker needs the strategy's positive sigma, but strategy \(context.strategy.name) has none")
        }
        self.config = config
        sigma = Float(s)
        environment = context.environment
        tasks = context.tasks
        actionSpace = environment.actionSpace
        index = context.index
        let outputs: Int
        switch actionSpace {
        case .discrete(let n): outputs = n
        case .box(let box): outputs = box.low.count
        }
        if case .discrete(let states) = environment.observationSpace { observationStates = states } else { observationStates = 0 }
        // One θ for every worker: initialised from the strategy's seed.
        policy = try MLP(inputCount: observationStates > 0 ? observationStates : environment.observationSpace.size, hiddenSizes: config.hidden, outputCount: outputs,
                         activation: config.activation, outputInitialization: .orthogonal(gain: 0.01),
                         seed: deriveSeed(context.strategySeed, 0x6573_696E))  // "esin"
        perturbed = policy
        workspace = policy.makeWorkspace(batchCapacity: environment.count)
        perturbations = try Communication.EvolutionStrategies(agentCount: context.learners, sigma: sigma, stepSize: 0,
                                                              seed: context.strategySeed)
        adam = Adam(learningRate: config.learningRate)
        heavyBall = HeavyBallMomentum(schedule: .constant(config.learningRate), momentum: config.momentum)
        segmentSeed = context.seed
        batch = environment.reset(seed: context.seed)
        let n = environment.count
        epsilon = [Float](repeating: 0, count: policy.parameters.count)
        gradient = policy.makeGradient()
        actions = [Float](repeating: 0, count: n * actionSpace.size)
        encoded = [Float](repeating: 0, count: n * observationStates)
        discounted = [Double](repeating: 0, count: n)
        weight = discounted
        plain = discounted
        finished = [Bool](repeating: false, count: n)
    }

    public var parameterCount: Int { policy.parameters.count }

    public func copyParameters(into row: inout [Float]) {
        if row.count != parameterCount { row = [Float](repeating: 0, count: parameterCount) }
        policy.parameters.withUnsafeBufferPointer { p in row.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: p.baseAddress!, count: p.count) } }
    }

    public mutating func loadParameters(from row: [Float]) throws {
        guard row.count == parameterCount else {
            throw TrainingError("an ES parameter row has \(parameterCount) values, got \(row.count)")
        }
        policy.parameters.withUnsafeMutableBufferPointer { p in row.withUnsafeBufferPointer { p.baseAddress!.update(from: $0.baseAddress!, count: p.count) } }
    }

    public mutating func restart(seed: UInt64) { segmentSeed = seed }

    public mutating func learn(step: UnsafeMutableBufferPointer<Float>?) throws -> LearnerReport {
        var report = LearnerReport()
        // Perturb: θ + σ ε_i, ε_i from the shared seed.
        perturbations.fillPerturbation(agent: index, round: round, into: &epsilon)
        let sigma = self.sigma
        policy.parameters.withUnsafeBufferPointer { theta in
            epsilon.withUnsafeBufferPointer { eps in
                perturbed.parameters.withUnsafeMutableBufferPointer { out in
                    for j in 0..<out.count { out[j] = theta[j] + sigma * eps[j] }
                }
            }
        }
        // Evaluate: one episode per copy from a fresh reset.
        let f = try playEpisodes(network: perturbed, seed: deriveSeed(segmentSeed, UInt64(round)), report: &report)
        report.perturbedReturn = Float(f)
        report.updated = true
        if let step { for j in 0..<step.count { step[j] = 0 } }
        round += 1
        return report
    }

    /// Plays one episode on every copy with `network` and returns the mean discounted return
    /// (the episodes reported carry the undiscounted return, as every algorithm's do).
    mutating func playEpisodes(network: MLP, seed: UInt64, report: inout LearnerReport) throws -> Double {
        let n = environment.count, a = actionSpace.size, gamma = Double(config.discount)
        batch = environment.reset(seed: seed)
        for i in 0..<n { discounted[i] = 0; plain[i] = 0; weight[i] = 1; finished[i] = false }
        var remaining = n, t = 0
        let limit = config.maxEpisodeSteps > 0 ? config.maxEpisodeSteps : 10_000_000
        while remaining > 0 {
            try forward(network, batch.observations, count: n)
            let outputs = network.outputCount, space = actionSpace
            workspace.output.withUnsafeBufferPointer { out in
                actions.withUnsafeMutableBufferPointer { act in
                    for i in 0..<n { esAction(outputs: out.baseAddress! + i * outputs, space: space, into: act.baseAddress! + i * a) }
                }
            }
            try environment.step(actions, into: &batch)
            t += 1
            report.environmentSteps += n
            for i in 0..<n where !finished[i] {
                let r = Double(batch.rewards[i])
                discounted[i] += weight[i] * r
                plain[i] += r
                weight[i] *= gamma
                if batch.terminated[i] || batch.truncated[i] || t >= limit {
                    finished[i] = true
                    remaining -= 1
                    report.episodes.append((task: tasks.taskOfRow[i], episodeReturn: plain[i], length: t))
                }
            }
        }
        var total = 0.0
        for i in 0..<n { total += discounted[i] }
        return total / Double(n)
    }

    /// Runs `network` on `count` observations (one-hot encoded first when they are indices).
    mutating func forward(_ network: MLP, _ observations: [Float], count: Int) throws {
        let k = observationStates
        guard k > 0 else {
            try observations.withUnsafeBufferPointer { try network.forward($0, batchSize: count, workspace: &workspace) }
            return
        }
        for i in 0..<(count * k) { encoded[i] = 0 }
        for i in 0..<count {
            let s = Int(observations[i])
            if s >= 0 && s < k { encoded[i * k + s] = 1 }
        }
        try encoded.withUnsafeBufferPointer { try network.forward($0, batchSize: count, workspace: &workspace) }
    }

    public mutating func applyCommunicatedGradient(_ estimate: [Float]?) throws {
        guard let estimate else { return }  // The round's result did not arrive: keep θ.
        guard estimate.count == parameterCount else {
            throw TrainingError("an ES gradient has \(parameterCount) values, got \(estimate.count)")
        }
        let l2 = config.l2
        estimate.withUnsafeBufferPointer { g in
            policy.parameters.withUnsafeBufferPointer { theta in
                gradient.withUnsafeMutableBufferPointer { d in regularisedESDescent(estimate: g, parameters: theta, l2: l2, into: d) }
            }
        }
        switch config.optimizer {
        case .adam: _ = try adam.step(&policy.parameters, gradient: &gradient)
        case .momentum: _ = try heavyBall.step(&policy.parameters, gradient: &gradient)
        }
    }

    public mutating func act(_ observations: [Float], count: Int, greedy: Bool, generator: inout RandomGenerator,
                             into actions: inout [Float]) throws {
        let a = actionSpace.size
        if actions.count != count * a { actions = [Float](repeating: 0, count: count * a) }
        if observationStates > 0, encoded.count != count * observationStates { encoded = [Float](repeating: 0, count: count * observationStates) }
        try forward(policy, observations, count: count)
        let outputs = policy.outputCount, space = actionSpace
        workspace.output.withUnsafeBufferPointer { out in
            actions.withUnsafeMutableBufferPointer { act in
                for i in 0..<count { esAction(outputs: out.baseAddress! + i * outputs, space: space, into: act.baseAddress! + i * a) }
            }
        }
    }

    public func checkpointTensors() -> [CheckpointTensor] {
        var tensors = [CheckpointTensor(name: "policy", shape: [parameterCount], values: policy.parameters.values),
                       CheckpointTensor(name: "round", shape: [2], values: encodeStepCount(round))]
        let state = config.optimizer == .adam ? adam.stateTensors() : heavyBall.stateTensors()
        for (name, values) in state { tensors.append(CheckpointTensor(name: "optimizer.\(name)", shape: [values.count], values: values)) }
        return tensors
    }

    public mutating func restore(from tensors: [String: [Float]]) throws {
        guard let theta = tensors["policy"] else { throw TrainingError("the checkpoint lacks the tensor 'policy'") }
        try loadParameters(from: theta)
        do { round = try decodeStepCount(tensors["round"], name: "round") } catch { throw TrainingError("the checkpoint lacks a valid 'round' tensor") }
        var state: [String: [Float]] = [:]
        for (k, v) in tensors where k.hasPrefix("optimizer.") { state[String(k.dropFirst("optimizer.".count))] = v }
        do {
            switch config.optimizer {
            case .adam: try adam.restoreState(from: state)
            case .momentum: try heavyBall.restoreState(from: state)
            }
        } catch { throw TrainingError("the checkpoint's optimiser state cannot be restored: \(error)") }
    }

    public var networkDescription: [String: String] {
        ["sizes": policy.sizes.map(String.init).joined(separator: ","), "activation": config.activation.rawValue,
         "policy": "deterministic (ES)"]
    }
}
