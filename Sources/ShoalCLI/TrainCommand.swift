import ArgumentParser
import Communication
import Envs
import Foundation
import Training
import TrainingCatalogue

/// `shoal train`: trains a cohort of networked learners and writes a run directory.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train networked learners (or a preset experiment) and write a run directory.",
        discussion: """
            Settings come from --config FILE (a run configuration, e.g. a run's config.json), then from \
            explicit flags, which override the file. Every default is listed below; the run's config.json \
            records every value actually used, the algorithm's and the strategy's settings included, \
            so that --config RUN/config.json repeats the run. --preset NAME (or a preset file) runs a \
            named experiment from Assets/experiments (several arms and seeds) and prints its table. \

            \(settingsHelp())
            """)

    @Option(help: "A run configuration (JSON).") var config: String?
    @Option(help: "A named experiment preset, or the path of a preset file (see --list-presets).") var preset: String?
    @Flag(help: "List the experiment presets and exit.") var listPresets = false
    @Option(help: "The algorithm (default a2c).") var algorithm: AlgorithmArgument?
    @Option(help: "The architecture (default decentralised).") var architecture: ChoiceArgument<Architecture>?
    @Option(help: "The communication strategy (default diffusion-atc for a decentralised run of several agents, none otherwise).")
    var strategy: StrategyArgument?
    @Option(help: "A task set, e.g. acrobot-extreme-25.") var taskSet: String?
    @Option(help: "One task id (instead of a task set).") var task: String?
    @Flag(inversion: .prefixedNo, help: "Draw a bundled drawn task set's tasks again for the run seed (draw seed = family seed + run seed; held-out tasks stay; default off).")
    var redrawTasks: Bool?
    @Option(name: .customLong("param"), help: "Set a task parameter for every task, NAME=VALUE (repeatable).") var params: [String] = []
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Set an algorithm or strategy setting, NAME.KEY=VALUE, e.g. ppo.clip_range=0.1 or lazy-aggregation.xi=[0.1] (repeatable).",
        discussion: "Settings of an algorithm or strategy the run does not use are an error."))
    var settings: [String] = []
    @Option(parsing: .unconditional, help: "Agents of a decentralised run (default: one per task).") var agents: Int?
    @Option(parsing: .unconditional, help: "Environment copies per task in each learner's batch (default 1).") var copiesPerTask: Int?
    @Option(help: "The graph (default ring).") var topology: ChoiceArgument<TopologyName>?
    @Option(parsing: .unconditional, help: "Average degree (random) or degree (regular): neighbours besides the agent itself (default 4.2).") var degree: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Instead of --degree: the average neighbourhood size |N_k| of paper 000, which counts the agent itself (degree + 1).",
        discussion: "The paper's random graph of Fig. 2 has |N_k| ≈ 4.2 (degree 3.2); Fig. 6 uses N/6 and N/3."))
    var neighbourhoodSize: Double?
    @Option(help: "Mixing weights (default hastings).") var weights: ChoiceArgument<MixingRule>?
    @Option(parsing: .unconditional, help: "Probability that a link drops a message in a round (default 0).") var linkDrop: Double?
    @Option(parsing: .unconditional, help: "Rounds to run (default 100).") var rounds: Int?
    @Option(parsing: .unconditional, help: "Stop after this many environment steps in total (default 0: no limit).") var maxEnvironmentSteps: Int?
    @Option(parsing: .unconditional, help: "Stop after this many seconds (default 0: no limit).") var maxWallSeconds: Double?
    @Option(parsing: .unconditional, help: "Stop once the mean of the last 20 training episodes (per agent, averaged) reaches this return.")
    var targetReturn: Double?
    @Option(parsing: .unconditional, help: "Root seed, any 64-bit value (default 0).") var seed: UInt64?
    @Option(parsing: .unconditional, help: "Threads (default 2).") var threads: Int?
    @Option(parsing: .unconditional, help: "Rounds between checkpoints (default 100).") var checkpointEvery: Int?
    @Option(parsing: .unconditional, help: "Rounds between metric lines (default 10).") var logEvery: Int?
    @Option(parsing: .unconditional, help: "Test episodes per task at each evaluation (default 10).") var evalEpisodes: Int?
    @Option(parsing: .unconditional, help: "Environment steps between evaluations during training, which keep the best checkpoint (default 0: only at the end).")
    var evalEvery: Int?
    @Option(parsing: .unconditional, help: "Rounds between evaluations during training, instead of --eval-every (default 0).")
    var evalEveryRounds: Int?
    @Option(parsing: .unconditional, help: "Round checkpoints to keep besides best (default 3).") var keepCheckpoints: Int?
    @Flag(inversion: .prefixedNo, help: "Write TensorBoard event files (default on).") var tensorboard: Bool?
    @Option(help: "The run directory to write (default runs/TASK-ALGORITHM-seedS, numbered if taken).") var out: String?
    @Flag(help: "Replace an existing run directory (only a Shoal run directory is ever replaced).") var force = false
    @Option(help: "Continue the run in this directory from its last checkpoint (--rounds, --max-environment-steps, --max-wall-seconds and --threads may extend or change it).")
    var resume: String?
    @Option(help: "Seeds for a preset (comma-separated), replacing the preset's own.") var seeds: String?
    @Flag(help: "No live progress line.") var quiet = false
    @Option(help: "Where agents' messages go: auto (MPI when started by mpirun, else memory), memory or mpi.")
    var transport: TransportChoice = .auto

    func validate() throws {
        if resume != nil && (config != nil || preset != nil || out != nil || force) {
            throw ValidationError("--resume continues an existing run; it takes no --config, --preset, --out or --force")
        }
        if preset != nil && config != nil { throw ValidationError("give --preset or --config, not both") }
        if let out, out.isEmpty { throw ValidationError("--out is empty; name a directory") }
    }

    func run() throws {
        let group = try processGroup(transport)
        let registry = try onEveryRank(group) { try cliRegistry() }
        if listPresets {
            for p in try ExperimentPreset.all() { print("\(p.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(p.summary)") }
            return
        }
        if let resume { return try resumeRun(resume, registry: registry, group: group) }
        if group.size > 1 { return try runAcrossRanks(registry: registry, group: group) }
        if let preset {
            let experiment = try ExperimentPreset.named(preset)
            let seedList = try seeds.map(parseSeeds)
            try experiment.run(registry: registry, out: out ?? "runs/\(experiment.name)", force: force, overrides: try overrides(),
                               seeds: seedList, progress: progressPrinter())
            return
        }
        var runConfig = RunConfig()
        if let config {
            runConfig = try RunConfig.decode(try readJSONFile(config), context: config)
        }
        runConfig = try RunConfig.decode(try overrides(), context: "the command line", base: runConfig)
        let plan = try RunPlan(config: runConfig, registry: registry, algorithms: .standard)
        let path = out ?? defaultRunDirectory(plan.config)
        let directory = try RunDirectory.create(at: path, force: force)
        try directory.writeConfig(plan.config)
        let c = plan.config
        FileHandle.standardError.write(Data("shoal train: \(c.algorithm), \(c.architecture.rawValue), \(c.resolvedStrategy), \(plan.learnerTasks.count) learner(s), seed \(c.seed) → \(path)\n".utf8))
        var session = try plan.algorithm.openRun(plan: plan, directory: directory, resume: false)
        if let summary = try session.run(stopAfter: nil, progress: progressPrinter()) { print(summary) }
    }

    /// A new run over the ranks of an MPI job: every rank checks the same configuration, rank 0
    /// creates the run directory, each rank trains its block of agents.
    func runAcrossRanks(registry: TaskRegistry, group: any ProcessGroup) throws {
        let plan = try onEveryRank(group) { () -> RunPlan in
            if preset != nil { throw CLIError("presets run in one process; start shoal train --preset without mpirun") }
            var runConfig = RunConfig()
            if let config { runConfig = try RunConfig.decode(try readJSONFile(config), context: config) }
            runConfig = try RunConfig.decode(try overrides(), context: "the command line", base: runConfig)
            return try RunPlan(config: runConfig, registry: registry, algorithms: .standard)
        }
        try requireSameRun(plan, group: group)
        // Rank 0 names and creates the directory; the others take its name.
        let path = String(decoding: try group.broadcast(Array((out ?? defaultRunDirectory(plan.config)).utf8)), as: UTF8.self)
        let directory = try onEveryRank(group) { () -> RunDirectory in
            guard group.isRoot else { return RunDirectory.named(path) }
            let d = try RunDirectory.create(at: path, force: force)
            try d.writeConfig(plan.config)
            return d
        }
        let c = plan.config
        if group.isRoot {
            FileHandle.standardError.write(Data("shoal train: \(c.algorithm), \(c.architecture.rawValue), \(c.resolvedStrategy), \(plan.learnerTasks.count) learner(s) over \(group.size) ranks, seed \(c.seed) → \(path)\n".utf8))
        }
        var session = try onEveryRank(group) { try plan.algorithm.openRun(plan: plan, directory: directory, resume: false, group: group) }
        if let summary = try session.run(stopAfter: nil, progress: progressPrinter()) { print(summary) }
    }

    /// Resumes a run; the flags that may change a run in progress are applied and recorded in
    /// its config.json, any other is refused. Under mpirun every rank reads the run directory
    /// (the same path on every host) and rank 0 alone writes it.
    func resumeRun(_ path: String, registry: TaskRegistry, group: any ProcessGroup) throws {
        let (directory, plan, changed) = try onEveryRank(group) { () -> (RunDirectory, RunPlan, Bool) in
            let directory = try RunDirectory.open(at: path)
            var config = try directory.readConfig()
            let o = try overrides()
            let allowed = ["rounds", "max_environment_steps", "max_wall_seconds", "threads"]
            if let bad = o.objectPairs?.first(where: { !allowed.contains($0.key) }) {
                throw CLIError("--resume continues \(path) as it was configured; '\(bad.key)' cannot change in a run in progress (only --rounds, --max-environment-steps, --max-wall-seconds and --threads can)")
            }
            let changed = !(o.objectPairs?.isEmpty ?? true)
            if changed { config = try RunConfig.decode(o, context: "the command line", base: config) }
            return (directory, try RunPlan(config: config, registry: registry, algorithms: .standard), changed)
        }
        try requireSameRun(plan, group: group)
        try onEveryRank(group) { if changed && group.isRoot { try directory.writeConfig(plan.config) } }
        if group.isRoot { FileHandle.standardError.write(Data("shoal train: resuming \(path) (seed \(plan.config.seed))\n".utf8)) }
        var session = try onEveryRank(group) { try plan.algorithm.openRun(plan: plan, directory: directory, resume: true, group: group) }
        if let summary = try session.run(stopAfter: nil, progress: progressPrinter()) { print(summary) }
    }

    /// `runs/<task or set>-<algorithm>-seed<S>`, numbered `-2`, `-3`, … if that is taken by a
    /// non-empty directory, so that a new run never lands in another's directory.
    func defaultRunDirectory(_ c: RunConfig) -> String {
        let what = (c.taskSet.isEmpty ? c.task : c.taskSet).replacingOccurrences(of: "/", with: "-")
        let base = "runs/\(what)-\(c.algorithm)-\(c.architecture.rawValue)-seed\(c.seed)"
        var candidate = base, k = 2
        while let contents = try? FileManager.default.contentsOfDirectory(atPath: candidate), !contents.isEmpty {
            candidate = "\(base)-\(k)"
            k += 1
        }
        return candidate
    }

    /// The explicit flags as a configuration object (only the flags that were given).
    func overrides() throws -> JSONValue {
        var o = JSONValue.object([])
        func set(_ key: String, _ v: JSONValue?) { if let v { o = o.setting(key, to: v) } }
        set("algorithm", algorithm.map { .string($0.text) })
        set("architecture", architecture.map { .string($0.text) })
        set("strategy", strategy.map { .string($0.text) })
        set("task_set", taskSet.map(JSONValue.string))
        set("task", task.map(JSONValue.string))
        if taskSet != nil && task == nil { set("task", .string("")) }
        if task != nil && taskSet == nil { set("task_set", .string("")) }
        set("redraw_tasks", redrawTasks.map(JSONValue.bool))
        set("agents", agents.map(JSONValue.integer))
        set("copies_per_task", copiesPerTask.map(JSONValue.integer))
        set("topology", topology.map { .string($0.text) })
        set("degree", degree.map(JSONValue.real))
        set("neighbourhood_size", neighbourhoodSize.map(JSONValue.real))
        set("weights", weights.map { .string($0.text) })
        set("link_drop", linkDrop.map(JSONValue.real))
        set("rounds", rounds.map(JSONValue.integer))
        set("max_environment_steps", maxEnvironmentSteps.map(JSONValue.integer))
        set("max_wall_seconds", maxWallSeconds.map(JSONValue.real))
        set("seed", seed.map { $0 < (1 << 53) ? .integer(Int($0)) : .string(String($0)) })
        set("target_return", targetReturn.map(JSONValue.real))
        set("threads", threads.map(JSONValue.integer))
        set("checkpoint_every", checkpointEvery.map(JSONValue.integer))
        set("log_every", logEvery.map(JSONValue.integer))
        set("eval_episodes", evalEpisodes.map(JSONValue.integer))
        set("eval_every", evalEvery.map(JSONValue.integer))
        set("eval_every_rounds", evalEveryRounds.map(JSONValue.integer))
        set("keep_checkpoints", keepCheckpoints.map(JSONValue.integer))
        set("tensorboard", tensorboard.map(JSONValue.bool))
        if !params.isEmpty {
            var p = JSONValue.object([])
            for text in params {
                let (k, v) = try parseAssignment(text)
                switch v {
                case .number, .string, .bool: p = p.setting(k, to: v)
                default: throw CLIError("--param \(text): a task parameter is a number (0 or 1 for true or false) or a text value")
                }
            }
            set("parameters", p)
        }
        for text in settings {
            let (key, value) = try parseAssignment(text)
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw CLIError("--set \(text): write NAME.KEY=VALUE with NAME the run's algorithm or strategy, e.g. ppo.clip_range=0.1")
            }
            guard AlgorithmRegistry.standard.names.contains(parts[0]) || StrategyRegistry.standard.names.contains(parts[0]) else {
                throw CLIError("--set \(text): " + unknownNameMessage("algorithm or strategy", parts[0],
                                                                     among: AlgorithmRegistry.standard.names + StrategyRegistry.standard.names))
            }
            let current = o[parts[0]] ?? .object([])
            o = o.setting(parts[0], to: current.setting(parts[1], to: value))
        }
        return o
    }

    func progressPrinter() -> ((TrainingProgress) -> Void)? {
        guard !quiet else { return nil }
        let tty = isatty(STDERR_FILENO) != 0
        return { p in
            let shown = p.meanReturn.map { String(format: "%.1f", $0) } ?? "—"
            let line = "round \(p.round)/\(p.rounds)  steps \(p.environmentSteps)  return \(shown)  messages \(p.messages)  steps/s \(formatRate(p.stepsPerSecond))  \(p.finished ? "done" : formatDuration(p.secondsLeft) + " left")"
            FileHandle.standardError.write(Data((tty ? "\r\u{1B}[K" + line : line + "\n").utf8))
            if tty && p.finished { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }
}

/// Every algorithm and strategy with its settings and their defaults, for `--help`.
func settingsHelp() -> String {
    func defaults(_ json: JSONValue) -> String {
        let pairs = json.objectPairs ?? []
        return pairs.isEmpty ? "no settings" : pairs.map { "\($0.key)=\($0.value.description)" }.joined(separator: ", ")
    }
    let algorithms = AlgorithmRegistry.standard.entries.map { "  \($0.name): \($0.summary).\n    \(defaults($0.defaults))" }
    let strategies = StrategyRegistry.standard.entries.map { "  \($0.name): \($0.summary).\n    \(defaults($0.defaults))" }
    return "ALGORITHMS (settings: --set NAME.KEY=VALUE; defaults shown)\n" + algorithms.joined(separator: "\n")
        + "\n\nSTRATEGIES\n" + strategies.joined(separator: "\n")
}

/// A JSON file, or one sentence saying why it cannot be read.
func readJSONFile(_ path: String) throws -> JSONValue {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw CLIError("\(path) does not exist") }
    guard !isDirectory.boolValue else { throw CLIError("\(path) is a directory; give a JSON file") }
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw CLIError("cannot read \(path) as UTF-8 text") }
    do { return try JSONValue.parse(text) } catch { throw CLIError("\(path) is not valid JSON: \(error)") }
}

func parseSeeds(_ text: String) throws -> [UInt64] {
    try text.split(separator: ",").map { s in
        guard let v = UInt64(s.trimmingCharacters(in: .whitespaces)) else { throw CLIError("--seeds: '\(s)' is not a non-negative integer") }
        return v
    }
}

func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "?" }
    let s = Int(seconds.rounded())
    return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
}
