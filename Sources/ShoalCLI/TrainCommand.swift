import ArgumentParser
import Envs
import Foundation
import Training

/// `shoal train`: trains a cohort of networked learners and writes a run directory.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train networked learners (or a preset experiment) and write a run directory.",
        discussion: """
            Settings come from --config FILE (a run configuration, e.g. a run's config.json), then from \
            explicit flags, which override the file. --preset NAME runs a named experiment from \
            Assets/experiments (several arms and seeds) and prints its comparison table.
            """)

    @Option(help: "A run configuration (JSON).") var config: String?
    @Option(help: "A named experiment preset (see --list-presets).") var preset: String?
    @Flag(help: "List the experiment presets and exit.") var listPresets = false
    @Option(help: "a2c, siac or reinforce.") var algorithm: String?
    @Option(help: "decentralised, centralised or specialised.") var architecture: String?
    @Option(help: "diffusion-atc, diffusion-cta, consensus, central or none.") var strategy: String?
    @Option(help: "A task set, e.g. acrobot-extreme-25.") var taskSet: String?
    @Option(help: "One task id (instead of a task set).") var task: String?
    @Option(name: .customLong("param"), help: "Set a task parameter for every task, NAME=VALUE (repeatable).") var params: [String] = []
    @Option(name: .customLong("set"), help: "Set an algorithm setting, ALGORITHM.KEY=VALUE, e.g. a2c.learning_rate=0.001 (repeatable).")
    var settings: [String] = []
    @Option(help: "Agents of a decentralised run (default: one per task).") var agents: Int?
    @Option(help: "Environment copies per task in each learner's batch.") var copiesPerTask: Int?
    @Option(help: "ring, complete, star, grid, regular, random, erdos-renyi.") var topology: String?
    @Option(help: "Average degree (random) or degree (regular).") var degree: Double?
    @Option(help: "hastings, lazy-metropolis, uniform, maximum-degree.") var weights: String?
    @Option(help: "Probability that a link drops a message in a round.") var linkDrop: Double?
    @Option(help: "Rounds to run.") var rounds: Int?
    @Option(help: "Stop after this many environment steps in total.") var maxEnvironmentSteps: Int?
    @Option(help: "Stop after this many seconds.") var maxWallSeconds: Double?
    @Option(help: "Stop once the mean of the last 20 training episodes (per agent, averaged) reaches this return.") var targetReturn: Double?
    @Option(help: "Root seed.") var seed: UInt64?
    @Option(help: "Threads.") var threads: Int?
    @Option(help: "Test episodes per task at the end.") var evalEpisodes: Int?
    @Option(help: "The run directory to write.") var out: String?
    @Flag(help: "Overwrite an existing run directory.") var force = false
    @Option(help: "Continue the run in this directory from its last checkpoint.") var resume: String?
    @Option(help: "Seeds for a preset (comma-separated), replacing the preset's own.") var seeds: String?
    @Flag(help: "No live progress line.") var quiet = false

    func validate() throws {
        if resume != nil && (config != nil || preset != nil || out != nil) {
            throw ValidationError("--resume continues an existing run; it takes no --config, --preset or --out")
        }
        if preset != nil && config != nil { throw ValidationError("give --preset or --config, not both") }
    }

    func run() throws {
        let registry = try cliRegistry()
        if listPresets {
            for p in try ExperimentPreset.all() { print("\(p.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(p.summary)") }
            return
        }
        if let resume {
            let directory = try RunDirectory.open(at: resume)
            let plan = try RunPlan(config: try directory.readConfig(), registry: registry)
            FileHandle.standardError.write(Data("shoal train: resuming \(resume) (seed \(plan.config.seed))\n".utf8))
            if let summary = try TrainingAlgorithms.run(plan: plan, directory: directory, resume: true, progress: progressPrinter()) {
                print(summary)
            }
            return
        }
        if let preset {
            let experiment = try ExperimentPreset.named(preset)
            let seedList = try seeds.map(parseSeeds)
            try experiment.run(registry: registry, out: out ?? "runs/\(experiment.name)", force: force, overrides: try overrides(),
                               seeds: seedList, progress: progressPrinter())
            return
        }
        var runConfig = RunConfig()
        if let config {
            let text: String
            do { text = try String(contentsOfFile: config, encoding: .utf8) } catch { throw CLIError("cannot read \(config): \(error.localizedDescription)") }
            let json: JSONValue
            do { json = try JSONValue.parse(text) } catch { throw CLIError("\(config) is not valid JSON: \(error)") }
            runConfig = try RunConfig.decode(json, context: config)
        }
        runConfig = try RunConfig.decode(try overrides(), context: "the command line", base: runConfig)
        let plan = try RunPlan(config: runConfig, registry: registry)
        try TrainingAlgorithms.validate(plan)
        let path = out ?? "runs/\(runConfig.algorithm)-\(runConfig.architecture)-seed\(runConfig.seed)"
        let directory = try RunDirectory.create(at: path, force: force)
        try directory.writeConfig(runConfig)
        FileHandle.standardError.write(Data("shoal train: \(runConfig.algorithm), \(runConfig.architecture), \(plan.learnerTasks.count) learner(s), seed \(runConfig.seed) → \(path)\n".utf8))
        if let summary = try TrainingAlgorithms.run(plan: plan, directory: directory, resume: false, progress: progressPrinter()) {
            print(summary)
        }
    }

    /// The explicit flags as a configuration object (only the flags that were given).
    func overrides() throws -> JSONValue {
        var o = JSONValue.object([])
        func set(_ key: String, _ v: JSONValue?) { if let v { o = o.setting(key, to: v) } }
        set("algorithm", algorithm.map(JSONValue.string))
        set("architecture", architecture.map(JSONValue.string))
        set("strategy", strategy.map(JSONValue.string))
        set("task_set", taskSet.map(JSONValue.string))
        set("task", task.map(JSONValue.string))
        if taskSet != nil && task == nil { set("task", .string("")) }
        if task != nil && taskSet == nil { set("task_set", .string("")) }
        set("agents", agents.map(JSONValue.integer))
        set("copies_per_task", copiesPerTask.map(JSONValue.integer))
        set("topology", topology.map(JSONValue.string))
        set("degree", degree.map(JSONValue.real))
        set("weights", weights.map(JSONValue.string))
        set("link_drop", linkDrop.map(JSONValue.real))
        set("rounds", rounds.map(JSONValue.integer))
        set("max_environment_steps", maxEnvironmentSteps.map(JSONValue.integer))
        set("max_wall_seconds", maxWallSeconds.map(JSONValue.real))
        set("seed", seed.map { JSONValue.integer(Int($0)) })
        set("target_return", targetReturn.map(JSONValue.real))
        set("threads", threads.map(JSONValue.integer))
        set("eval_episodes", evalEpisodes.map(JSONValue.integer))
        if !params.isEmpty {
            var p = JSONValue.object([])
            for text in params {
                let (k, v) = try parseAssignment(text)
                guard case .number = v else { throw CLIError("--param \(text): task parameters given here must be numbers") }
                p = p.setting(k, to: v)
            }
            set("parameters", p)
        }
        for text in settings {
            let (key, value) = try parseAssignment(text)
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, RunConfig.algorithms.contains(parts[0]) else {
                throw CLIError("--set \(text): write ALGORITHM.KEY=VALUE with ALGORITHM one of \(RunConfig.algorithms.joined(separator: ", ")), e.g. a2c.learning_rate=0.001")
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
            let line = String(format: "round %d/%d  return %.1f  messages %d  steps/s %@  %@ left", p.round, p.rounds, p.meanReturn, p.messages,
                              formatRate(p.stepsPerSecond), formatDuration(p.secondsLeft))
            FileHandle.standardError.write(Data((tty ? "\r\u{1B}[K" + line : line + "\n").utf8))
            if tty && p.round == p.rounds { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }
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
