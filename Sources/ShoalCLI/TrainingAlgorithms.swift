import ActorCritic
import Envs
import Foundation
import Training

/// Maps a run's `algorithm` to its learner type and runs it: the one place that knows every
/// algorithm module.
enum TrainingAlgorithms {
    /// The settings of `algorithm` for a plan, decoded strictly from the config's settings object.
    static func a2cConfig(_ plan: RunPlan) throws -> A2CConfig {
        let defaults = plan.config.architecture == "decentralised" && plan.learnerTasks.count > 1 ? A2CConfig.diffusionDefaults : A2CConfig()
        let config = try decodeStrictly(A2CConfig.self, from: plan.config.a2c.value, defaults: defaults,
                                        allowedKeys: Array(try encodeJSON(defaults).objectPairs!.map(\.key)), context: "a2c settings")
        if let problem = config.validationProblem() { throw TrainingError("a2c settings: \(problem)") }
        return config
    }

    /// Runs (or resumes) a training run; `stopAfter` cuts it short for resumption tests.
    static func run(plan: RunPlan, directory: RunDirectory, resume: Bool, stopAfter: Int? = nil,
                    progress: ((TrainingProgress) -> Void)?) throws -> JSONValue? {
        switch plan.config.algorithm {
        case "a2c":
            let settings = try a2cConfig(plan)
            var run = try TrainingRun(plan: plan, directory: directory, resume: resume) { _, env, tasks, seed in
                try A2CLearner(config: settings, environment: env, tasks: tasks, seed: seed)
            }
            return try run.run(stopAfter: stopAfter, progress: progress)
        default:
            throw TrainingError("algorithm '\(plan.config.algorithm)' is not available yet")
        }
    }
}
