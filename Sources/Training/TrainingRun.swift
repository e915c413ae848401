import Communication
import Dispatch
import Envs
import Foundation
import NeuralNets

/// A progress snapshot for the live line on the terminal.
public struct TrainingProgress: Sendable {
    public var round: Int
    public var rounds: Int
    /// Mean over agents of their recent training returns (nil before any episode ended).
    public var meanReturn: Double?
    public var messages: Int
    public var environmentSteps: Int
    public var stepsPerSecond: Double
    public var wallSeconds: Double
    /// Estimated seconds left, from whichever budget stops the run first.
    public var secondsLeft: Double
    /// The run stops after this line (budget spent or target reached).
    public var finished: Bool

    public init(round: Int, rounds: Int, meanReturn: Double?, messages: Int, environmentSteps: Int, stepsPerSecond: Double,
                wallSeconds: Double, secondsLeft: Double, finished: Bool) {
        self.round = round
        self.rounds = rounds
        self.meanReturn = meanReturn
        self.messages = messages
        self.environmentSteps = environmentSteps
        self.stepsPerSecond = stepsPerSecond
        self.wallSeconds = wallSeconds
        self.secondsLeft = secondsLeft
        self.finished = finished
    }
}

/// Runs a training run end to end: builds the learners of a ``RunPlan``, runs the ``Cohort``
/// round by round, logs metrics (one ``Metric`` record per interval), writes checkpoints (each
/// starts a segment: episodes restart from seeds derived from the run seed, the agent and the
/// segment, so a resumed run equals an uninterrupted one), evaluates at the end and writes
/// `summary.json`.
///
/// `makeLearner(k, environment, tasks, seed)` builds learner k; ``AlgorithmEntry`` supplies it.
///
/// **Across processes** (a ``ProcessGroup`` of K ranks, `mpirun -np K shoal train`): each rank
/// builds and trains only its block of agents; the bookkeeping (returns, steps, budgets) is
/// the same on every rank because every round's reports are gathered everywhere; rank 0 alone
/// writes metrics, checkpoints (the agents' tensors gathered to it, so a checkpoint is the same
/// file as one process writes and `shoal eval` reads it) and the summary.
public struct TrainingRun<L: Learner>: RunSession {
    public let plan: RunPlan
    public let directory: RunDirectory
    public var cohort: Cohort<L>
    var recentReturns: [[Double]]
    /// Each task's last `return_window` training returns (whatever agent ran them).
    var recentTaskReturns: [[Double]]
    var environmentSteps = 0
    var elapsedBefore = 0.0
    var startRound = 0
    /// The best evaluation return during training so far (``RunConfig/evalEvery``).
    var bestEvalReturn: Double?

