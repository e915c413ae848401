import Dispatch
import Envs
import Foundation
import Training

/// The driver of the value-based algorithms (DQL, EBCDQL, DAVIA; paper 003 §2.4.1–2.4.3,
/// Algorithm 2): n agents, one per environment copy, and a central learner holding one table.
/// A round is one episode of every agent:
///
/// 1. **broadcast** — the centre's table (Q over pairs, or V over states) reaches every agent
///    (n messages of the table's size, counted in `comm/messages` but not in the report's
///    agent-side metrics);
/// 2. **act** — every agent plays one episode ε-greedily on the table (DAVIA: on the one-step
///    lookahead through the task's model) from a reset seeded by the run seed and the round;
/// 3. **select** — DQL uploads every sample; EBCDQL the samples that pass its trigger; DAVIA its
///    semi-gradient if it passes the threshold. An agent that sends anything sends one message;
///    its size is the samples sent (DQL, EBCDQL; 4 scalars each, s, a, r, s′) or |S| (DAVIA);
/// 4. **update** — the centre applies the rule to what arrived.
///
/// It is not a ``Cohort``: the agents share one table and the centre needs their samples, which
/// the cohort's parameter rows cannot carry. It keeps the run's guarantees itself: every draw
/// comes from the run seed and the round (resets, each agent's ε-greedy generator), so the same
/// seed gives the same metrics, and a checkpoint (the table, EBCDQL's levels, the counters)
/// restores a killed run exactly. It writes the usual run directory and summary.
public struct ValueBasedRun: RunSession {
    public let plan: RunPlan
    public let directory: RunDirectory
    public let rule: ValueBasedRule
    /// The central table: Q[s · A + a], or V[s] for DAVIA.
    public private(set) var table: [Double]
    /// EBCDQL's per-agent levels L_i.
    public private(set) var levels: [Double]
    let states: Int, actionCount: Int
    /// DAVIA's lookahead model (P and expected R of the task each agent runs).
    let models: [TabularModel]
    var environment: any VectorEnvironment
    var round = 0, startRound = 0
    var environmentSteps = 0
    var elapsedBefore = 0.0
    var messages = 0, scalars = 0, bytes = 0
    var recentReturns: [[Double]]
    // Workspaces.
    var episodes: [[Transition]]
    var selected: [Transition] = []
    var sums: [Double] = [], counts: [Int] = []
    var gradient: [Double] = [], meanGradient: [Double] = []
    var actions: [Float]
    var current: [Int]

    public var agentCount: Int { plan.learnerTasks.count }

    public init(plan: RunPlan, directory: RunDirectory, rule: ValueBasedRule, resume: Bool, keepMetrics: Bool = false) throws {
        self.plan = plan
        self.directory = directory
        self.rule = rule
        guard case .discrete(let s) = plan.observationSpace, case .discrete(let a) = plan.actionSpace else {
            throw TrainingError("the value-based algorithms need a task with a state index and discrete actions")
        }
        states = s
        actionCount = a
        let n = plan.learnerTasks.count
        let assignments = plan.learnerTasks.map { plan.tasks[$0[0]] }
        environment = try plan.task.makeVector(assignments, threads: 1)
        if rule.keepsStateValues {
            guard let tabular = plan.task as? any TabularTask else {
                throw TrainingError("davia acts on a one-step lookahead through the task's model, but \(plan.task.id) exports none")
            }
            models = try plan.tasks.enumerated().map { try tabular.tabularModel($0.element, context: "task \($0.offset)") }
        } else {
            models = []
        }
        table = [Double](repeating: rule.initialValue, count: rule.keepsStateValues ? s : s * a)
        levels = [Double](repeating: 0, count: n)
        recentReturns = [[Double]](repeating: [], count: n)
        episodes = [[Transition]](repeating: [], count: n)
        actions = [Float](repeating: 0, count: n)
        current = [Int](repeating: 0, count: n)
        guard resume else { return }
        guard let checkpoint = try directory.latestValidCheckpoint() else {
            if !keepMetrics { try directory.truncateMetrics(after: 0) }
            return
        }
        guard let saved = checkpoint.tensors["table"], saved.count == table.count,
              let savedLevels = checkpoint.tensors["levels"], savedLevels.count == n else {
            throw TrainingError("\(checkpoint.name) cannot be restored: it lacks this run's table or levels")
        }
        table = saved.map(Double.init)
        // Tables are kept in Double; checkpoints hold them exactly as their Float64 bit halves.
        if let hi = checkpoint.tensors["table.bits"], hi.count == 2 * table.count { table = decodeDoubles(hi) }
        levels = checkpoint.tensors["levels.bits"].map(decodeDoubles) ?? savedLevels.map(Double.init)
        for k in 0..<n { recentReturns[k] = (checkpoint.tensors["agent.\(k).recent_returns"] ?? []).map(Double.init) }
        startRound = checkpoint.round
        round = startRound
        environmentSteps = Int(checkpoint.metadata["env_steps"] ?? "0") ?? 0
        elapsedBefore = Double(checkpoint.metadata["wall_seconds"] ?? "0") ?? 0
        messages = Int(checkpoint.metadata["messages"] ?? "0") ?? 0
        scalars = Int(checkpoint.metadata["scalars"] ?? "0") ?? 0
        bytes = Int(checkpoint.metadata["bytes"] ?? "0") ?? 0
        if !keepMetrics { try directory.truncateMetrics(after: startRound) }
    }

