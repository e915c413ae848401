import Envs
import Foundation

extension EnvsRolloutCommand {
    /// `rollout` of a multi-agent task: one JSON object per step,
    /// `{"t","obs","reward","terminated","truncated","state"}` with `obs` one array per agent and
    /// `reward` one number per agent (on a step that ends the episode, the final observations and
    /// state). `--actions-file` holds per step an array of one action per agent.
    func rolloutMultiAgent(_ registry: TaskRegistry) throws {
        var env = try registry.makeMultiAgent(id, count: 1, variant: variant, overrides: try parseOverrides(params))
        var batch = env.reset(seed: seed)
        FileHandle.standardError.write(Data("# shoal envs rollout \(id) seed=\(seed) agents=\(env.agents)\n".utf8))
        if let state { try env.setState(try parseStateValues(state), row: 0, into: &batch) }
        let fileActions = try actionsFile.map { try readJointActions($0, spaces: env.actionSpaces) }
        let total = steps ?? fileActions?.count ?? 200
        if let fileActions, total > fileActions.count {
            throw CLIError("--steps \(total) asks for more steps than the \(fileActions.count) actions in \(actionsFile!)")
        }
        var g = RandomGenerator(seed: seed, index: 1 << 40)
        var out = FileHandle.standardOutput
        for t in 0..<total {
            let action: [Float]
            if let fileActions { action = fileActions[t] } else if policy == "zero" {
                action = [Float](repeating: 0, count: env.actionCount)
            } else {
                action = env.actionSpaces.flatMap { sampleAction($0, &g) }
            }
            try env.step(action, into: &batch)
            let ended = batch.ended(0)
            let obs = (0..<env.agents).map { m in
                JSONValue.array((ended ? batch.finalObservation(agent: m, row: 0) : batch.observation(agent: m, row: 0)).map { .real(Double($0)) })
            }
            let line = JSONValue.object([
                ("t", .integer(t)), ("obs", .array(obs)),
                ("reward", .array((0..<env.agents).map { .real(Double(batch.reward(agent: $0, row: 0))) })),
                ("terminated", .bool(batch.terminated[0])), ("truncated", .bool(batch.truncated[0])),
                ("state", .array((ended ? batch.finalState(0) : batch.state(0)).map { .real(Double($0)) })),
            ])
            print(line, to: &out)
        }
    }
}

/// Reads a multi-agent actions file: a JSON array of steps, each an array with one action per
/// agent (an integer for a discrete space, an array of numbers for a box). Returns each step's
/// joint action (agent 0 first).
func readJointActions(_ path: String, spaces: [Space]) throws -> [[Float]] {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch { throw CLIError("cannot read actions file \(path): \(error.localizedDescription)") }
    let json: JSONValue
    do { json = try JSONValue.parse(text) } catch { throw CLIError("actions file \(path) is not valid JSON: \(error)") }
    guard let items = json.arrayValue else { throw CLIError("actions file \(path) must hold a JSON array of steps, each an array of one action per agent") }
    return try items.enumerated().map { t, item in
        guard let perAgent = item.arrayValue, perAgent.count == spaces.count else {
            throw CLIError("actions file \(path): step \(t) is \(item), but this task takes an array of \(spaces.count) actions, one per agent")
        }
        return try zip(spaces, perAgent).enumerated().flatMap { m, pair -> [Float] in
            let (space, action) = pair
            switch space {
            case .discrete(let n):
                guard case .number(let v, _) = action, v == v.rounded(), v >= 0, v < Double(n) else {
                    throw CLIError("actions file \(path): step \(t), agent \(m): action \(action) is not valid, this agent takes an integer from 0 to \(n - 1)")
                }
                return [Float(v)]
            case .box(let box):
                guard let values = action.arrayValue, values.count == box.low.count, values.allSatisfy({ $0.doubleValue?.isFinite == true }) else {
                    throw CLIError("actions file \(path): step \(t), agent \(m): the action must be an array of \(box.low.count) finite numbers, got \(action)")
                }
                return values.map { Float($0.doubleValue!) }
            }
        }
    }
}