    /// Builds the learners; with `resume`, restores the latest valid checkpoint (and, unless
    /// `keepMetrics`, drops the metric lines logged after it, which the resumed run rewrites).
    /// A run killed before its first checkpoint resumes from the beginning.
    /// `checkpoint` names the checkpoint to restore (`best`, `round-000100`; nil or `last`: the
    /// newest valid one).
    public init(plan: RunPlan, directory: RunDirectory, resume: Bool, keepMetrics: Bool = false, checkpoint name: String? = nil,
                group: any ProcessGroup = SingleProcess(),
                makeLearner: (Int, any VectorEnvironment, TaskAssignment, UInt64) throws -> L) throws {
        self.plan = plan
        self.directory = directory
        let config = plan.config
        // The cohort spreads learners over threads itself; OpenBLAS threads on top of that only
        // oversubscribe the cores (and spin), so every matrix product runs on its caller's thread.
        BLAS.setThreadCount(1)
        let n = plan.learnerTasks.count
        guard group.size <= n else {
            throw TrainingError("the run has \(n) agent\(n == 1 ? "" : "s") but was started on \(group.size) ranks; start it with at most \(n) (mpirun -np \(n))")
        }
        let centralised = n == 1
        var learners: [L] = []
        var failure: Error?
        do {
            for k in group.block(agents: n) {
                let (assignments, tasks) = plan.rows(ofLearner: k)
                let env = try plan.task.makeVector(assignments, threads: centralised ? config.threads : 1)
                learners.append(try makeLearner(k, env, tasks, deriveSeed(config.seed, UInt64(k))))
            }
        } catch { failure = error }
        try group.agreeToContinue(failure)
        cohort = try Cohort(learners: learners, agentCount: n, strategy: try plan.makeStrategy(), links: try plan.links(),
                            threads: centralised ? 1 : config.threads, group: group)
        recentReturns = [[Double]](repeating: [], count: n)
        recentTaskReturns = [[Double]](repeating: [], count: plan.tasks.count)
        guard resume else { return }
        if group.isRoot { directory.removePartialFiles() }
        try group.agreeToContinue(nil)
        if let best = try? directory.checkpoint(named: "best") { bestEvalReturn = best.metadata["eval_return"].flatMap(Double.init) }
        let found: (round: Int, name: String, tensors: [String: [Float]], metadata: [String: String])?
        do { found = try directory.checkpoint(named: name) } catch { try group.agreeToContinue(error); throw error }
        try group.agreeToContinue(nil)
        // Every rank must restore the same checkpoint (one written while another rank read would differ).
        let names = try group.allGather(Array((found?.name ?? "").utf8)).map { String(decoding: $0, as: UTF8.self) }
        if let other = names.firstIndex(where: { $0 != names[0] }) {
            throw TrainingError("rank 0 would resume from '\(names[0])' but rank \(other) from '\(names[other])'; every rank must see the same run directory")
        }
        guard let checkpoint = found else {
            if !keepMetrics && group.isRoot { try directory.truncateMetrics(after: 0) }
            return
        }
        let offset = cohort.localAgents.lowerBound
        failure = nil
        for i in cohort.learners.indices {
            let k = offset + i
            let prefix = "agent.\(k)."
            var mine: [String: [Float]] = [:]
            for (name, values) in checkpoint.tensors where name.hasPrefix(prefix) { mine[String(name.dropFirst(prefix.count))] = values }
            do { try cohort.learners[i].restore(from: mine) } catch let e as TrainingError {
                failure = TrainingError("\(checkpoint.name) cannot be restored: agent \(k): \(e.message)")
                break
            }
        }
        try group.agreeToContinue(failure)
        for k in 0..<n {
            recentReturns[k] = (checkpoint.tensors["agent.\(k).recent_returns"] ?? []).map(Double.init)
        }
        for t in plan.tasks.indices { recentTaskReturns[t] = (checkpoint.tensors["run.task_recent_returns.\(t)"] ?? []).map(Double.init) }
        startRound = checkpoint.round
        environmentSteps = Int(checkpoint.metadata["env_steps"] ?? "0") ?? 0
        elapsedBefore = Double(checkpoint.metadata["wall_seconds"] ?? "0") ?? 0
        cohort.restore(round: startRound)
        cohort.restoreLedgerTotals(messages: Int(checkpoint.metadata["messages"] ?? "0") ?? 0,
                                   scalars: Int(checkpoint.metadata["scalars"] ?? "0") ?? 0,
                                   bytes: Int(checkpoint.metadata["bytes"] ?? "0") ?? 0)
        if !keepMetrics && group.isRoot { try directory.truncateMetrics(after: startRound) }
    }

    public var agentCount: Int { cohort.agentCount }
    var group: any ProcessGroup { cohort.group }

    /// ``budgetSpent(round:wall:)`` as rank 0 sees it, on every rank. Only a wall-clock budget
    /// needs asking rank 0 (each rank's clock differs); rounds, steps and returns are the same
    /// on every rank.
    func stops(round: Int, wall: Double) throws -> Bool {
        plan.config.maxWallSeconds > 0 ? try group.agree(budgetSpent(round: round, wall: wall)) : budgetSpent(round: round, wall: wall)
    }