    /// What one round did, for the metrics.
    struct RoundOutcome {
        var returns: [Double] = []
        var discountedReturns: [Double] = []
        var lengths: [Double] = []
        var tasks: [Int] = []
        var senders = 0
        var agentMessages = 0
        var agentSize = 0
    }

    /// The action agent k takes in state s (ε-greedy on Q, or on DAVIA's lookahead).
    func act(agent k: Int, state s: Int, epsilon: Double, generator: inout RandomGenerator, lookahead: inout [Double]) -> Int {
        guard rule.keepsStateValues else {
            return epsilonGreedy(table, offset: s * actionCount, count: actionCount, epsilon: epsilon, generator: &generator)
        }
        let model = models[plan.learnerTasks[k][0]]
        let gamma = rule.discount
        for a in 0..<actionCount {
            var v = model.rewards[s * actionCount + a]
            let row = (s * actionCount + a) * states
            for t in 0..<states where model.transitions[row + t] > 0 {
                v += gamma * model.transitions[row + t] * (model.terminal[t] ? 0 : table[t])
            }
            lookahead[a] = v
        }
        return epsilonGreedy(lookahead, offset: 0, count: actionCount, epsilon: epsilon, generator: &generator)
    }

    /// Plays one episode on every agent (phase 2) and returns the returns per agent.
    mutating func playEpisodes(round r: Int, outcome: inout RoundOutcome) throws {
        let n = agentCount, gamma = rule.discount
        var batch = environment.reset(seed: deriveSeed(deriveSeed(plan.config.seed, 0x5641_4C55), UInt64(r)))  // "VALU"
        var generators = (0..<n).map { RandomGenerator(seed: deriveSeed(deriveSeed(plan.config.seed, RandomStream.actions), UInt64(r)), index: UInt64($0)) }
        var active = [Bool](repeating: true, count: n)
        var plain = [Double](repeating: 0, count: n), discounted = plain, weight = [Double](repeating: 1, count: n)
        var lookahead = [Double](repeating: 0, count: actionCount)
        for k in 0..<n { episodes[k].removeAll(keepingCapacity: true) }
        var remaining = n, t = 0
        let epsilon = rule.exploration
        while remaining > 0 {
            for k in 0..<n {
                actions[k] = active[k] ? Float(act(agent: k, state: Int(batch.observations[k]), epsilon: epsilon, generator: &generators[k], lookahead: &lookahead)) : 0
            }
            for k in 0..<n { current[k] = Int(batch.observations[k]) }
            try environment.step(actions, into: &batch)
            t += 1
            for k in 0..<n where active[k] {
                environmentSteps += 1
                let ended = batch.terminated[k] || batch.truncated[k]
                let next = Int(ended ? batch.finalObservations[k] : batch.observations[k])
                let reward = Double(batch.rewards[k])
                episodes[k].append(Transition(state: current[k], action: Int(actions[k]), reward: reward, next: next, terminal: batch.terminated[k]))
                plain[k] += reward
                discounted[k] += weight[k] * reward
                weight[k] *= gamma
                if ended {
                    active[k] = false
                    remaining -= 1
                    outcome.returns.append(plain[k])
                    outcome.discountedReturns.append(discounted[k])
                    outcome.lengths.append(Double(t))
                    outcome.tasks.append(plan.learnerTasks[k][0])
                    recentReturns[k].append(plain[k])
                    if recentReturns[k].count > plan.config.returnWindow { recentReturns[k].removeFirst() }
                }
            }
            guard t < 10_000_000 else { throw TrainingError("an episode of \(plan.task.id) did not end; give the task a time limit (max_episode_steps)") }
        }
    }

