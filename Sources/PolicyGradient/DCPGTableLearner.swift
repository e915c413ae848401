import Envs
import Tabular
import Training

/// One DCPG agent of the tabular modes (paper 001, Algorithm 1): a softmax table θ_i[s, a] (a true table, eq. 4,
/// ``TabularSoftmaxPolicy``) over a finite task observed by its state index, and each round the
/// local step α g_i at its own iterate θ_i — written for the `consensus` strategy, which adds it
/// to Σ_j W_ij θ_j (eq. 9), or applied directly with `none` (the SA-i baselines).
///
/// g_i is the exact gradient of L_i^λ (eq. 8, from the task's exact model) or the REINFORCE
/// estimate of ∇V_i from B episodes plus the exact regulariser gradient (λ/|S|)(1/|A| − π).
/// The table is the flat row that communication mixes; θ⁰ = 0 (the uniform policy) for every
/// agent, as Theorem 2 assumes.
public struct DCPGTableLearner: Learner {
    public let config: DCPGConfig
    public let states: Int
    public let actions: Int
    /// θ_i, `[S × A]`, in the precision the cohort mixes.
    public private(set) var theta: [Float]
    /// The exact models of the batch's distinct tasks (empty for Monte-Carlo runs on tasks without one).
    let models: [FiniteMDP]
    var experience: LearnerEnvironment
    var current: [TabularEpisode]
    var row: [Double] = []
    var actionBuffer: [Float]

    public init(config: DCPGConfig, context: LearnerContext) throws {
        if let problem = config.validationProblem() { throw TrainingError(problem) }
        let env = context.environment
        guard case .discrete(let s) = env.observationSpace, case .discrete(let a) = env.actionSpace else {
            throw TrainingError("dcpg needs a finite task observed by its state index with discrete actions; this one observes \(env.observationSpace) and acts in \(env.actionSpace)")
        }
        self.config = config
        states = s
        actions = a
        theta = [Float](repeating: 0, count: s * a)
        // The exact model of every distinct task of the batch.
        var models: [FiniteMDP] = []
        var seen: Set<Int> = []
        let tabular = context.task as? any TabularTask
        if config.gradient == .exact && tabular == nil {
            throw TrainingError("dcpg's exact gradient needs a finite task with an exact model, but \(context.task.map { $0.id.description } ?? "this task") has none; use gradient monte-carlo")
        }
        if let tabular {
            for (r, t) in context.tasks.taskOfRow.enumerated() where seen.insert(t).inserted {
                guard r < context.assignments.count else { throw TrainingError("dcpg: the batch's task parameters are missing") }
                let m = FiniteMDP(try tabular.tabularModel(context.assignments[r], context: "task \(t)"))
                guard m.stateCount == s, m.actionCount == a else {
                    throw TrainingError("dcpg: task \(t)'s exact model has \(m.stateCount) states × \(m.actionCount) actions, its observations \(s) × \(a)")
                }
                models.append(m)
            }
        }
        self.models = models
        if config.gradient == .exact, let problem = config.stepSizeProblem(states: s, taskCounts: [models.count], weights: context.weights) {
            throw TrainingError(problem)
        }
        experience = LearnerEnvironment(environment: env, tasks: context.tasks, seed: context.seed)
        current = [TabularEpisode](repeating: TabularEpisode(), count: env.count)
        actionBuffer = [Float](repeating: 0, count: env.count)
    }

    /// The current table in double precision.
    public func currentPolicy() throws -> TabularSoftmaxPolicy {
        do { return try TabularSoftmaxPolicy(states: states, actions: actions, theta: theta.map(Double.init)) } catch {
            throw TrainingError("dcpg: \(error.message)")
        }
    }

    public var parameterCount: Int { theta.count }
    public func copyParameters(into row: inout [Float]) { row = theta }
    public mutating func loadParameters(from row: [Float]) throws {
        guard row.count == theta.count else { throw TrainingError("a parameter row of \(row.count) values was given to a DCPG table of \(theta.count)") }
        theta = row
    }

    public mutating func restart(seed: UInt64) {
        experience.restart(seed: seed)
        for i in current.indices { current[i] = TabularEpisode() }
    }