    /// Whether the budget is spent at `round` (rounds, environment steps, wall-clock, target).
    func budgetSpent(round: Int, wall: Double) -> Bool {
        let c = plan.config
        return round >= c.rounds || (c.maxEnvironmentSteps > 0 && environmentSteps >= c.maxEnvironmentSteps)
            || (c.maxWallSeconds > 0 && wall >= c.maxWallSeconds) || reachedTarget()
    }

    /// Runs until `config.rounds` (or a step, time or return limit); `stopAfter` ends the loop
    /// early without finishing the run (to test resumption). Returns the summary. A run whose
    /// budget is already spent (a finished run resumed) takes no further round.
    public mutating func run(stopAfter: Int? = nil, progress: ((TrainingProgress) -> Void)? = nil) throws -> JSONValue? {
        let config = plan.config
        let start = DispatchTime.now().uptimeNanoseconds
        func wall() -> Double { elapsedBefore + Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        var interval = IntervalAccumulator(tasks: plan.tasks.count)
        let board = config.tensorboard && group.isRoot ? try openTensorBoard() : nil
        defer { try? board?.close() }
        var round = startRound
        let stepsAtStart = environmentSteps, wallAtStart = elapsedBefore
        while try !stops(round: round, wall: wall()) {
            if round % config.checkpointEvery == 0 { try beginSegment(round: round, wallSeconds: wall()) }
            if let stopAfter, round >= stopAfter { return nil }
            let report = try cohort.runRound()
            for (k, r) in report.learners.enumerated() {
                environmentSteps += r.environmentSteps
                for e in r.episodes {
                    recentReturns[k].append(e.episodeReturn)
                    interval.add(episode: e)
                    if e.task < recentTaskReturns.count {
                        recentTaskReturns[e.task].append(e.episodeReturn)
                        if recentTaskReturns[e.task].count > config.returnWindow { recentTaskReturns[e.task].removeFirst() }
                    }
                }
                if recentReturns[k].count > config.returnWindow { recentReturns[k].removeFirst(recentReturns[k].count - config.returnWindow) }
                interval.add(report: r)
                if plan.episodeMetricName == "safe_flight" { interval.safeFlights += r.episodeMetrics }
            }
            interval.missing += report.missing
            interval.add(communication: report, agents: agentCount)
            round += 1
            let stepsDue = config.evalEvery > 0
                && environmentSteps / config.evalEvery > (environmentSteps - report.learners.reduce(0) { $0 + $1.environmentSteps }) / config.evalEvery
            if stepsDue || (config.evalEveryRounds > 0 && round % config.evalEveryRounds == 0) {
                let (mean, perTask) = try evaluateTrainingTasks()
                interval.evalReturn = mean
                interval.evalTaskReturns = perTask
                if let mean, bestEvalReturn.map({ mean > $0 }) ?? true {
                    bestEvalReturn = mean
                    try writeCheckpoint(round: round, wallSeconds: wall(), name: "best", extra: ["eval_return": String(mean)])
                }
            }
            let done = try stops(round: round, wall: wall())
            if round % config.logEvery == 0 || done {
                let line = try metricsLine(round: round, interval: interval, wallSeconds: wall())
                if group.isRoot { try directory.appendMetrics(line) }
                if let board, group.isRoot {
                    try board.add(metrics: line)
                    try board.flush()
                }
                interval = IntervalAccumulator(tasks: plan.tasks.count)
                if let progress, group.isRoot {
                    let w = wall()
                    let rate = Double(environmentSteps - stepsAtStart) / max(w - wallAtStart, 1e-9)
                    progress(TrainingProgress(round: round, rounds: config.rounds, meanReturn: meanTrainingReturn(),
                                              messages: cohort.totalCounts.messages, environmentSteps: environmentSteps,
                                              stepsPerSecond: rate, wallSeconds: w,
                                              secondsLeft: secondsLeft(round: round, wall: w, perRound: (w - wallAtStart) / Double(max(1, round - startRound))),
                                              finished: done))
                }
            }
        }
        try writeCheckpoint(round: round, wallSeconds: wall())
        let summary = try finish(round: round, wallSeconds: wall())
        return group.isRoot ? summary : nil
    }

    /// A TensorBoard event file for the run (step = environment steps, one tag per metric). A
    /// resumed run rewrites it from the metric lines kept up to its checkpoint, so that TensorBoard
    /// never shows the rounds the resumed run redoes twice.
    func openTensorBoard() throws -> TensorBoardWriter {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: directory.url.path)) ?? [] where name.hasPrefix("events.out.tfevents.") {
            try? fm.removeItem(at: directory.url.appendingPathComponent(name))
        }
        let board = try TensorBoardWriter(directory: directory.url)
        for line in try directory.metricsLines() { try board.add(metrics: line) }
        try board.flush()
        return board
    }

    /// Seconds left under the budget that stops the run first.
    func secondsLeft(round: Int, wall: Double, perRound: Double) -> Double {
        let c = plan.config
        var left = perRound * Double(c.rounds - round)
        if c.maxEnvironmentSteps > 0, environmentSteps > 0 {
            let perStep = wall / Double(environmentSteps)
            left = min(left, perStep * Double(max(0, c.maxEnvironmentSteps - environmentSteps)))
        }
        if c.maxWallSeconds > 0 { left = min(left, max(0, c.maxWallSeconds - wall)) }
        return left
    }

    /// Whether the run's ``RunConfig/targetReturn`` is reached (full windows on every agent).
    func reachedTarget() -> Bool {
        guard let target = plan.config.targetReturn, let mean = meanTrainingReturn() else { return false }
        return recentReturns.allSatisfy { $0.count >= plan.config.returnWindow } && mean >= target
    }

    /// Mean over agents of the mean of their last `return_window` training episodes.
    public func meanTrainingReturn() -> Double? {
        let means = recentReturns.filter { !$0.isEmpty }.map { $0.reduce(0, +) / Double($0.count) }
        return means.isEmpty ? nil : means.reduce(0, +) / Double(means.count)
    }

    /// Mean over tasks of each task's last `return_window` training returns: every task weighs
    /// the same, however short its episodes (paper 000's per-task training return).
    public func meanTaskReturn() -> Double? {
        let means = recentTaskReturns.filter { !$0.isEmpty }.map { $0.reduce(0, +) / Double($0.count) }
        return means.isEmpty ? nil : means.reduce(0, +) / Double(means.count)
    }

    mutating func beginSegment(round: Int, wallSeconds: Double) throws {
        let segment = UInt64(round / plan.config.checkpointEvery)
        let offset = cohort.localAgents.lowerBound
        for i in cohort.learners.indices {
            cohort.learners[i].restart(seed: deriveSeed(deriveSeed(plan.config.seed, UInt64(offset + i)), segment &+ 1))
        }
        cohort.strategy = try plan.makeStrategy()
        if round > 0 { try writeCheckpoint(round: round, wallSeconds: wallSeconds) }
    }

    /// Writes a checkpoint (rank 0 writes every agent's tensors, gathered from the ranks).
    func writeCheckpoint(round: Int, wallSeconds: Double, name: String? = nil, extra: [String: String] = [:]) throws {
        var tensors: [CheckpointTensor] = []
        let offset = cohort.localAgents.lowerBound
        for (i, l) in cohort.learners.enumerated() {
            let k = offset + i
            tensors += l.checkpointTensors().map { CheckpointTensor(name: "agent.\(k).\($0.name)", shape: $0.shape, values: $0.values) }
            tensors.append(CheckpointTensor(name: "agent.\(k).recent_returns", shape: [recentReturns[k].count], values: recentReturns[k].map(Float.init)))
        }
        if group.size > 1 {
            var w = WireWriter()
            w.write(tensors.count)
            for t in tensors {
                w.write(t.name)
                w.write(t.shape.count)
                for d in t.shape { w.write(d) }
                w.write(t.values)
            }
            let all = try group.gather(w.bytes)
            guard group.isRoot else { return }
            tensors = []
            for bytes in all {
                var r = WireReader(bytes)
                for _ in 0..<(try r.readCount()) {
                    let name = try r.readString()
                    var shape: [Int] = []
                    for _ in 0..<(try r.readCount(elementSize: 8)) { shape.append(try r.readInt()) }
                    tensors.append(CheckpointTensor(name: name, shape: shape, values: try r.readFloats()))
                }
            }
        }
        for (t, r) in recentTaskReturns.enumerated() {
            tensors.append(CheckpointTensor(name: "run.task_recent_returns.\(t)", shape: [r.count], values: r.map(Float.init)))
        }
        let total = cohort.totalCounts
        var metadata = cohort.learners.first?.networkDescription ?? [:]
        metadata.merge([
            "env_steps": String(environmentSteps), "wall_seconds": String(wallSeconds), "messages": String(total.messages),
            "scalars": String(total.scalars), "bytes": String(total.bytes), "seed": String(plan.config.seed),
            "algorithm": plan.algorithm.name, "strategy": plan.strategy.name, "agents": String(agentCount),
            "observation_space": plan.observationSpace.description, "action_space": plan.actionSpace.description,
        ]) { $1 }
        metadata.merge(extra) { $1 }
        try directory.writeCheckpoint(round: round, tensors: tensors, metadata: metadata, name: name)
        if name == nil { directory.pruneCheckpoints(keep: plan.config.keepCheckpoints) }
    }

    /// Test episodes of every agent on each task of its batch (the paper's protocol, seeded by
    /// the run seed and the task): the mean return, and each task's.
    mutating func evaluateTrainingTasks() throws -> (mean: Double?, perTask: [Double?]) {
        let config = plan.config
        var all: [Double] = []
        var perTask = [[Double]](repeating: [], count: plan.tasks.count)
        // Each rank evaluates its agents; the returns are combined in agent order on every rank.
        let offset = cohort.localAgents.lowerBound
        var local: [[Double]] = []
        for i in cohort.learners.indices {
            for t in Set(plan.learnerTasks[offset + i]).sorted() {
                local.append(try evaluatePolicy(&cohort.learners[i], task: plan.task, parameters: plan.tasks[t], episodes: config.evalEpisodes,
                                                greedy: config.evalGreedy, seed: deriveSeed(config.seed ^ RandomStream.evaluationTasks, UInt64(t))))
            }
        }
        let results = try allAgentsInOrder(local)
        var next = 0
        for k in 0..<agentCount {
            for t in Set(plan.learnerTasks[k]).sorted() {
                let r = results[next]
                next += 1
                all += r
                perTask[t] += r
            }
        }
        func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }
        return (mean(all), perTask.map(mean))
    }

    /// Every rank's lists, concatenated in rank order (= agent order), on every rank.
    func allAgentsInOrder(_ local: [[Double]]) throws -> [[Double]] {
        guard group.size > 1 else { return local }
        var w = WireWriter()
        w.write(local.count)
        for list in local {
            w.write(list.count)
            for x in list { w.write(x) }
        }
        var out: [[Double]] = []
        for bytes in try group.allGather(w.bytes) {
            var r = WireReader(bytes)
            for _ in 0..<(try r.readCount()) {
                var list: [Double] = []
                for _ in 0..<(try r.readCount(elementSize: 8)) { list.append(try r.readDouble()) }
                out.append(list)
            }
        }
        return out
    }

    /// The metric line (every rank calls it; the parameter statistics are rank 0's, the only one that writes it).
    func metricsLine(round: Int, interval: IntervalAccumulator, wallSeconds: Double) throws -> JSONValue {
        let rows = try cohort.gatherParameterRows()
        guard group.isRoot else { return .null }
        let total = cohort.totalCounts
        var values: [Metric: Double] = [
            .round: Double(round), .envSteps: Double(environmentSteps), .wallSeconds: wallSeconds,
            .episodes: Double(interval.returns.count), .rejectedUpdates: Double(interval.rejected),
            .messages: Double(total.messages), .scalars: Double(total.scalars), .bytes: Double(total.bytes), .missing: Double(interval.missing),
            .relativeDeviation: relativeDeviation(rows), .consensusDistance: consensusDistance(rows),
            .messageFrequency: interval.rounds > 0 ? interval.senderFraction / Double(interval.rounds) : .nan,
            .messageSize: interval.agentMessages > 0 ? Double(interval.agentScalars) / Double(interval.agentMessages) : .nan,
            .stepsPerSecond: Double(environmentSteps) / max(wallSeconds, 1e-9),
        ]
        func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }
        values[.episodeReturn] = mean(interval.returns)
        values[.episodeLength] = mean(interval.lengths)
        values[.safeFlight] = mean(interval.safeFlights)
        values[.discountedReturn] = mean(interval.perturbedReturns)
        values[.meanRecentReturn] = meanTrainingReturn()
        values[.taskMeanReturn] = mean(interval.taskReturns.compactMap(mean))
        for (metric, sum) in interval.diagnosticSums { values[metric] = sum.total / Double(sum.count) }
        let perAgent = recentReturns.map { r -> JSONValue in mean(r).map(JSONValue.real) ?? .null }
        let perTask = interval.taskReturns.map { mean($0).map(JSONValue.real) ?? .null }
        values[.evalReturn] = interval.evalReturn
        values[.bestEvalReturn] = bestEvalReturn
        let evalPerTask = interval.evalTaskReturns.map { $0.map(JSONValue.real) ?? .null }
        return MetricsLine(values: values, agentReturns: perAgent, taskReturns: perTask, evalTaskReturns: evalPerTask).json
    }

    mutating func finish(round: Int, wallSeconds: Double) throws -> JSONValue {
        let config = plan.config
        // Test episodes: every agent on each task of its batch.
        var evalMean: Double?
        var perTask: [Double?] = []
        if config.evalEpisodes > 0 { (evalMean, perTask) = try evaluateTrainingTasks() }
        var heldOut: [(String, JSONValue)] = []
        if config.evalEpisodes > 0 {
            let offset = cohort.localAgents.lowerBound
            for (name, parameters) in plan.heldOut {
                var local: [[Double]] = []
                for i in cohort.learners.indices {
                    local.append(try evaluatePolicy(&cohort.learners[i], task: plan.task, parameters: parameters, episodes: config.evalEpisodes,
                                                    greedy: config.evalGreedy, seed: deriveSeed(config.seed ^ RandomStream.evaluationHeldOut, UInt64(offset + i))))
                }
                let r = try allAgentsInOrder(local).flatMap { $0 }
                heldOut.append((name, .real(r.reduce(0, +) / Double(r.count))))
            }
        }
        let rows = try cohort.gatherParameterRows()
        guard group.isRoot else { return .null }
        let total = cohort.totalCounts
        // Table I of paper 000 is over the policy network: the leading `actor.*` part of each row.
        let policy = policyRows(rows)
        let summary = JSONValue.object([
            ("mean_train_return", meanTrainingReturn().map(JSONValue.real) ?? .null),
            ("mean_task_return", meanTaskReturn().map(JSONValue.real) ?? .null),
            ("task_return", .array(recentTaskReturns.map { $0.isEmpty ? .null : .real($0.reduce(0, +) / Double($0.count)) })),
            ("mean_eval_return", evalMean.map(JSONValue.real) ?? .null),
            ("eval_return_per_task", .array(perTask.map { $0.map(JSONValue.real) ?? .null })),
            ("best_eval_return", bestEvalReturn.map(JSONValue.real) ?? .null),
            ("eval_held_out", .object(heldOut)),
            ("relative_deviation", .real(relativeDeviation(rows))),
            ("relative_deviation_unweighted", .real(unweightedRelativeDeviation(rows))),
            ("policy_relative_deviation", .real(unweightedRelativeDeviation(policy))),
            ("policy_relative_deviation_weighted", .real(relativeDeviation(policy))),
            ("consensus_distance", .real(consensusDistance(rows))),
            ("messages", .integer(total.messages)), ("scalars", .integer(total.scalars)), ("bytes", .integer(total.bytes)),
            ("env_steps", .integer(environmentSteps)),
            ("env_steps_per_second", .real(Double(environmentSteps) / max(wallSeconds, 1e-9))),
            ("wall_seconds", .real(wallSeconds)),
            ("rounds", .integer(round)), ("agents", .integer(agentCount)),
            ("reached_target", plan.config.targetReturn == nil ? .null : .bool(reachedTarget())),
            ("algorithm", .string(config.algorithm)), ("architecture", .string(config.architecture.rawValue)),
            ("strategy", .string(config.resolvedStrategy)),
            ("seed", config.seed < (1 << 53) ? .integer(Int(config.seed)) : .string(String(config.seed))),
        ])
        try directory.writeSummary(summary)
        return summary
    }

    /// The policy network's part of every parameter row: the first Σ sizes of the learners'
    /// `actor.*` checkpoint tensors (rows list the actor first); the whole rows for a learner
    /// without an actor (evolution strategies, linear policies).
    func policyRows(_ rows: [[Float]]) -> [[Float]] {
        let count = cohort.learners.first?.checkpointTensors().filter { $0.name.hasPrefix("actor.") }.reduce(0) { $0 + $1.values.count } ?? 0
        guard count > 0, let p = rows.first?.count, count <= p else { return rows }
        return rows.map { Array($0[0..<count]) }
    }

    public mutating func evaluate(agent: Int, task: any RegisteredTask, parameters: JSONValue, episodes: Int, greedy: Bool,
                                  seed: UInt64) throws -> [Double] {
        guard cohort.localAgents.contains(agent) else { throw TrainingError("agent \(agent) is not in this process (agents \(cohort.localAgents))") }
        return try evaluatePolicy(&cohort.learners[agent - cohort.localAgents.lowerBound], task: task, parameters: parameters, episodes: episodes,
                                  greedy: greedy, seed: seed)
    }
}