    /// Phases 1, 3 and 4 around ``playEpisodes(round:outcome:)``.
    mutating func runRound(outcome: inout RoundOutcome) throws {
        let n = agentCount
        // 1. Broadcast.
        messages += n
        scalars += n * table.count
        bytes += n * table.count * 4
        // 2. Act.
        try playEpisodes(round: round, outcome: &outcome)
        // 3–4. Select and update.
        switch rule {
        case .dql(let c):
            selected.removeAll(keepingCapacity: true)
            for k in 0..<n where !episodes[k].isEmpty {
                selected += episodes[k]
                count(message: episodes[k].count, scalarsEach: 4, outcome: &outcome)
            }
            distributedQUpdate(q: &table, samples: selected, actions: actionCount, learningRate: c.learningRate, discount: c.discount,
                               sums: &sums, counts: &counts)
        case .ebcdql(let c):
            selected.removeAll(keepingCapacity: true)
            for k in 0..<n {
                var sent = 0
                for u in episodes[k] {
                    let delta = temporalDifference(u, q: table, actions: actionCount, discount: c.discount)
                    if eventTriggered(tdError: delta, level: &levels[k], rho: c.rho, beta: c.beta, floor: c.thresholdFloor) {
                        selected.append(u)
                        sent += 1
                    }
                }
                if sent > 0 { count(message: sent, scalarsEach: 4, outcome: &outcome) }
            }
            distributedQUpdate(q: &table, samples: selected, actions: actionCount, learningRate: c.learningRate, discount: c.discount,
                               sums: &sums, counts: &counts)
        case .davia(let c):
            if meanGradient.count != states { meanGradient = [Double](repeating: 0, count: states) }
            for s in 0..<states { meanGradient[s] = 0 }
            let threshold = daviaThreshold(lambda: c.lambda, rho: c.rho, episodes: plan.config.rounds, episode: round)
            var received = 0
            for k in 0..<n {
                daviaSemiGradient(samples: episodes[k], theta: table, discount: c.discount, into: &gradient)
                let decrease = daviaPredictedDecrease(samples: episodes[k], theta: table, gradient: gradient, stepSize: c.stepSize, discount: c.discount)
                guard !episodes[k].isEmpty, decrease >= threshold else { continue }
                for s in 0..<states { meanGradient[s] += gradient[s] }
                received += 1
                count(message: states, scalarsEach: 1, outcome: &outcome)
            }
            if received > 0 {
                for s in 0..<states { table[s] -= c.stepSize * meanGradient[s] / Double(received) }
            }
        }
        round += 1
    }

    /// Counts one agent's upload of `size` items of `scalarsEach` scalars.
    mutating func count(message size: Int, scalarsEach: Int, outcome: inout RoundOutcome) {
        messages += 1
        scalars += size * scalarsEach
        bytes += size * scalarsEach * 4
        outcome.senders += 1
        outcome.agentMessages += 1
        outcome.agentSize += size
    }

