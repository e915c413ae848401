import ArgumentParser
import Envs
import Foundation

/// `shoal envs rollout ID …`: steps one copy and prints JSON Lines
/// `{"t","obs","reward","terminated","truncated"}`. On a step that ends an episode, `obs` is
/// the episode's final observation (what Gymnasium returns); the next step starts a new episode.
struct EnvsRolloutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollout", abstract: "Roll out one copy of a task and print JSON Lines.")

    @OptionGroup var options: RegistryOptions
    @Argument(help: "A task id, for example pendulum-v1.") var id: String
    @Option(help: "A named variant of the task.") var variant: String?
    @Option(name: .customLong("param"), help: "Set a parameter, NAME=VALUE (repeatable); names as in 'shoal envs describe'.")
    var params: [String] = []
    @Option(parsing: .unconditional, help: "Initial physical state, comma-separated, in the task's documented order (a leading minus sign is fine: --state -0.1,0.2).") var state: String?
    @Option(help: "A JSON array of actions: integers for discrete spaces, arrays for boxes.") var actionsFile: String?
    @Option(help: "random or zero (when no actions file is given).") var policy: String = "random"
    @Option(parsing: .unconditional, help: "Number of steps (default: every action of the file, or 200).") var steps: Int?
    @Option(parsing: .unconditional, help: "Seed of the copy's generator (and of the random policy).") var seed: UInt64 = 0

    func validate() throws {
        if let steps, steps < 0 { throw ValidationError("--steps must be at least 0, got \(steps)") }
        if actionsFile == nil && !["random", "zero"].contains(policy) {
            throw ValidationError("--policy must be random or zero, got '\(policy)'")
        }
    }

    func run() throws {
        let registry = try options.registry().value
        if try registry.task(id) is any MultiAgentRegisteredTask {
            try rolloutMultiAgent(registry)
            return
        }
        var env = try registry.make(id, count: 1, variant: variant, overrides: try parseOverrides(params))
        var batch = env.reset(seed: seed)
        FileHandle.standardError.write(Data("# shoal envs rollout \(id) seed=\(seed)\n".utf8))
        if let state { try env.setState(try parseStateValues(state), row: 0, into: &batch) }
        let fileActions = try actionsFile.map { try readActions($0, space: env.actionSpace) }
        let total = steps ?? fileActions?.count ?? 200
        if let fileActions, total > fileActions.count {
            throw CLIError("--steps \(total) asks for more steps than the \(fileActions.count) actions in \(actionsFile!)")
        }
        var g = RandomGenerator(seed: seed, index: 1 << 40)
        let size = env.actionSpace.size
        var out = FileHandle.standardOutput
        for t in 0..<total {
            let action: [Float]
            if let fileActions { action = fileActions[t] } else if policy == "zero" {
                action = [Float](repeating: 0, count: size)
            } else {
                action = sampleAction(env.actionSpace, &g)
            }
            try env.step(action, into: &batch)
            let ended = batch.ended(0)
            let obs = ended ? batch.finalObservation(0) : batch.observation(0)
            let line = JSONValue.object([
                ("t", .integer(t)), ("obs", .array(obs.map { .real(Double($0)) })), ("reward", .real(Double(batch.rewards[0]))),
                ("terminated", .bool(batch.terminated[0])), ("truncated", .bool(batch.truncated[0])),
            ])
            print(line, to: &out)
        }
    }
}

/// Reads `--state V,V,…` into numbers.
func parseStateValues(_ state: String) throws -> [Double] {
    try state.split(separator: ",").map { text -> Double in
        guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite else {
            throw CLIError("--state value '\(text)' is not a finite number")
        }
        return v
    }
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) { write(Data(string.utf8)) }
}

/// One random action of `space`: a uniform index, or a uniform point of the box (±1 where unbounded).
func sampleAction(_ space: Space, _ g: inout RandomGenerator) -> [Float] {
    switch space {
    case .discrete(let n): return [Float(g.below(n))]
    case .box(let box):
        return box.low.indices.map { i in
            let lo = box.low[i].isFinite ? Double(box.low[i]) : -1, hi = box.high[i].isFinite ? Double(box.high[i]) : 1
            return Float(g.uniform(lo, hi))
        }
    }
}

/// Reads an actions file: a JSON array of integers (discrete) or of arrays of numbers (box).
func readActions(_ path: String, space: Space) throws -> [[Float]] {
    let text = try readTextFile(path, what: "actions file")
    do { return try ActionsFile.parse(text, space: space, path: path) } catch { throw CLIError(error.description) }
}