/// What a log interval accumulates between metric lines.
struct IntervalAccumulator {
    var returns: [Double] = []
    var lengths: [Double] = []
    var taskReturns: [[Double]]
    var missing = 0
    var rejected = 0
    /// Rounds in the interval, the sum over them of the fraction of agents that sent, and the
    /// agents' messages and scalars.
    var rounds = 0
    var senderFraction = 0.0
    var agentMessages = 0
    var agentScalars = 0
    /// The learners' reported returns F of their perturbed parameters (ES).
    var perturbedReturns: [Double] = []
    /// The learners' reported safe flights (navigation).
    var safeFlights: [Double] = []
    var diagnosticSums: [Metric: (total: Double, count: Int)] = [:]
    var evalReturn: Double?
    var evalTaskReturns: [Double?] = []

    init(tasks: Int) { taskReturns = [[Double]](repeating: [], count: tasks) }

    mutating func add(episode e: (task: Int, episodeReturn: Double, length: Int)) {
        returns.append(e.episodeReturn)
        lengths.append(Double(e.length))
        if e.task < taskReturns.count { taskReturns[e.task].append(e.episodeReturn) }
    }

    mutating func add(communication r: CohortRoundReport, agents: Int) {
        rounds += 1
        senderFraction += Double(r.senders) / Double(max(1, agents))
        agentMessages += r.agentMessages
        agentScalars += r.agentScalars
    }

    mutating func add(report r: LearnerReport) {
        if r.rejectedNonFinite { rejected += 1 }
        if let f = r.perturbedReturn { perturbedReturns.append(Double(f)) }
        for (metric, value) in r.diagnostics.values where value.isFinite {
            let s = diagnosticSums[metric] ?? (0, 0)
            diagnosticSums[metric] = (s.total + value, s.count + 1)
        }
    }
}
