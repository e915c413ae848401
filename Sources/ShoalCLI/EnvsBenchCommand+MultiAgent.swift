import Dispatch
import Envs

extension EnvsBenchCommand {
    /// `bench` of a multi-agent task: copy steps and agent steps (copies × agents) per second.
    func benchMultiAgent(_ registry: TaskRegistry) throws {
        let env = try registry.makeMultiAgent(id, count: numEnvs, variant: variant, overrides: try parseOverrides(params), threads: threads)
        let rate = try measureMultiAgent(env, steps: steps, seed: seed)
        let agentRate = rate * Double(env.agents)
        if json {
            print(JSONValue.object([("task", .string(id)), ("num_envs", .integer(numEnvs)), ("agents", .integer(env.agents)),
                                    ("threads", .integer(threads)), ("steps_per_second", .real(rate.rounded())),
                                    ("agent_steps_per_second", .real(agentRate.rounded()))]))
        } else {
            print("\(id): \(numEnvs) copies × \(env.agents) agents, \(threads) thread\(threads == 1 ? "" : "s"): \(formatRate(agentRate)) agent-steps/s (\(formatRate(rate)) steps/s)")
        }
    }
}

/// Times `steps` batch steps of a multi-agent `env` (after a warm-up) under random actions drawn
/// before timing; returns copies × steps per second.
func measureMultiAgent(_ env: any MultiAgentVectorEnvironment, steps: Int, seed: UInt64) throws -> Double {
    try measureOpened(env, steps: steps, seed: seed)
}

private func measureOpened<V: MultiAgentVectorEnvironment>(_ env: V, steps: Int, seed: UInt64) throws -> Double {
    var env = env
    var batch = env.reset(seed: seed)
    var g = RandomGenerator(seed: seed, index: 1 << 41)
    let pool: [[Float]] = (0..<8).map { _ in env.actionSpaces.flatMap { space in (0..<env.count).flatMap { _ in sampleAction(space, &g) } } }
    for k in 0..<min(steps, 20) { try env.step(pool[k & 7], into: &batch) }
    let start = DispatchTime.now().uptimeNanoseconds
    for k in 0..<steps { try env.step(pool[k & 7], into: &batch) }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return Double(env.count * steps) / seconds
}
