import ActorCritic
import PolicyGradient
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

    static func siacConfig(_ plan: RunPlan) throws -> SiACConfig {
        let defaults = SiACConfig()
        let config = try decodeStrictly(SiACConfig.self, from: plan.config.siac.value, defaults: defaults,
                                        allowedKeys: Array(try encodeJSON(defaults).objectPairs!.map(\.key)), context: "siac settings")
        if let problem = config.validationProblem() { throw TrainingError("siac settings: \(problem)") }
        return config
    }

    static func reinforceConfig(_ plan: RunPlan) throws -> ReinforceConfig {
        let defaults = ReinforceConfig()
        let config = try decodeStrictly(ReinforceConfig.self, from: plan.config.reinforce.value, defaults: defaults,
                                        allowedKeys: Array(try encodeJSON(defaults).objectPairs!.map(\.key)), context: "reinforce settings")
        if let problem = config.validationProblem() { throw TrainingError("reinforce settings: \(problem)") }
        return config
    }

    /// Checks a plan's algorithm settings before anything runs.
    static func validate(_ plan: RunPlan) throws {
        switch plan.config.algorithm {
        case "a2c": _ = try a2cConfig(plan)
        case "siac": _ = try siacConfig(plan)
        default: _ = try reinforceConfig(plan)
        }
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
        case "siac":
            let settings = try siacConfig(plan)
            var run = try TrainingRun(plan: plan, directory: directory, resume: resume) { _, env, tasks, seed in
                try SiACLearner(config: settings, environment: env, tasks: tasks, seed: seed)
            }
            return try run.run(stopAfter: stopAfter, progress: progress)
        default:
            let settings = try reinforceConfig(plan)
            var run = try TrainingRun(plan: plan, directory: directory, resume: resume) { _, env, tasks, seed in
                try ReinforceLearner(config: settings, environment: env, tasks: tasks, seed: seed)
            }
            return try run.run(stopAfter: stopAfter, progress: progress)
        }
    }
}