    public mutating func learn(step: UnsafeMutableBufferPointer<Float>?) throws -> LearnerReport {
        var report = LearnerReport()
        let thetaD = theta.map(Double.init)
        var gradient: [Double]
        switch config.gradient {
        case .exact:
            let (g, value) = try tabular { try regularizedGradientAndValue(models, theta: thetaD, discount: config.discount, lambda: config.lambda) }
            gradient = g
            report.diagnostics.record(.exactValue, value)
        case .reinforce, .a2c, .ppo:
            throw TrainingError("dcpg's \(config.gradient.rawValue) gradient runs a network learner, not the softmax table")
        case .monteCarlo:
            let episodes = try collect(&report)
            gradient = reinforceTableGradient(episodes, theta: thetaD, actions: actions, discount: config.discount)
            let regulariser = relativeEntropyGradient(policy: softmaxPolicy(thetaD, actions: actions), states: states, actions: actions, lambda: config.lambda)
            for k in gradient.indices { gradient[k] += regulariser[k] }
            if !models.isEmpty {
                let pi = softmaxPolicy(thetaD, actions: actions)
                var value = 0.0
                for m in models {
                    let v = try tabular { try evaluatePolicy(m, policy: pi, discount: config.discount) }
                    for k in 0..<states { value += m.initial[k] * v[k] }
                }
                report.diagnostics.record(.exactValue, value)
            }
        }
        var norm = 0.0
        for g in gradient { norm += g * g }
        report.diagnostics.record(.gradientNorm, norm.squareRoot())
        report.diagnostics.record(.learningRate, config.stepSize)
        guard gradient.allSatisfy(\.isFinite) else {
            report.rejectedNonFinite = true
            if let step { for i in 0..<step.count { step[i] = 0 } }
            return report
        }
        report.updated = true
        if let step {
            for k in gradient.indices { step[k] = Float(config.stepSize * gradient[k]) }
        } else {
            for k in gradient.indices { theta[k] += Float(config.stepSize * gradient[k]) }
        }
        return report
    }

    /// Steps the batch with the table until B episodes ended (at least one per copy); episodes in
    /// progress carry over to the next round.
    mutating func collect(_ report: inout LearnerReport) throws -> [TabularEpisode] {
        let n = experience.count
        let wanted = max(config.episodesPerUpdate, n)
        let policy = try currentPolicy()
        var finished: [TabularEpisode] = []
        while finished.count < wanted {
            for r in 0..<n {
                let s = try stateIndex(experience.batch.observations[r])
                let a = policy.sample(state: s, uniform: experience.generator.nextUnit(), scratch: &row)
                current[r].states.append(s)
                current[r].actions.append(a)
                actionBuffer[r] = Float(a)
            }
            try experience.step(actionBuffer)
            report.environmentSteps += n
            for r in 0..<n {
                current[r].rewards.append(Double(experience.batch.rewards[r]))
                if experience.batch.ended(r) {
                    let e = current[r]
                    report.episodes.append((experience.tasks.taskOfRow[r], e.rewards.reduce(0, +), e.rewards.count))
                    finished.append(e)
                    current[r] = TabularEpisode()
                }
            }
        }
        return Array(finished.prefix(wanted))
    }

    func stateIndex(_ observation: Float) throws -> Int {
        let s = Int(observation)
        guard Float(s) == observation, s >= 0, s < states else {
            throw TrainingError("dcpg observed \(observation), which is not a state index in 0..<\(states)")
        }
        return s
    }

    func tabular<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch let error as TabularError { throw TrainingError("dcpg: \(error.message)") }
    }

    public mutating func act(_ observations: [Float], count: Int, greedy: Bool, generator: inout RandomGenerator,
                             into actions: inout [Float]) throws {
        if actions.count != count { actions = [Float](repeating: 0, count: count) }
        let policy = try currentPolicy()
        for r in 0..<count {
            let s = try stateIndex(observations[r])
            actions[r] = Float(greedy ? policy.greedyAction(state: s) : policy.sample(state: s, uniform: generator.nextUnit(), scratch: &row))
        }
    }

    public func checkpointTensors() -> [CheckpointTensor] {
        [CheckpointTensor(name: "theta", shape: [states, actions], values: theta)]
    }

    public mutating func restore(from tensors: [String: [Float]]) throws {
        guard let t = tensors["theta"], t.count == theta.count else {
            throw TrainingError("the checkpoint lacks a tensor 'theta' of \(theta.count) values (\(states) states × \(actions) actions)")
        }
        guard t.allSatisfy(\.isFinite) else { throw TrainingError("the checkpoint's table θ holds a non-finite value") }
        theta = t
    }

    public var networkDescription: [String: String] {
        ["policy": "tabular-softmax", "states": String(states), "actions": String(actions), "gradient": config.gradient.rawValue]
    }
}
