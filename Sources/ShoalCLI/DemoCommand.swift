import ArgumentParser
import Envs

/// `shoal demo`: the main job of `make demo`. It runs the 3-minute version of the Diff-DAC
/// acrobot experiment (preset `diffdac-acrobot-demo`: Diff-A2C on a ring vs centralised A2C on
/// 25 Extreme Acrobots, budgets per environment copy; the fairly budgeted specialised arm is in
/// `diffdac-acrobot`) and prints its comparison table. With
/// `--environments` it instead rolls out every classic-control task under a random policy and
/// benchmarks its stepping throughput.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Run the 3-minute Diff-DAC acrobot experiment (or, with --environments, an environment tour).")

    @Flag(help: "Roll out and benchmark the classic-control tasks instead of training.") var environments = false
    @Option(help: "Where the demo's runs go.") var out: String = "runs/demo"

    @Option(parsing: .unconditional, help: "Copies per batch.") var numEnvs: Int = 4096
    @Option(parsing: .unconditional, help: "Threads per batch.") var threads: Int = 2
    @Option(parsing: .unconditional, help: "Root seed.") var seed: UInt64 = 0

    func validate() throws {
        guard numEnvs >= 1, threads >= 1 else { throw ValidationError("--num-envs and --threads must be at least 1") }
    }

    func run() throws {
        let registry = try cliRegistry()
        guard environments else {
            let preset = try ExperimentPreset.named("diffdac-acrobot-demo")
            try preset.run(registry: registry, out: out, force: true, overrides: .object([]), seeds: [seed], progress: nil)
            return
        }
        print("shoal demo — seed \(seed), \(numEnvs) copies, \(threads) threads")
        print("TASK".padding(toLength: 26, withPad: " ", startingAt: 0) + "EPISODES  RANDOM-POLICY RETURN  STEPS/S")
        for id in ["pendulum-v1", "cart-pole-v1", "cart-pole/continuous-v1", "cart-pole/swing-up-v1", "acrobot-v1"] {
            var env = try registry.make(id, count: numEnvs, threads: threads)
            var batch = env.reset(seed: seed)
            var g = RandomGenerator(seed: seed, index: 1 << 42)
            var total = 0.0, episodes = 0
            for _ in 0..<500 {
                let actions = (0..<env.count).flatMap { _ in sampleAction(env.actionSpace, &g) }
                try env.step(actions, into: &batch)
                for r in 0..<env.count where batch.ended(r) {
                    total += Double(batch.episodes.returns[r])
                    episodes += 1
                }
            }
            let rate = try measureStepsPerSecond(try registry.make(id, count: numEnvs, threads: threads), steps: 300, seed: seed)
            let mean = episodes > 0 ? String(format: "%.1f", total / Double(episodes)) : "—"
            print(id.padding(toLength: 26, withPad: " ", startingAt: 0) + String(episodes).padding(toLength: 10, withPad: " ", startingAt: 0)
                  + mean.padding(toLength: 22, withPad: " ", startingAt: 0) + formatRate(rate))
        }
    }
}
import Foundation
