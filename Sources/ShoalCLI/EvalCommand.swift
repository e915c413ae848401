import ArgumentParser
import Envs
import Foundation
import Training
import TrainingCatalogue

/// `shoal eval RUN_DIR [--task-set NAME]`: zero-shot evaluation of a finished run, as Table II
/// of the Diff-DAC paper: every agent of the run plays `--episodes` test episodes of every task
/// of the set (and its held-out tasks); the table gives the mean per task with a 95 %
/// confidence interval over agents × episodes, and the mean over tasks.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Evaluate a trained run on a task set (zero-shot table).")

    @Argument(help: "A run directory written by 'shoal train'.") var runDirectory: String
    @Option(help: "The task set to evaluate on (default: the run's own).") var taskSet: String?
    @Option(help: "One task to evaluate on instead of a set (default for a single-task run: its task).") var task: String?
    @Option(help: "Test episodes per agent and task.") var episodes: Int = 10
    @Flag(help: "Sample the policy instead of taking the most likely action.") var sampled = false
    @Option(help: "Seed of the test episodes.") var seed: UInt64 = 0
    @Flag(help: "Print JSON instead of the table.") var json = false

    func validate() throws {
        guard episodes >= 1 else { throw ValidationError("--episodes must be at least 1, got \(episodes)") }
        if taskSet != nil && task != nil { throw ValidationError("give --task-set or --task, not both") }
    }

    func run() throws {
        let registry = try cliRegistry()
        let directory = try RunDirectory.open(at: runDirectory)
        let config = try directory.readConfig()
        guard try directory.latestCheckpoint() != nil else { throw CLIError("\(runDirectory) has no checkpoint yet; train it first") }
        let plan = try RunPlan(config: config, registry: registry, algorithms: .standard)
        let evalTask: any RegisteredTask
        var cases: [(String, JSONValue)]
        let setName: String
        if let id = task ?? (taskSet == nil && config.taskSet.isEmpty ? config.task : nil) {
            evalTask = try registry.task(id)
            guard evalTask.id.family == plan.task.id.family else {
                throw CLIError("task \(id) is a \(evalTask.id.family) task, but the run trained on \(plan.task.id); their observations and actions differ")
            }
            let parameters = id == config.task ? plan.tasks[0] : try evalTask.resolve(.object([]), context: "task \(id)")
            cases = [(id, parameters)]
            setName = id.replacingOccurrences(of: "/", with: "-")
        } else {
            setName = taskSet ?? config.taskSet
            let set = try registry.taskSet(setName)
            guard set.task.family == plan.task.id.family else {
                throw CLIError("task set \(setName) is made of \(set.task) tasks, but the run trained on \(plan.task.id); their observations and actions differ")
            }
            evalTask = try registry.task(set.task.description)
            cases = set.tasks.enumerated().map { ("task \($0.offset)", $0.element) }
            cases += set.heldOut.map { ("held-out \($0.name)", $0.parameters) }
        }
        let results = try Self.evaluate(plan: plan, directory: directory, task: evalTask, cases: cases, episodes: episodes,
                                        greedy: !sampled, seed: seed)
        var rows: [JSONValue] = []
        var text = "TASK".padding(toLength: 18, withPad: " ", startingAt: 0) + "MEAN RETURN   95 % CI\n"
        var trainingMeans: [Double] = []
        for (name, values) in results {
            let (mean, half) = meanWithConfidence(values)
            if !name.hasPrefix("held-out ") { trainingMeans.append(mean) }
            rows.append(.object([("task", .string(name)), ("mean", .real(mean)), ("ci95", .real(half)), ("episodes", .integer(values.count))]))
            text += name.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "%-13.1f (%.1f, %.1f)\n", mean, mean - half, mean + half)
        }
        let (allMean, allHalf) = meanWithConfidence(trainingMeans)
        text += "mean over tasks".padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "%-13.1f (%.1f, %.1f)", allMean, allMean - allHalf, allMean + allHalf)
        let report = JSONValue.object([("run", .string(runDirectory)), ("task_set", .string(setName)), ("episodes", .integer(episodes)),
                                       ("greedy", .bool(!sampled)), ("rows", .array(rows)), ("mean_over_tasks", .real(allMean)),
                                       ("mean_over_tasks_ci95", .real(allHalf))])
        try directory.writeJSON("eval-\(setName).json", report)
        print(json ? report.description : text)
    }

    /// Every agent of the run on every case, `episodes` each: the returns per case.
    static func evaluate(plan: RunPlan, directory: RunDirectory, task: any RegisteredTask, cases: [(String, JSONValue)], episodes: Int,
                         greedy: Bool, seed: UInt64) throws -> [(String, [Double])] {
        var session = try plan.algorithm.openRun(plan: plan, directory: directory, resume: true, keepMetrics: true)
        return try cases.enumerated().map { c, item in
            var values: [Double] = []
            for k in 0..<session.agentCount {
                values += try session.evaluate(agent: k, task: task, parameters: item.1, episodes: episodes, greedy: greedy,
                                               seed: deriveSeed(seed, UInt64(c * 1000 + k)))
            }
            return (item.0, values)
        }
    }
}
