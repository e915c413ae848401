import Envs
import Training
import TrainingCatalogue

/// A preset's training budget counted per environment copy (`"budget": {"environment_steps_per_copy": S}`).
///
/// Paper 000, §VI-C: Centralised A2C is one agent with 25 processes (one per task), Diff-A2C is
/// 25 agents with one process each, and each of the 25 specialised agents gets "the equivalent
/// resources to the Centralised A2C agent" — 25 copies of its own task. Every process (every
/// environment copy) therefore runs for the same number of steps S, and an arm's budget in
/// total environment steps is S × its copies: Diff-A2C 25·S, Centralised A2C 25·S, Specialised
/// A2C 25 agents × 25 copies × S = 625·S. A cap on the total shared by all learners
/// (`max_environment_steps` alone) would give each specialised agent 1/25 of the centralised
/// budget instead. An arm may carry its own `"budget"` (``ExperimentPreset/armBudgets``): a
/// smaller S stated in the preset where the fair one does not fit the machine.
struct PresetBudget: Equatable {
    /// S: environment steps each environment copy takes.
    var stepsPerCopy: Int

    static let key = "environment_steps_per_copy"

    static func decode(_ json: JSONValue, file: String) throws -> PresetBudget {
        guard let pairs = json.objectPairs, pairs.count == 1, pairs[0].key == key else {
            throw CLIError("preset \(file): 'budget' must be {\"\(key)\": S}, a positive integer of environment steps per environment copy")
        }
        guard let d = pairs[0].value.doubleValue, d >= 1, d == d.rounded(), d < 1e15 else {
            throw CLIError("preset \(file): budget.\(key) must be a positive integer, got \(pairs[0].value)")
        }
        return PresetBudget(stepsPerCopy: Int(d))
    }

    /// The environment copies of a plan: every learner's batch, each task `copies_per_task` times.
    static func copies(of plan: RunPlan) -> Int {
        plan.learnerTasks.reduce(0) { $0 + $1.count } * plan.config.copiesPerTask
    }

    /// `config` with `max_environment_steps` set to S × the copies of its plan.
    func applied(to config: RunConfig, registry: TaskRegistry) throws -> (config: RunConfig, copies: Int) {
        let probe = try RunPlan(config: config, registry: registry, algorithms: .standard)
        let copies = PresetBudget.copies(of: probe)
        var c = config
        c.maxEnvironmentSteps = stepsPerCopy * copies
        return (c, copies)
    }
}
