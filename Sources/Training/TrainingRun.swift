import Communication
import Dispatch
import Envs
import Foundation
import NeuralNets

/// A progress snapshot for the live line on the terminal.
public struct TrainingProgress: Sendable {
    public var round: Int
    public var rounds: Int
    public var meanReturn: Double
    public var messages: Int
    public var stepsPerSecond: Double
    public var wallSeconds: Double
    /// Estimated seconds left.
    public var secondsLeft: Double
}

/// Runs a training run end to end: builds the learners of a ``RunPlan``, runs the ``Cohort``
/// round by round, logs metrics, writes checkpoints (each starts a segment: episodes restart
/// from seeds derived from the run seed, the agent and the segment, so a resumed run equals an
/// uninterrupted one), evaluates at the end and writes `summary.json`.
///
/// `makeLearner(k, environment, tasks, seed)` builds learner k; the algorithm modules supply it.
public struct TrainingRun<L: Learner> {
    public let plan: RunPlan
    public let directory: RunDirectory
    public var cohort: Cohort<L>
    var recentReturns: [[Double]]
    var environmentSteps = 0
    var elapsedBefore = 0.0
    var startRound = 0

    /// Builds the learners; with `resume`, restores the latest checkpoint (and, unless
    /// `keepMetrics`, drops the metric lines logged after it, which the resumed run rewrites).
    public init(plan: RunPlan, directory: RunDirectory, resume: Bool, keepMetrics: Bool = false,
                makeLearner: (Int, any VectorEnvironment, TaskAssignment, UInt64) throws -> L) throws {
        self.plan = plan
        self.directory = directory
        let config = plan.config
        // The cohort spreads learners over threads itself; OpenBLAS threads on top of that only
        // oversubscribe the cores (and spin), so every matrix product runs on its caller's thread.
        BLAS.setThreadCount(1)
        let centralised = plan.learnerTasks.count == 1
        var learners: [L] = []
        for k in plan.learnerTasks.indices {
            let (assignments, tasks) = plan.rows(ofLearner: k)
            let env = try plan.task.makeVector(assignments, threads: centralised ? config.threads : 1)
            learners.append(try makeLearner(k, env, tasks, deriveSeed(config.seed, UInt64(k))))
        }
        cohort = try Cohort(learners: learners, strategy: try plan.makeStrategy(), links: try plan.links(),
                            threads: centralised ? 1 : config.threads)
        recentReturns = [[Double]](repeating: [], count: learners.count)
        if resume, let checkpoint = try directory.latestCheckpoint() {
            for k in cohort.learners.indices {
                let prefix = "agent.\(k)."
                var mine: [String: [Float]] = [:]
                for (name, values) in checkpoint.tensors where name.hasPrefix(prefix) { mine[String(name.dropFirst(prefix.count))] = values }
                try cohort.learners[k].restore(from: mine)
                recentReturns[k] = (mine["recent_returns"] ?? []).map(Double.init)
            }
            startRound = checkpoint.round
            environmentSteps = Int(checkpoint.metadata["env_steps"] ?? "0") ?? 0
            elapsedBefore = Double(checkpoint.metadata["wall_seconds"] ?? "0") ?? 0
            cohort.restore(round: startRound)
            cohort.restoreLedgerTotals(messages: Int(checkpoint.metadata["messages"] ?? "0") ?? 0,
                                       scalars: Int(checkpoint.metadata["scalars"] ?? "0") ?? 0,
                                       bytes: Int(checkpoint.metadata["bytes"] ?? "0") ?? 0)
            if !keepMetrics { try directory.truncateMetrics(after: startRound) }
        } else if resume {
            throw TrainingError("\(directory.url.path) has no checkpoint to resume from")
        }
    }