    public mutating func run(stopAfter: Int?, progress: ((TrainingProgress) -> Void)?) throws -> JSONValue? {
        let config = plan.config
        let start = DispatchTime.now().uptimeNanoseconds
        func wall() -> Double { elapsedBefore + Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        var interval = RoundOutcome(), intervalRounds = 0, senderFraction = 0.0
        while round < config.rounds && !(config.maxEnvironmentSteps > 0 && environmentSteps >= config.maxEnvironmentSteps)
                && !(config.maxWallSeconds > 0 && wall() >= config.maxWallSeconds) {
            if round % config.checkpointEvery == 0 && round > startRound { try writeCheckpoint(wallSeconds: wall()) }
            if let stopAfter, round >= stopAfter { return nil }
            var outcome = RoundOutcome()
            try runRound(outcome: &outcome)
            interval.returns += outcome.returns
            interval.discountedReturns += outcome.discountedReturns
            interval.lengths += outcome.lengths
            interval.tasks += outcome.tasks
            interval.agentMessages += outcome.agentMessages
            interval.agentSize += outcome.agentSize
            senderFraction += Double(outcome.senders) / Double(agentCount)
            intervalRounds += 1
            if round % config.logEvery == 0 || round >= config.rounds {
                try directory.appendMetrics(metricsLine(interval: interval, rounds: intervalRounds, senderFraction: senderFraction, wallSeconds: wall()))
                if let progress {
                    let w = wall()
                    progress(TrainingProgress(round: round, rounds: config.rounds, meanReturn: meanTrainingReturn(), messages: messages,
                                              environmentSteps: environmentSteps, stepsPerSecond: Double(environmentSteps) / max(w, 1e-9), wallSeconds: w,
                                              secondsLeft: w / Double(max(1, round - startRound)) * Double(config.rounds - round),
                                              finished: round >= config.rounds))
                }
                interval = RoundOutcome()
                intervalRounds = 0
                senderFraction = 0
            }
        }
        try writeCheckpoint(wallSeconds: wall())
        return try finish(wallSeconds: wall())
    }

    func meanTrainingReturn() -> Double? {
        let means = recentReturns.filter { !$0.isEmpty }.map { $0.reduce(0, +) / Double($0.count) }
        return means.isEmpty ? nil : means.reduce(0, +) / Double(means.count)
    }

    func metricsLine(interval: RoundOutcome, rounds: Int, senderFraction: Double, wallSeconds: Double) -> JSONValue {
        func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }
        var values: [Metric: Double] = [
            .round: Double(round), .envSteps: Double(environmentSteps), .wallSeconds: wallSeconds,
            .episodes: Double(interval.returns.count), .rejectedUpdates: 0,
            .messages: Double(messages), .scalars: Double(scalars), .bytes: Double(bytes), .missing: 0,
            .messageFrequency: rounds > 0 ? senderFraction / Double(rounds) : .nan,
            .messageSize: interval.agentMessages > 0 ? Double(interval.agentSize) / Double(interval.agentMessages) : .nan,
            .stepsPerSecond: Double(environmentSteps) / max(wallSeconds, 1e-9),
        ]
        values[.episodeReturn] = mean(interval.returns)
        values[.discountedReturn] = mean(interval.discountedReturns)
        values[.episodeLength] = mean(interval.lengths)
        values[.meanRecentReturn] = meanTrainingReturn()
        var perTask = [[Double]](repeating: [], count: plan.tasks.count)
        for (t, r) in zip(interval.tasks, interval.returns) { perTask[t].append(r) }
        values[.taskMeanReturn] = mean(perTask.compactMap(mean))
        let agents = recentReturns.map { r -> JSONValue in mean(r).map(JSONValue.real) ?? .null }
        return MetricsLine(values: values, agentReturns: agents, taskReturns: perTask.map { mean($0).map(JSONValue.real) ?? .null }).json
    }

    func writeCheckpoint(wallSeconds: Double) throws {
        var tensors = [CheckpointTensor(name: "table", shape: [table.count], values: table.map(Float.init)),
                       CheckpointTensor(name: "table.bits", shape: [2 * table.count], values: encodeDoubles(table)),
                       CheckpointTensor(name: "levels", shape: [levels.count], values: levels.map(Float.init)),
                       CheckpointTensor(name: "levels.bits", shape: [2 * levels.count], values: encodeDoubles(levels))]
        for (k, r) in recentReturns.enumerated() {
            tensors.append(CheckpointTensor(name: "agent.\(k).recent_returns", shape: [r.count], values: r.map(Float.init)))
        }
        try directory.writeCheckpoint(round: round, tensors: tensors, metadata: [
            "env_steps": String(environmentSteps), "wall_seconds": String(wallSeconds), "messages": String(messages),
            "scalars": String(scalars), "bytes": String(bytes), "seed": String(plan.config.seed), "algorithm": plan.algorithm.name,
            "strategy": plan.strategy.name, "agents": String(agentCount), "states": String(states), "actions": String(actionCount),
        ])
    }

