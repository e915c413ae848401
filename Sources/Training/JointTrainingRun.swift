import Communication
import Dispatch
import Envs
import Foundation
import NeuralNets

/// Runs a joint training run end to end (``JointAlgorithmSettings``): builds the learners of a
/// ``RunPlan`` on a multi-agent task (one per agent, or one for all), runs the ``JointCohort``
/// round by round (a round is ``stepsPerRound`` joint steps), logs one ``Metric`` record per
/// interval, writes checkpoints and `summary.json` into the same run directory as the networked
/// ``TrainingRun``.
///
/// **Segments.** Every checkpoint starts a segment: the environment's copies restart from a seed
/// derived from the run seed and the segment, and every learner's generator is reseeded, so a run
/// resumed from a checkpoint takes exactly the steps an uninterrupted run takes.
public struct JointTrainingRun<L: JointLearner>: RunSession {
    public let plan: RunPlan
    public let directory: RunDirectory
    public var cohort: JointCohort<L>
    public let stepsPerRound: Int
    let task: any MultiAgentRegisteredTask
    var recentReturns: [[Double]]
    var recentTeamReturns: [Double] = []
    var environmentSteps = 0
    var elapsedBefore = 0.0
    var startRound = 0

    public init(plan: RunPlan, directory: RunDirectory, stepsPerRound: Int, talks: Bool, resume: Bool, keepMetrics: Bool = false,
                checkpoint name: String? = nil, makeLearner: (JointLearnerContext) throws -> L) throws {
        self.plan = plan
        self.directory = directory
        let config = plan.config
        guard stepsPerRound >= 1 else { throw TrainingError("steps_per_round must be at least 1, got \(stepsPerRound)") }
        self.stepsPerRound = stepsPerRound
        guard let multi = plan.task as? any MultiAgentRegisteredTask, let probe = plan.jointLayout else {
            throw TrainingError("algorithm \(plan.algorithm.name) needs a multi-agent task, but \(plan.task.id) is a single-agent task")
        }
        task = multi
        BLAS.setThreadCount(1)
        let (assignments, _) = plan.rows(ofLearner: 0)
        let environment = try multi.makeMultiAgentVector(assignments, threads: 1)
        let layout = JointLayout(environment)
        let n = plan.learnerTasks.count
        var graph: Graph?, weights: [Double]?
        if talks && n > 1 {
            let topology = try config.topology.topology(degree: config.degree, edgeProbability: config.edgeProbability, agents: n)
            let g = try topology.makeGraph(agents: n, seed: config.seed)
            guard g.isConnected else {
                throw TrainingError("the \(config.topology.rawValue) graph on \(n) agents is not connected, and \(plan.algorithm.name) needs a connected graph to agree on its weights")
            }
            graph = g
            weights = config.weights.weights(for: g).entries
        }
        var learners: [L] = []
        for k in 0..<n {
            let agents = n == 1 ? Array(0..<probe.agents) : [k]
            learners.append(try makeLearner(JointLearnerContext(index: k, agents: agents, layout: layout, learners: n,
                                                                seed: deriveSeed(config.seed, UInt64(k)), graph: graph, weights: weights,
                                                                sharedSeed: deriveSeed(config.seed, 0x5348_4152))))  // "SHAR"
        }
        cohort = try JointCohort(learners: learners, environment: environment, graph: graph, weights: weights, threads: config.threads)
        recentReturns = [[Double]](repeating: [], count: n)
        guard resume else { return }
        directory.removePartialFiles()
        guard let checkpoint = try directory.checkpoint(named: name) else {
            if !keepMetrics { try directory.truncateMetrics(after: 0) }
            return
        }
        for k in cohort.learners.indices {
            let prefix = "agent.\(k)."
            var mine: [String: [Float]] = [:]
            for (name, values) in checkpoint.tensors where name.hasPrefix(prefix) { mine[String(name.dropFirst(prefix.count))] = values }
            do { try cohort.learners[k].restore(from: mine) } catch let e as TrainingError {
                throw TrainingError("\(checkpoint.name) cannot be restored: agent \(k): \(e.message)")
            }
            recentReturns[k] = mine["recent_returns.bits"].map(doublesFromBits) ?? []
        }
        recentTeamReturns = checkpoint.tensors["run.team_recent_returns.bits"].map(doublesFromBits) ?? []
        startRound = checkpoint.round
        environmentSteps = Int(checkpoint.metadata["env_steps"] ?? "0") ?? 0
        cohort.steps = Int(checkpoint.metadata["joint_steps"] ?? "0") ?? 0
        elapsedBefore = Double(checkpoint.metadata["wall_seconds"] ?? "0") ?? 0
        cohort.sent = MessageLedger.Counts(messages: Int(checkpoint.metadata["messages"] ?? "0") ?? 0,
                                           scalars: Int(checkpoint.metadata["scalars"] ?? "0") ?? 0,
                                           bytes: Int(checkpoint.metadata["bytes"] ?? "0") ?? 0)
        if !keepMetrics { try directory.truncateMetrics(after: startRound) }
    }

