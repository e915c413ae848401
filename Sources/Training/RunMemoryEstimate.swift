import Envs

/// An estimate of the memory a run needs, checked by the ``RunPlan`` against
/// ``MemoryBudget/standard`` before anything is built, so that `--agents 100000000` or
/// `--set ppo.hidden=[1000000]` is one sentence instead of an aborted allocation.
///
/// Per learner: its environment copies (``MemoryBudget/defaultBytesPerCopy(observationSize:actionSize:)``
/// each), a rollout of `copies × T` rows (T from the settings' `steps_per_update` or
/// `steps_per_rollout`, 1 otherwise) of observation, action and six scalars, the networks (actor
/// and critic from the settings' `hidden`, 64-64 when absent) with gradients, optimiser moments
/// and the communication rows (eight copies of every parameter), and the layer workspaces of a
/// batch of the rollout's rows. Estimates are in `Double`, so absurd sizes cannot overflow.
public func runMemoryEstimate(learners: Int, copiesPerLearner: Int, observationSize: Int, actionSize: Int, settings: JSONValue) -> Double {
    func int(_ key: String) -> Double? { settings[key]?.doubleValue }
    let steps = int("steps_per_update") ?? int("steps_per_rollout") ?? 1
    let hidden = (settings["hidden"]?.arrayValue ?? [.integer(64), .integer(64)]).compactMap(\.doubleValue)
    let widths = [Double(observationSize)] + hidden + [Double(max(1, 2 * actionSize))]
    var parameters = 0.0
    for k in 0..<(widths.count - 1) { parameters += widths[k] * widths[k + 1] + widths[k + 1] }
    parameters *= 2   // actor and critic
    let copies = Double(copiesPerLearner)
    let rows = copies * max(1, steps)
    let environment = copies * MemoryBudget.defaultBytesPerCopy(observationSize: observationSize, actionSize: actionSize)
    let rollout = rows * 4 * (Double(observationSize + actionSize) + 6)
    let networks = 8 * 4 * parameters
    let workspaces = 2 * 4 * rows * widths.reduce(0, +)
    return Double(learners) * (environment + rollout + networks + workspaces)
}
