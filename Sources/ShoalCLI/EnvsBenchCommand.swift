import ArgumentParser
import Dispatch
import Envs

/// `shoal envs bench ID --num-envs N --steps K [--threads T] [--json]`: steps per second of a
/// batch under random actions drawn before timing (as the peers' benchmark does).
struct EnvsBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure the stepping throughput of a task.")

    @OptionGroup var options: RegistryOptions
    @Argument(help: "A task id, for example cart-pole-v1.") var id: String
    @Option(parsing: .unconditional, help: "Copies in the batch.") var numEnvs: Int = 4096
    @Option(parsing: .unconditional, help: "Batch steps to time.") var steps: Int = 1000
    @Option(parsing: .unconditional, help: "Threads the batch is split over.") var threads: Int = 1
    @Option(help: "A named variant of the task.") var variant: String?
    @Option(name: .customLong("param"), help: "Set a parameter, NAME=VALUE (repeatable).") var params: [String] = []
    @Option(parsing: .unconditional, help: "Root seed.") var seed: UInt64 = 0
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard numEnvs >= 1 else { throw ValidationError("--num-envs must be at least 1, got \(numEnvs)") }
        guard steps >= 1 else { throw ValidationError("--steps must be at least 1, got \(steps)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() throws {
        let registry = try options.registry().value
        if try registry.task(id) is any MultiAgentRegisteredTask {
            try benchMultiAgent(registry)
            return
        }
        let env = try registry.make(id, count: numEnvs, variant: variant, overrides: try parseOverrides(params), threads: threads)
        let rate = try measureStepsPerSecond(env, steps: steps, seed: seed)
        if json {
            print(JSONValue.object([("task", .string(id)), ("num_envs", .integer(numEnvs)), ("threads", .integer(threads)),
                                    ("steps_per_second", .real(rate.rounded()))]))
        } else {
            print("\(id): \(numEnvs) copies, \(threads) thread\(threads == 1 ? "" : "s"): \(formatRate(rate)) steps/s")
        }
    }
}

/// Times `steps` batch steps of `env` (after a warm-up) and returns copies × steps per second.
func measureStepsPerSecond(_ env: any VectorEnvironment, steps: Int, seed: UInt64) throws -> Double {
    try measure(env, steps: steps, seed: seed)
}

private func measure<V: VectorEnvironment>(_ env: V, steps: Int, seed: UInt64) throws -> Double {
    var env = env
    var batch = env.reset(seed: seed)
    var g = RandomGenerator(seed: seed, index: 1 << 41)
    // Eight batches of random actions, drawn in the order of `sampleAction` straight into flat
    // arrays (no array per copy: a million copies build their pool in milliseconds).
    let space = env.actionSpace
    let pool: [[Float]] = (0..<8).map { _ in
        var actions: [Float] = []
        actions.reserveCapacity(env.count * space.size)
        for _ in 0..<env.count { appendAction(space, &g, to: &actions) }
        return actions
    }
    for k in 0..<min(steps, 20) { try env.step(pool[k & 7], into: &batch) }
    let start = DispatchTime.now().uptimeNanoseconds
    for k in 0..<steps { try env.step(pool[k & 7], into: &batch) }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return Double(env.count) * Double(steps) / seconds
}

/// `123.4 M`, `56.7 k`.
func formatRate(_ rate: Double) -> String {
    if rate >= 1e6 { return String(format: "%.1f M", rate / 1e6) }
    if rate >= 1e3 { return String(format: "%.1f k", rate / 1e3) }
    return String(format: "%.0f", rate)
}
import Foundation

/// Appends one random action of `space` to `actions`, drawing exactly as ``sampleAction(_:_:)``.
func appendAction(_ space: Space, _ g: inout RandomGenerator, to actions: inout [Float]) {
    switch space {
    case .discrete(let n): actions.append(Float(g.below(n)))
    case .box(let box):
        for i in box.low.indices {
            let lo = box.low[i].isFinite ? Double(box.low[i]) : -1, hi = box.high[i].isFinite ? Double(box.high[i]) : 1
            actions.append(Float(g.uniform(lo, hi)))
        }
    }
}