    mutating func finish(wallSeconds: Double) throws -> JSONValue {
        let config = plan.config
        var evalReturns: [Double] = []
        var perTask = [[Double]](repeating: [], count: plan.tasks.count)
        if config.evalEpisodes > 0 {
            for k in 0..<agentCount {
                let t = plan.learnerTasks[k][0]
                let r = try evaluate(agent: k, task: plan.task, parameters: plan.tasks[t], episodes: config.evalEpisodes, greedy: config.evalGreedy,
                                     seed: deriveSeed(config.seed ^ RandomStream.evaluationTasks, UInt64(t)))
                evalReturns += r
                perTask[t] += r
            }
        }
        func mean(_ v: [Double]) -> JSONValue { v.isEmpty ? .null : .real(v.reduce(0, +) / Double(v.count)) }
        let summary = JSONValue.object([
            ("mean_train_return", meanTrainingReturn().map(JSONValue.real) ?? .null),
            ("mean_eval_return", mean(evalReturns)),
            ("eval_return_per_task", .array(perTask.map(mean))),
            ("eval_held_out", .object([])),
            ("messages", .integer(messages)), ("scalars", .integer(scalars)), ("bytes", .integer(bytes)),
            ("env_steps", .integer(environmentSteps)),
            ("env_steps_per_second", .real(Double(environmentSteps) / max(wallSeconds, 1e-9))),
            ("wall_seconds", .real(wallSeconds)),
            ("rounds", .integer(round)), ("agents", .integer(agentCount)),
            ("algorithm", .string(config.algorithm)), ("architecture", .string(config.architecture.rawValue)),
            ("strategy", .string(config.resolvedStrategy)),
            ("seed", config.seed < (1 << 53) ? .integer(Int(config.seed)) : .string(String(config.seed))),
        ])
        try directory.writeSummary(summary)
        return summary
    }

    /// Test episodes of agent `agent`'s policy (the current table; ε = 0 when `greedy`).
    public mutating func evaluate(agent: Int, task: any RegisteredTask, parameters: JSONValue, episodes count: Int, greedy: Bool,
                                  seed: UInt64) throws -> [Double] {
        guard count > 0 else { return [] }
        var env = try task.makeVector([JSONValue](repeating: parameters, count: count), threads: 1)
        var batch = env.reset(seed: seed)
        var generator = RandomGenerator(seed: seed, index: RandomStream.evaluation)
        var returns = [Double?](repeating: nil, count: count)
        var actions = [Float](repeating: 0, count: count)
        var lookahead = [Double](repeating: 0, count: actionCount)
        let epsilon = greedy ? 0 : rule.exploration
        var steps = 0
        while returns.contains(where: { $0 == nil }) {
            guard steps < 100_000 else { throw TrainingError("test episodes of \(task.id) did not end within 100000 steps") }
            for i in 0..<count { actions[i] = Float(act(agent: agent, state: Int(batch.observations[i]), epsilon: epsilon, generator: &generator, lookahead: &lookahead)) }
            try env.step(actions, into: &batch)
            steps += 1
            for i in 0..<count where returns[i] == nil && batch.ended(i) { returns[i] = Double(batch.episodes.returns[i]) }
        }
        return returns.map { $0! }
    }
}

/// Doubles as pairs of Floats holding their high and low 32 bits (exact in a Float tensor file).
func encodeDoubles(_ values: [Double]) -> [Float] {
    var out: [Float] = []
    out.reserveCapacity(2 * values.count)
    for v in values {
        let bits = v.bitPattern
        out.append(Float(bitPattern: UInt32(truncatingIfNeeded: bits >> 32)))
        out.append(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
    }
    return out
}

func decodeDoubles(_ values: [Float]) -> [Double] {
    stride(from: 0, to: values.count - 1, by: 2).map { i in
        Double(bitPattern: UInt64(values[i].bitPattern) << 32 | UInt64(values[i + 1].bitPattern))
    }
}
