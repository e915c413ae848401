import ArgumentParser
import Envs
import Foundation
import NeuralNets
import Training
import TrainingCatalogue

/// `shoal bench train`: where a training round's time goes. Runs `shoal train`'s run (same flags,
/// same RunPlan) in a temporary run directory with the phase timers on, then prints each phase's
/// mean time per round and share of the round, and the network part's arithmetic rate next to
/// sgemm on the same shapes, measured in the same run.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Split a training round's time into environment, forward, backward, optimiser, communication and the rest.",
        usage: "shoal bench train (--task ID | --task-set NAME | --preset NAME [--arm NAME]) [shoal train's options] [--json]",
        discussion: """
            Takes the flags of shoal train (--task ID, --task-set NAME, --preset NAME [--arm NAME], \
            --algorithm, --strategy, --agents, --rounds, --threads, --set, …) and runs that training \
            in a temporary directory that is deleted afterwards. Unless given, --rounds is 20 (a \
            preset's or configuration file's rounds are replaced), --eval-episodes 0 and TensorBoard off.

            Attribution: every learner times its own environment steps (VectorEnvironment.step), \
            network forward (the MLPs' forward passes and the action distribution: head inputs, \
            sampling, log-probabilities, entropies), backward (the MLPs' backward passes and the \
            distribution's gradients) and optimiser (gradient norm, clipping, step). In each round these times are summed over \
            the learners and divided by the threads the learners ran on, min(threads, learners). \
            Communication (the cohort's exchange: rows out, the strategy, rows back) runs on one \
            thread and counts as measured. A round is one Cohort.runRound, and "everything else" \
            is its wall time minus the attributed phases: rollout copies, losses, advantages, \
            reports, waking the worker threads and time a thread waited for the others.

            Network rate: the MLP passes' floating-point operations (2 per multiply-add of the \
            weight products; the input layer's input gradient is not computed) over their \
            learner-seconds, i.e. per thread; beside it the bare sgemm calls of a forward+backward \
            pass of each shape (shoal bench nn's reference, OpenBLAS on one thread, as training \
            uses it), timed after the run, weighted by each shape's operations.
            """)

    @OptionGroup var train: TrainCommand
    @Option(help: "With --preset: the arm to run (default the first).") var arm: String?
    @Option(parsing: .unconditional, help: "Timing trials of each sgemm reference shape (the best is kept).") var sgemmTrials = 3
    @Flag(help: "Print one JSON object.") var json = false

    /// The train flags that make no sense here, as one sentence (thrown from `run`, so that it is
    /// the only line printed).
    func refusedFlags() throws {
        if train.resume != nil { throw CLIError("bench train measures a new run in a temporary directory; it takes no --resume") }
        if train.out != nil || train.force { throw CLIError("bench train writes no run directory; it takes no --out or --force") }
        if train.seeds != nil { throw CLIError("bench train runs one seed; give --seed instead of --seeds") }
        if train.listPresets { throw CLIError("list the presets with shoal train --list-presets") }
        if arm != nil && train.preset == nil { throw CLIError("--arm names an arm of a preset; give --preset too") }
        guard sgemmTrials >= 1 else { throw CLIError("--sgemm-trials must be at least 1, got \(sgemmTrials)") }
    }

    func run() throws {
        try refusedFlags()
        let registry = try cliRegistry()
        let plan = try RunPlan(config: try runConfig(), registry: registry, algorithms: .standard)
        let c = plan.config
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-bench-train-\(UUID().uuidString)").path
        let directory = try RunDirectory.create(at: path, force: false)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try directory.writeConfig(c)
        FileHandle.standardError.write(Data("shoal bench train: \(c.algorithm), \(c.architecture.rawValue), \(c.resolvedStrategy), \(plan.learnerTasks.count) learner(s), \(c.rounds) rounds, \(c.threads) thread(s)\n".utf8))
        var session = try plan.algorithm.openRun(plan: plan, directory: directory, resume: false)
        guard session.setProfiling(true) else {
            throw CLIError("algorithm \(c.algorithm) runs its own driver, which has no phase timers; bench train profiles cohort algorithms such as a2c, ppo and siac")
        }
        _ = try session.run(stopAfter: nil, progress: train.progressPrinter())
        guard let profile = session.roundProfile, profile.rounds > 0 else { throw CLIError("the run ended before its first round") }
        let network = try networkRates(profile)
        if json { print(Self.jsonReport(profile, network: network, config: c)) } else { print(Self.table(profile, network: network, config: c)) }
    }

    /// `shoal train`'s configuration (file or preset arm, then flags), with the bench's defaults.
    func runConfig() throws -> RunConfig {
        var config = RunConfig()
        if let preset = train.preset {
            let experiment = try ExperimentPreset.named(preset)
            let chosen: (name: String, config: JSONValue)
            if let arm {
                guard let a = experiment.arms.first(where: { $0.name == arm }) else {
                    throw CLIError("preset \(experiment.name) has no arm '\(arm)'; its arms are \(experiment.arms.map { "'\($0.name)'" }.joined(separator: ", "))")
                }
                chosen = a
            } else {
                chosen = experiment.arms[0]
            }
            config = try RunConfig.decode(experiment.base, context: "preset \(experiment.name), base")
            config = try RunConfig.decode(chosen.config, context: "preset \(experiment.name), arm \(chosen.name)", base: config)
            if let first = experiment.seeds.first { config.seed = first }
        } else if let file = train.config {
            config = try RunConfig.decode(try readJSONFile(file), context: file)
        }
        config = try RunConfig.decode(try train.overrides(), context: "the command line", base: config)
        if train.rounds == nil { config.rounds = 20 }
        if train.evalEpisodes == nil { config.evalEpisodes = 0 }
        if train.evalEvery == nil { config.evalEvery = 0 }
        if train.evalEveryRounds == nil { config.evalEveryRounds = 0 }
        if train.tensorboard == nil { config.tensorboard = false }
        return config
    }

    /// One pass shape's operations and time, and sgemm's rate on it.
    struct ShapeRate {
        var network: String
        var sizes: [Int]
        var rows: Int
        var passes: (forward: Int, backward: Int)
        var flops: Double
        var seconds: Double
        var sgemmGflops: Double
    }

    /// The network part's rate per shape, largest first, covering at least 99 % of the
    /// operations (at most 8 shapes get an sgemm reference).
    func networkRates(_ profile: RunProfile) throws -> (total: (flops: Double, seconds: Double), shapes: [ShapeRate]) {
        func flops(_ sizes: [Int], rows: Int) -> (forward: Double, backward: Double) {
            let products = zip(sizes, sizes.dropFirst()).map { Double($0 * $1) }
            let forward = 2 * Double(rows) * products.reduce(0, +)
            return (forward, forward + 2 * Double(rows) * products.dropFirst().reduce(0, +))
        }
        var items: [(tally: PassTally, flops: Double, seconds: Double)] = []
        for p in profile.learnerTotals.passes where p.network < profile.networks.count {
            let f = flops(profile.networks[p.network], rows: p.rows)
            items.append((p, Double(p.forwardPasses) * f.forward + Double(p.backwardPasses) * f.backward,
                          Double(p.forwardNanoseconds + p.backwardNanoseconds) / 1e9))
        }
        items.sort { $0.flops > $1.flops }
        let total = items.reduce(0) { $0 + $1.flops }
        let seconds = items.reduce(0) { $0 + $1.seconds }
        var shapes: [ShapeRate] = []
        var covered = 0.0
        BLAS.setThreadCount(1)
        for item in items where shapes.count < 8 && (covered < 0.99 * total || shapes.isEmpty) {
            let sizes = profile.networks[item.tally.network]
            var bench = try MLPBenchmark(sizes: sizes, activation: .tanh, batch: item.tally.rows)
            bench.trials = sgemmTrials
            bench.trialSeconds = 0.02
            let r = try bench.run()
            shapes.append(ShapeRate(network: item.tally.network == 0 ? "actor" : "critic", sizes: sizes, rows: item.tally.rows,
                                    passes: (item.tally.forwardPasses, item.tally.backwardPasses), flops: item.flops,
                                    seconds: item.seconds, sgemmGflops: r.sgemmGflops))
            covered += item.flops
        }
        return ((total, seconds), shapes)
    }

    static func phaseRows(_ p: RunProfile) -> [(name: String, seconds: Double)] {
        RoundPhase.allCases.map { ($0.name, p.phaseSeconds[$0.rawValue]) } + [("everything else", p.otherSeconds)]
    }

    static func table(_ p: RunProfile, network: (total: (flops: Double, seconds: Double), shapes: [ShapeRate]), config c: RunConfig) -> String {
        let rounds = Double(p.rounds)
        var out = "\(c.algorithm), \(c.architecture.rawValue), \(c.resolvedStrategy): \(p.learners) learner(s) on \(p.threads) thread(s), \(p.rounds) rounds\n"
        out += "phase             ms per round   share of round\n"
        for (name, s) in phaseRows(p) {
            out += name.padding(toLength: 18, withPad: " ", startingAt: 0)
                + String(format: "%12.3f   %6.1f %%\n", 1e3 * s / rounds, p.wallSeconds > 0 ? 100 * s / p.wallSeconds : 0)
        }
        out += "round (wall)".padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "%12.3f\n", 1e3 * p.wallSeconds / rounds)
        out += "environment steps per second in the rounds: \(formatRate(Double(p.environmentSteps) / max(p.wallSeconds, 1e-9)))\n"
        let rate = network.total.seconds > 0 ? network.total.flops / network.total.seconds / 1e9 : 0
        out += String(format: "network part: %.3f GFLOP/s per thread (%.3f MFLOP per round, forward+backward)\n", rate, network.total.flops / rounds / 1e6)
        var shapeFlops = 0.0, shapeSeconds = 0.0, sgemmSeconds = 0.0
        for s in network.shapes {
            let ours = s.seconds > 0 ? s.flops / s.seconds / 1e9 : 0
            out += "  \(s.network) \(s.sizes.map(String.init).joined(separator: "→")) × \(s.rows) rows: \(s.passes.forward) forward, \(s.passes.backward) backward, "
                + String(format: "%.1f %% of the operations, %.3f GFLOP/s; sgemm %.3f GFLOP/s (%.1f %%)\n",
                         network.total.flops > 0 ? 100 * s.flops / network.total.flops : 0, ours, s.sgemmGflops, s.sgemmGflops > 0 ? 100 * ours / s.sgemmGflops : 0)
            shapeFlops += s.flops; shapeSeconds += s.seconds; sgemmSeconds += s.sgemmGflops > 0 ? s.flops / (s.sgemmGflops * 1e9) : 0
        }
        if shapeSeconds > 0, sgemmSeconds > 0 {
            out += String(format: "  these shapes: %.3f GFLOP/s against sgemm's %.3f GFLOP/s on the same shapes (%.1f %%)",
                          shapeFlops / shapeSeconds / 1e9, shapeFlops / sgemmSeconds / 1e9, 100 * sgemmSeconds / shapeSeconds)
        }
        return out
    }

    static func jsonReport(_ p: RunProfile, network: (total: (flops: Double, seconds: Double), shapes: [ShapeRate]), config c: RunConfig) -> JSONValue {
        let rounds = Double(p.rounds)
        let phases = phaseRows(p).map { row -> (String, JSONValue) in
            (row.name == "everything else" ? "other" : row.name,
             .object([("mean_seconds", .real(row.seconds / rounds)), ("share", .real(p.wallSeconds > 0 ? row.seconds / p.wallSeconds : 0))]))
        }
        let shapes = network.shapes.map { s -> JSONValue in
            .object([("network", .string(s.network)), ("sizes", .array(s.sizes.map(JSONValue.integer))), ("rows", .integer(s.rows)),
                     ("forward_passes", .integer(s.passes.forward)), ("backward_passes", .integer(s.passes.backward)),
                     ("flops", .real(s.flops)), ("seconds", .real(s.seconds)),
                     ("gflops", .real(s.seconds > 0 ? s.flops / s.seconds / 1e9 : 0)), ("sgemm_gflops", .real(s.sgemmGflops))])
        }
        return .object([
            ("algorithm", .string(c.algorithm)), ("strategy", .string(c.resolvedStrategy)), ("learners", .integer(p.learners)),
            ("threads", .integer(p.threads)), ("rounds", .integer(p.rounds)),
            ("round_seconds", .real(p.wallSeconds / rounds)), ("largest_attributed_fraction", .real(p.largestAttributedFraction)),
            ("phases", .object(phases)),
            ("env_steps_per_second", .real(Double(p.environmentSteps) / max(p.wallSeconds, 1e-9))),
            ("network_gflops", .real(network.total.seconds > 0 ? network.total.flops / network.total.seconds / 1e9 : 0)),
            ("network_flops_per_round", .real(network.total.flops / rounds)),
            ("shapes", .array(shapes)),
        ])
    }
}