    /// Runs until `config.rounds` (or a step or time limit); `stopAfter` ends the loop early
    /// without finishing the run (to test resumption). Returns the summary.
    public mutating func run(stopAfter: Int? = nil, progress: ((TrainingProgress) -> Void)? = nil) throws -> JSONValue? {
        let config = plan.config
        let start = DispatchTime.now().uptimeNanoseconds
        func wall() -> Double { elapsedBefore + Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        var intervalReturns: [Double] = [], intervalMissing = 0
        var taskReturns = [[Double]](repeating: [], count: plan.tasks.count)
        var round = startRound
        var lastLine: JSONValue?
        while round < config.rounds {
            if round % config.checkpointEvery == 0 { try beginSegment(round: round, wallSeconds: wall()) }
            if let stopAfter, round >= stopAfter { return nil }
            let report = try cohort.runRound()
            for (k, r) in report.learners.enumerated() {
                environmentSteps += r.environmentSteps
                for e in r.episodes {
                    recentReturns[k].append(e.episodeReturn)
                    intervalReturns.append(e.episodeReturn)
                    if e.task < taskReturns.count { taskReturns[e.task].append(e.episodeReturn) }
                }
                if recentReturns[k].count > config.returnWindow { recentReturns[k].removeFirst(recentReturns[k].count - config.returnWindow) }
            }
            intervalMissing += report.missing
            round += 1
            let done = round == config.rounds || (config.maxEnvironmentSteps > 0 && environmentSteps >= config.maxEnvironmentSteps)
                || (config.maxWallSeconds > 0 && wall() >= config.maxWallSeconds)
                || reachedTarget()
            if round % config.logEvery == 0 || done {
                let line = metricsLine(round: round, returns: intervalReturns, taskReturns: taskReturns, missing: intervalMissing, wallSeconds: wall())
                taskReturns = [[Double]](repeating: [], count: plan.tasks.count)
                try directory.appendMetrics(line)
                lastLine = line
                intervalReturns = []
                intervalMissing = 0
                if let progress {
                    let w = wall()
                    let perRound = w / Double(max(1, round))
                    progress(TrainingProgress(round: round, rounds: config.rounds, meanReturn: meanTrainingReturn(), messages: cohort.totalCounts.messages,
                                              stepsPerSecond: Double(environmentSteps) / max(w, 1e-9), wallSeconds: w,
                                              secondsLeft: perRound * Double(config.rounds - round)))
                }
            }
            if done { break }
        }
        try writeCheckpoint(round: round, wallSeconds: wall())
        return try finish(round: round, wallSeconds: wall(), lastLine: lastLine)
    }

    /// Whether the run's ``RunConfig/targetReturn`` is reached (full windows on every agent).
    func reachedTarget() -> Bool {
        guard let target = plan.config.targetReturn else { return false }
        return recentReturns.allSatisfy { $0.count >= plan.config.returnWindow } && meanTrainingReturn() >= target
    }

    /// Mean over agents of the mean of their last `return_window` training episodes.
    public func meanTrainingReturn() -> Double {
        let means = recentReturns.filter { !$0.isEmpty }.map { $0.reduce(0, +) / Double($0.count) }
        return means.isEmpty ? .nan : means.reduce(0, +) / Double(means.count)
    }

    mutating func beginSegment(round: Int, wallSeconds: Double) throws {
        let segment = UInt64(round / plan.config.checkpointEvery)
        for k in cohort.learners.indices {
            cohort.learners[k].restart(seed: deriveSeed(deriveSeed(plan.config.seed, UInt64(k)), segment &+ 1))
        }
        cohort.strategy = try plan.makeStrategy()
        if round > 0 { try writeCheckpoint(round: round, wallSeconds: wallSeconds) }
    }

    func writeCheckpoint(round: Int, wallSeconds: Double) throws {
        var tensors: [(name: String, values: [Float])] = []
        for (k, l) in cohort.learners.enumerated() {
            tensors += l.checkpointTensors().map { ("agent.\(k).\($0.name)", $0.values) }
            tensors.append(("agent.\(k).recent_returns", recentReturns[k].map(Float.init)))
        }
        let total = cohort.totalCounts
        try directory.writeCheckpoint(round: round, tensors: tensors, metadata: [
            "env_steps": String(environmentSteps), "wall_seconds": String(wallSeconds), "messages": String(total.messages),
            "scalars": String(total.scalars), "bytes": String(total.bytes), "seed": String(plan.config.seed),
        ])
    }

    func metricsLine(round: Int, returns: [Double], taskReturns: [[Double]], missing: Int, wallSeconds: Double) -> JSONValue {
        let rows = cohort.parameterRows()
        let total = cohort.totalCounts
        let mean = returns.isEmpty ? JSONValue.null : .real(returns.reduce(0, +) / Double(returns.count))
        let perAgent = recentReturns.map { r -> JSONValue in r.isEmpty ? .null : .real(r.reduce(0, +) / Double(r.count)) }
        return .object([
            ("round", .integer(round)), ("env_steps", .integer(environmentSteps)), ("wall_seconds", .real(wallSeconds)),
            ("train/episode_return", mean), ("train/episodes", .integer(returns.count)),
            ("train/agent_return", .array(perAgent)),
            ("train/task_return", .array(taskReturns.map { $0.isEmpty ? .null : .real($0.reduce(0, +) / Double($0.count)) })),
            ("comm/messages", .integer(total.messages)), ("comm/scalars", .integer(total.scalars)), ("comm/bytes", .integer(total.bytes)),
            ("comm/missing", .integer(missing)),
            ("params/relative_deviation", .real(relativeDeviation(rows))), ("params/consensus_distance", .real(consensusDistance(rows))),
            ("perf/env_steps_per_second", .real(Double(environmentSteps) / max(wallSeconds, 1e-9))),
        ])
    }

    mutating func finish(round: Int, wallSeconds: Double, lastLine: JSONValue?) throws -> JSONValue {
        let config = plan.config
        // Test episodes: every agent on each task of its batch.
        var evalReturns: [Double] = []
        var perTask = [[Double]](repeating: [], count: plan.tasks.count)
        if config.evalEpisodes > 0 {
            for k in cohort.learners.indices {
                for t in Set(plan.learnerTasks[k]).sorted() {
                    let r = try evaluatePolicy(&cohort.learners[k], task: plan.task, parameters: plan.tasks[t], episodes: config.evalEpisodes,
                                               greedy: config.evalGreedy, seed: deriveSeed(config.seed ^ 0xE7A1, UInt64(t)))
                    evalReturns += r
                    perTask[t] += r
                }
            }
        }
        var heldOut: [(String, JSONValue)] = []
        if config.evalEpisodes > 0 {
            for (name, parameters) in plan.heldOut {
                var r: [Double] = []
                for k in cohort.learners.indices {
                    r += try evaluatePolicy(&cohort.learners[k], task: plan.task, parameters: parameters, episodes: config.evalEpisodes,
                                            greedy: config.evalGreedy, seed: deriveSeed(config.seed ^ 0x4E1D, UInt64(k)))
                }
                heldOut.append((name, .real(r.reduce(0, +) / Double(r.count))))
            }
        }
        let rows = cohort.parameterRows()
        let total = cohort.totalCounts
        let evalMean = evalReturns.isEmpty ? JSONValue.null : .real(evalReturns.reduce(0, +) / Double(evalReturns.count))
        let summary = JSONValue.object([
            ("mean_train_return", meanTrainingReturn().isFinite ? .real(meanTrainingReturn()) : .null),
            ("mean_eval_return", evalMean),
            ("eval_return_per_task", .array(perTask.map { $0.isEmpty ? .null : .real($0.reduce(0, +) / Double($0.count)) })),
            ("eval_held_out", .object(heldOut)),
            ("relative_deviation", .real(relativeDeviation(rows))),
            ("relative_deviation_unweighted", .real(unweightedRelativeDeviation(rows))),
            ("consensus_distance", .real(consensusDistance(rows))),
            ("messages", .integer(total.messages)), ("scalars", .integer(total.scalars)), ("bytes", .integer(total.bytes)),
            ("env_steps", .integer(environmentSteps)),
            ("env_steps_per_second", .real(Double(environmentSteps) / max(wallSeconds, 1e-9))),
            ("wall_seconds", .real(wallSeconds)),
            ("rounds", .integer(round)), ("agents", .integer(cohort.learners.count)),
            ("reached_target", plan.config.targetReturn == nil ? .null : .bool(reachedTarget())),
            ("algorithm", .string(config.algorithm)), ("architecture", .string(config.architecture)), ("strategy", .string(config.strategy)),
            ("seed", .integer(Int(config.seed))),
        ])
        try directory.writeSummary(summary)
        return summary
    }
}
