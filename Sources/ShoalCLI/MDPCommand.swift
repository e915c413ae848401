import ArgumentParser
import Envs
import Foundation
import Tabular

/// `shoal mdp …`: exact policy evaluation and value iteration on finite tasks.
struct MDPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mdp",
        abstract: "Exact planning on finite tasks (grid worlds, the two-task chain, random MDPs).",
        subcommands: [Evaluate.self, Solve.self])

    /// What both subcommands share: the task, its variant and overrides, the discount.
    struct Common: ParsableArguments {
        @Argument(help: "Task id, for example grid-world/sutton-barto-4x4-v1.")
        var task: String
        @Option(help: "A named variant of the task (see 'shoal envs describe').")
        var variant: String?
        @Option(name: .customLong("param"), help: "Override a parameter: NAME=VALUE (repeatable).")
        var parameters: [String] = []
        @Option(help: "Discount factor γ in [0, 1] (1: undiscounted, needs a policy that ends).")
        var discount: Double
        @Flag(help: "Print {\"values\": […], \"policy\": [[…]]}.")
        var json = false

        /// The task's exact model with the variant and overrides applied.
        func model() throws -> TabularModel {
            let registry = try cliRegistry()
            let task = try registry.task(self.task)
            guard let tabular = task as? any TabularTask else {
                throw CLIError("task \(task.id) is not finite, so it has no exact model; finite tasks are the grid worlds, frozen lakes and random MDPs")
            }
            var assignment = JSONValue.object([])
            if let variant { assignment = try task.variant(variant) }
            for text in parameters {
                let (key, value) = try parseAssignment(text)
                assignment = assignment.setting(key, to: value)
            }
            return try tabular.tabularModel(assignment, context: "task \(task.id)")
        }

        func print(values: [Double], policy: [Double], actions: Int) {
            let rows = (0..<values.count).map { Array(policy[$0 * actions..<($0 + 1) * actions]) }
            if json {
                let doc = JSONValue.object([
                    ("values", .array(values.map { .real($0) })),
                    ("policy", .array(rows.map { .array($0.map { .real($0) }) })),
                ])
                Swift.print(doc.description)
            } else {
                Swift.print("state  value         policy")
                for (s, v) in values.enumerated() {
                    let p = rows[s].map { String(format: "%.3f", $0) }.joined(separator: " ")
                    Swift.print(String(format: "%5d  %12.6f  ", s, v) + p)
                }
            }
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate a policy exactly: V^π of every state.",
            discussion: "The policy is 'uniform' or a JSON file holding one probability row per state, either [[…], …] or {\"policy\": [[…], …]} (the output of 'shoal mdp solve --json').")

        @OptionGroup var common: Common
        @Option(help: "uniform, or a JSON file of per-state action probabilities.")
        var policy: String

        func run() throws {
            let model = try common.model()
            let table = try readPolicy(policy, states: model.stateCount, actions: model.actionCount)
            let values = try evaluatePolicy(model, policy: table, discount: common.discount)
            common.print(values: values, policy: table, actions: model.actionCount)
        }
    }

    struct Solve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Value iteration: optimal values and a greedy optimal policy.")

        @OptionGroup var common: Common

        func run() throws {
            let model = try common.model()
            let solution = try valueIteration(model, discount: common.discount)
            common.print(values: solution.values, policy: solution.policy, actions: model.actionCount)
        }
    }
}

/// Reads `uniform` or a policy file (`[[…]]` or `{"policy": [[…]]}`) into `[S × A]`; errors
/// name the file and, for syntax errors, the line and column.
func readPolicy(_ spec: String, states: Int, actions: Int) throws -> [Double] {
    if spec == "uniform" { return uniformPolicy(states: states, actions: actions) }
    guard let text = try? String(contentsOfFile: spec, encoding: .utf8) else {
        throw CLIError("cannot read policy file \(spec): give 'uniform' or a JSON file of per-state action probabilities")
    }
    let json: JSONValue
    do { json = try JSONValue.parse(text) } catch { throw CLIError("policy file \(spec) is not valid JSON: \(error)") }
    guard let rows = (json["policy"] ?? json).arrayValue else {
        throw CLIError("policy file \(spec) must hold [[…], …] or {\"policy\": [[…], …]}")
    }
    guard rows.count == states else {
        throw CLIError("policy file \(spec) has \(rows.count) rows; the task has \(states) states")
    }
    var table: [Double] = []
    for (s, row) in rows.enumerated() {
        guard let items = row.arrayValue, items.count == actions else {
            throw CLIError("policy file \(spec), state \(s): expected a list of \(actions) probabilities")
        }
        for item in items {
            guard let p = item.doubleValue, p >= 0, p <= 1 else {
                throw CLIError("policy file \(spec), state \(s): probabilities must be numbers in [0, 1], got \(item)")
            }
            table.append(p)
        }
    }
    return table
}