    public var agentCount: Int { cohort.learners.count }

    func budgetSpent(round: Int, wall: Double) -> Bool {
        let c = plan.config
        var target = false
        if let t = c.targetReturn, recentTeamReturns.count >= c.returnWindow, let m = meanTeamReturn() { target = m >= t }
        return round >= c.rounds || (c.maxEnvironmentSteps > 0 && environmentSteps >= c.maxEnvironmentSteps)
            || (c.maxWallSeconds > 0 && wall >= c.maxWallSeconds) || target
    }

    /// The mean of the last `return_window` team returns.
    public func meanTeamReturn() -> Double? {
        recentTeamReturns.isEmpty ? nil : recentTeamReturns.reduce(0, +) / Double(recentTeamReturns.count)
    }

    public mutating func run(stopAfter: Int? = nil, progress: ((TrainingProgress) -> Void)? = nil) throws -> JSONValue? {
        let config = plan.config
        let start = DispatchTime.now().uptimeNanoseconds
        func wall() -> Double { elapsedBefore + Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let board = config.tensorboard ? try TensorBoardWriter(directory: directory.url) : nil
        if let board { for line in try directory.metricsLines() { try board.add(metrics: line) } }
        defer { try? board?.close() }
        var round = startRound
        var interval = JointInterval()
        while !budgetSpent(round: round, wall: wall()) {
            if round % config.checkpointEvery == 0 {
                cohort.restart(seed: deriveSeed(deriveSeed(config.seed, 0x4A4F_494E), UInt64(round / config.checkpointEvery)))  // "JOIN"
                if round > startRound { try writeCheckpoint(round: round, wallSeconds: wall()) }
            }
            if let stopAfter, round >= stopAfter { return nil }
            let report = try cohort.runRound(steps: stepsPerRound)
            environmentSteps += report.environmentSteps
            for e in report.episodes {
                recentTeamReturns.append(e.teamReturn)
                for (k, r) in e.learnerReturns.enumerated() { recentReturns[k].append(r) }
            }
            if recentTeamReturns.count > config.returnWindow { recentTeamReturns.removeFirst(recentTeamReturns.count - config.returnWindow) }
            for k in recentReturns.indices where recentReturns[k].count > config.returnWindow {
                recentReturns[k].removeFirst(recentReturns[k].count - config.returnWindow)
            }
            interval.add(report, learners: agentCount, steps: stepsPerRound)
            round += 1
            let done = budgetSpent(round: round, wall: wall())
            if round % config.logEvery == 0 || done {
                let line = metricsLine(round: round, interval: interval, wallSeconds: wall())
                try directory.appendMetrics(line)
                if let board { try board.add(metrics: line); try board.flush() }
                interval = JointInterval()
                if let progress {
                    let w = wall()
                    progress(TrainingProgress(round: round, rounds: config.rounds, meanReturn: meanTeamReturn(), messages: cohort.sent.messages,
                                              environmentSteps: environmentSteps, stepsPerSecond: Double(environmentSteps) / max(w, 1e-9), wallSeconds: w,
                                              secondsLeft: (w - elapsedBefore) / Double(max(1, round - startRound)) * Double(config.rounds - round),
                                              finished: done))
                }
            }
        }
        try writeCheckpoint(round: round, wallSeconds: wall())
        return try finish(round: round, wallSeconds: wall())
    }

    func metricsLine(round: Int, interval: JointInterval, wallSeconds: Double) -> JSONValue {
        func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }
        var values: [Metric: Double] = [
            .round: Double(round), .envSteps: Double(environmentSteps), .wallSeconds: wallSeconds,
            .episodes: Double(interval.returns.count), .rejectedUpdates: 0,
            .messages: Double(cohort.sent.messages), .scalars: Double(cohort.sent.scalars), .bytes: Double(cohort.sent.bytes), .missing: 0,
            .messageFrequency: interval.steps > 0 ? interval.senderFraction / Double(interval.steps) : .nan,
            .messageSize: interval.messages > 0 ? Double(interval.scalars) / Double(interval.messages) : .nan,
            .stepsPerSecond: Double(environmentSteps) / max(wallSeconds, 1e-9),
        ]
        values[.episodeReturn] = mean(interval.returns)
        values[.taskMeanReturn] = mean(interval.returns)
        values[.episodeLength] = mean(interval.lengths)
        values[.meanRecentReturn] = meanTeamReturn()
        for (metric, sum) in interval.diagnosticSums where sum.count > 0 { values[metric] = sum.total / Double(sum.count) }
        values[.importanceWeightMax] = interval.importanceWeightMax
        let perAgent = recentReturns.map { r -> JSONValue in mean(r).map(JSONValue.real) ?? .null }
        let line = MetricsLine(values: values, agentReturns: perAgent, taskReturns: [mean(interval.returns).map(JSONValue.real) ?? .null]).json
        // The environment's per-episode counters: their means over the interval's episodes.
        guard !cohort.counterNames.isEmpty, var pairs = line.objectPairs else { return line }
        for (k, name) in cohort.counterNames.enumerated() {
            let v = interval.counters.compactMap { $0.count > k ? $0[k] : nil }
            pairs.append((name, mean(v).map(JSONValue.real) ?? .null))
        }
        return .object(pairs)
    }

