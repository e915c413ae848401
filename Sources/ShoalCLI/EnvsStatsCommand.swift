import ArgumentParser
import Envs
import Foundation

/// `shoal envs stats ID --policy zero|random --episodes N [--json]`: episode statistics of one
/// task under a fixed policy, the measurements a surrogate is calibrated with against its
/// reference (`bench/locomotion_vs_mujoco.py` runs it beside Gymnasium's MuJoCo robots).
///
/// Episode `e` (0 ≤ e < N) starts from `reset(seed: seed + e)`; the random policy draws uniform
/// actions from its own stream `(seed + e, 2⁴⁰)`, as `shoal envs rollout` does. An episode ends
/// when the task terminates or truncates it (or after `--max-steps`, counted as cut). Reported:
/// mean, median and standard deviation of the episode length and return, and how many episodes
/// ended because the physics diverged. With `--policy zero`,
/// also the first `--trace-steps` observations of one noise-free episode (the task's
/// `reset_noise_scale` set to 0 where it has one), the final observation on the step that ends it.
struct EnvsStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Episode length and return statistics of a task under the zero or a random policy.")

    @OptionGroup var options: RegistryOptions
    @Argument(help: "A task id, for example hopper-v1.") var id: String
    @Option(help: "A named variant of the task.") var variant: String?
    @Option(name: .customLong("param"), help: "Set a parameter, NAME=VALUE (repeatable); names as in 'shoal envs describe'.")
    var params: [String] = []
    @Option(help: "zero or random.") var policy: String = "random"
    @Option(parsing: .unconditional, help: "Number of episodes, each from its own seed.") var episodes: Int = 30
    @Option(parsing: .unconditional, help: "Seed of the first episode.") var seed: UInt64 = 0
    @Option(parsing: .unconditional, help: "Longest episode measured; a longer one is cut and counted.") var maxSteps: Int = 100_000
    @Option(parsing: .unconditional, help: "Steps of the noise-free zero-action trace (zero policy only).") var traceSteps: Int = 200
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        if !["random", "zero"].contains(policy) { throw ValidationError("--policy must be zero or random, got '\(policy)'") }
        if episodes < 1 { throw ValidationError("--episodes must be at least 1, got \(episodes)") }
        if maxSteps < 1 { throw ValidationError("--max-steps must be at least 1, got \(maxSteps)") }
        if traceSteps < 0 { throw ValidationError("--trace-steps must be at least 0, got \(traceSteps)") }
    }

    func run() throws {
        let registry = try options.registry().value
        let task = try registry.task(id)
        if task is any MultiAgentRegisteredTask {
            throw CLIError("shoal envs stats measures single-agent tasks; \(id) is a multi-agent task")
        }
        let overrides = try parseOverrides(params)
        var env = try registry.make(id, count: 1, variant: variant, overrides: overrides)
        let zero = policy == "zero"
        var lengths: [Double] = [], returns: [Double] = [], cut = 0, diverged = 0
        for e in 0..<episodes {
            let s = seed &+ UInt64(e)
            let outcome = try runEpisode(&env, seed: s, zero: zero)
            lengths.append(Double(outcome.length)); returns.append(outcome.total)
            if outcome.cut { cut += 1 }
            if outcome.diverged { diverged += 1 }
        }
        var trace: [[Float]] = []
        if zero && traceSteps > 0 {
            var quiet = overrides
            if task.parameterFields.contains(where: { $0.name == "reset_noise_scale" }) {
                quiet = quiet.setting("reset_noise_scale", to: .real(0))
            }
            var traced = try registry.make(id, count: 1, variant: variant, overrides: quiet)
            var batch = traced.reset(seed: seed)
            let action = [Float](repeating: 0, count: traced.actionSpace.size)
            for _ in 0..<traceSteps {
                try traced.step(action, into: &batch)
                let ended = batch.ended(0)
                trace.append(Array(ended ? batch.finalObservation(0) : batch.observation(0)))
                if ended { break }
            }
        }
        let summary = EpisodeSummary(lengths: lengths, returns: returns)
        if json {
            var fields: [(String, JSONValue)] = [
                ("task", .string(id)), ("policy", .string(policy)), ("episodes", .integer(episodes)), ("cut", .integer(cut)), ("diverged", .integer(diverged)),
                ("length", summary.length.json), ("return", summary.total.json),
                ("lengths", .array(lengths.map { .real($0) })), ("returns", .array(returns.map { .real($0) })),
            ]
            if zero { fields.append(("trace", .array(trace.map { .array($0.map { .real(Double($0)) }) }))) }
            print(JSONValue.object(fields))
        } else {
            print("\(id), \(policy) policy, \(episodes) episodes (seeds \(seed)…\(seed &+ UInt64(episodes - 1)))" + (cut > 0 ? ", \(cut) cut at \(maxSteps) steps" : "")
                  + (diverged > 0 ? ", \(diverged) ended by diverging physics" : ""))
            print("  episode length  mean \(fmt(summary.length.mean))  median \(fmt(summary.length.median))  sd \(fmt(summary.length.sd))")
            print("  episode return  mean \(fmt(summary.total.mean))  median \(fmt(summary.total.median))  sd \(fmt(summary.total.sd))")
            if zero && !trace.isEmpty {
                print("  noise-free zero-action episode: \(trace.count) steps traced; observation[0] at the last: \(fmt(Double(trace[trace.count - 1][0])))")
            }
        }
    }

    func runEpisode(_ env: inout any VectorEnvironment, seed s: UInt64, zero: Bool) throws -> (length: Int, total: Double, cut: Bool, diverged: Bool) {
        var batch = env.reset(seed: s)
        var g = RandomGenerator(seed: s, index: 1 << 40)
        let zeroAction = [Float](repeating: 0, count: env.actionSpace.size)
        var total = 0.0
        for t in 1...maxSteps {
            try env.step(zero ? zeroAction : sampleAction(env.actionSpace, &g), into: &batch)
            total += Double(batch.rewards[0])
            if batch.ended(0) { return (t, total, false, batch.episodes.diverged[0]) }
        }
        return (maxSteps, total, true, false)
    }

    func fmt(_ v: Double) -> String { formatJSONNumber((v * 1000).rounded() / 1000) }
}

/// Mean, median and (population) standard deviation of the episode lengths and returns.
struct EpisodeSummary {
    struct Moments {
        var mean, median, sd: Double
        init(_ values: [Double]) {
            let n = Double(values.count)
            let m = values.reduce(0, +) / n
            mean = m
            median = quantile(values.sorted(), 0.5)
            sd = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n).squareRoot()
        }
        var json: JSONValue { .object([("mean", .real(mean)), ("median", .real(median)), ("std", .real(sd))]) }
    }
    var length: Moments, total: Moments
    init(lengths: [Double], returns: [Double]) {
        length = Moments(lengths); total = Moments(returns)
    }
}