    func writeCheckpoint(round: Int, wallSeconds: Double) throws {
        var tensors: [CheckpointTensor] = []
        for (k, l) in cohort.learners.enumerated() {
            tensors += l.checkpointTensors().map { CheckpointTensor(name: "agent.\(k).\($0.name)", shape: $0.shape, values: $0.values) }
            tensors.append(CheckpointTensor(name: "agent.\(k).recent_returns.bits", shape: [2 * recentReturns[k].count], values: bitsOfDoubles(recentReturns[k])))
        }
        // Team returns are means over agents in Double: kept exactly, as the bits of each value.
        tensors.append(CheckpointTensor(name: "run.team_recent_returns.bits", shape: [2 * recentTeamReturns.count], values: bitsOfDoubles(recentTeamReturns)))
        var metadata = cohort.learners.first?.networkDescription ?? [:]
        metadata.merge([
            "env_steps": String(environmentSteps), "joint_steps": String(cohort.steps), "wall_seconds": String(wallSeconds),
            "messages": String(cohort.sent.messages), "scalars": String(cohort.sent.scalars), "bytes": String(cohort.sent.bytes),
            "seed": String(plan.config.seed), "algorithm": plan.algorithm.name, "strategy": plan.strategy.name,
            "agents": String(cohort.learners.count), "cohort": "joint",
            "observation_spaces": cohort.layout.observationSpaces.map(\.description).joined(separator: ";"),
            "action_spaces": cohort.layout.actionSpaces.map(\.description).joined(separator: ";"),
        ]) { $1 }
        try directory.writeCheckpoint(round: round, tensors: tensors, metadata: metadata)
        directory.pruneCheckpoints(keep: plan.config.keepCheckpoints)
    }

    mutating func finish(round: Int, wallSeconds: Double) throws -> JSONValue {
        let config = plan.config
        var eval: [Double] = []
        if config.evalEpisodes > 0 {
            for t in plan.tasks.indices {
                eval += try cohort.evaluate(task: task, parameters: plan.tasks[t], episodes: config.evalEpisodes, greedy: config.evalGreedy,
                                            seed: deriveSeed(config.seed ^ RandomStream.evaluationTasks, UInt64(t)))
            }
        }
        func mean(_ v: [Double]) -> JSONValue { v.isEmpty ? .null : .real(v.reduce(0, +) / Double(v.count)) }
        let team = meanTeamReturn().map(JSONValue.real) ?? .null
        let summary = JSONValue.object([
            ("mean_train_return", team),
            ("mean_task_return", team),
            ("task_return", .array([team])),
            ("mean_eval_return", mean(eval)),
            ("eval_return_per_task", .array([mean(eval)])),
            ("eval_held_out", .object([])),
            ("messages", .integer(cohort.sent.messages)), ("scalars", .integer(cohort.sent.scalars)), ("bytes", .integer(cohort.sent.bytes)),
            ("env_steps", .integer(environmentSteps)),
            ("env_steps_per_second", .real(Double(environmentSteps) / max(wallSeconds, 1e-9))),
            ("wall_seconds", .real(wallSeconds)),
            ("rounds", .integer(round)), ("agents", .integer(cohort.learners.count)), ("cohort", .string("joint")),
            ("algorithm", .string(config.algorithm)), ("architecture", .string(config.architecture.rawValue)),
            ("strategy", .string(config.resolvedStrategy)),
            ("seed", config.seed < (1 << 53) ? .integer(Int(config.seed)) : .string(String(config.seed))),
        ])
        try directory.writeSummary(summary)
        return summary
    }

    /// Test episodes of the joint policy (every learner acting; `agent` only picks nothing, since
    /// the agents act together): the team return of each episode.
    public mutating func evaluate(agent: Int, task: any RegisteredTask, parameters: JSONValue, episodes: Int, greedy: Bool,
                                  seed: UInt64) throws -> [Double] {
        guard let multi = task as? any MultiAgentRegisteredTask else {
            throw TrainingError("this run's learners act together in a multi-agent task, but \(task.id) is a single-agent task")
        }
        return try cohort.evaluate(task: multi, parameters: parameters, episodes: episodes, greedy: greedy, seed: seed)
    }
}

/// What a log interval of a joint run accumulates.
struct JointInterval {
    var returns: [Double] = []
    var lengths: [Double] = []
    var metrics: [Double] = []
    var counters: [[Double]] = []
    var steps = 0
    var senderFraction = 0.0
    var messages = 0
    var scalars = 0
    var diagnosticSums: [Metric: (total: Double, count: Int)] = [:]
    var importanceWeightMax: Double?

    mutating func add(_ r: JointRoundReport, learners: Int, steps count: Int) {
        for e in r.episodes {
            returns.append(e.teamReturn)
            lengths.append(Double(e.length))
            metrics.append(e.metric)
            if !e.counters.isEmpty { counters.append(e.counters) }
        }
        steps += count
        senderFraction += Double(r.senders) / Double(max(1, learners))
        messages += r.messages
        scalars += r.scalars
        for (metric, s) in r.diagnosticSums {
            let old = diagnosticSums[metric] ?? (0, 0)
            diagnosticSums[metric] = (old.total + s.total, old.count + s.count)
        }
        // The largest importance weight is a maximum over the interval, not a mean.
        if let m = r.importanceWeightMax { importanceWeightMax = max(importanceWeightMax ?? m, m) }
    }
}

/// Doubles as pairs of Floats holding their high and low 32 bits (exact in a Float tensor file).
func bitsOfDoubles(_ values: [Double]) -> [Float] {
    values.flatMap { v -> [Float] in
        [Float(bitPattern: UInt32(truncatingIfNeeded: v.bitPattern >> 32)), Float(bitPattern: UInt32(truncatingIfNeeded: v.bitPattern))]
    }
}

func doublesFromBits(_ values: [Float]) -> [Double] {
    stride(from: 0, to: values.count - 1, by: 2).map { Double(bitPattern: UInt64(values[$0].bitPattern) << 32 | UInt64(values[$0 + 1].bitPattern)) }
}
