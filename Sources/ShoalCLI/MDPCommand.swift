import ArgumentParser
import Envs
import Foundation
import Tabular

/// `shoal mdp …`: exact policy evaluation and value iteration on finite tasks.
struct MDPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mdp",
        abstract: "Exact planning on finite tasks (grid worlds, the two-task chain, random MDPs).",
        subcommands: [Evaluate.self, Solve.self, Shared.self])

    /// What both subcommands share: the task, its variant and overrides, the discount.
    struct Common: ParsableArguments {
        @Argument(help: "Task id, for example grid-world/sutton-barto-4x4-v1.")
        var task: String
        @Option(help: "A named variant of the task (see 'shoal envs describe').")
        var variant: String?
        @Option(name: .customLong("param"), help: "Override a parameter: NAME=VALUE (repeatable).")
        var parameters: [String] = []
        @Option(parsing: .unconditional, help: "Discount factor γ in [0, 1] (1: undiscounted, needs a policy that ends).")
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

extension MDPCommand {
    /// `shoal mdp shared SET`: exact planning on the summed objective of a task set whose tasks
    /// share their dynamics (paper 001 eq. 5; see `MultiTaskProduct`).
    struct Shared: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exact planning on the summed objective of a task set (paper 001 eq. 5).",
            discussion: "Prints each task's own optimum, their sum, and the optimum of the sum over policies that see the state and which tasks are still running — an upper bound on every shared policy, attained by one when its optimal path repeats no state.")

        @Argument(help: "A task set, for example dcpg-resolvable.")
        var taskSet: String
        @Option(parsing: .unconditional, help: "Discount factor γ in [0, 1).")
        var discount: Double
        @Flag(help: "Print one JSON object.")
        var json = false

        func run() throws {
            let registry = try cliRegistry()
            let set = try registry.taskSet(taskSet)
            guard let task = try registry.task(set.task.description) as? any TabularTask else {
                throw CLIError("task set \(taskSet) is made of \(set.task), which has no exact model")
            }
            let clock = ContinuousClock()
            let started = clock.now
            let models = try set.tasks.enumerated().map { try task.tabularModel($0.element, context: "task set \(taskSet), task \($0.offset)") }
            var separate: [Double] = []
            for m in models {
                let v = try valueIteration(m, discount: discount).values
                separate.append(zip(m.initial, v).reduce(0) { $0 + $1.0 * $1.1 })
            }
            let product = try MultiTaskProduct(models)
            let solution = try valueIteration(product.mdp, discount: discount)
            let bound = zip(product.mdp.initial, solution.values).reduce(0) { $0 + $1.0 * $1.1 }
            let start = product.mdp.initial.indices.max { product.mdp.initial[$0] < product.mdp.initial[$1] } ?? 0
            let path = mostLikelyPath(product.mdp, policy: solution.policy, from: start, values: solution.values).map { product.decode($0).state }
            let seconds = Double((clock.now - started).components.attoseconds) / 1e18 + Double((clock.now - started).components.seconds)
            let sum = separate.reduce(0, +)
            if json {
                print(JSONValue.object([
                    ("task_set", .string(taskSet)), ("discount", .real(discount)),
                    ("task_optima", .array(separate.map { .real($0) })), ("sum_of_optima", .real(sum)),
                    ("shared_optimum_bound", .real(bound)), ("product_states", .integer(product.mdp.stateCount)),
                    ("path", .array(path.map { .integer($0) })), ("seconds", .real(seconds)),
                ]).description)
            } else {
                print("task set \(taskSet): \(models.count) tasks of \(set.task), γ = \(discount)")
                for (i, v) in separate.enumerated() { print(String(format: "  task %d optimum      %.6f", i + 1, v)) }
                print(String(format: "  sum of optima       %.6f", sum))
                print(String(format: "  optimum of the sum  %.6f  (bound on shared policies; %d product states)", bound, product.mdp.stateCount))
                print(abs(bound - sum) < 1e-9 ? "  one policy attains every task's optimum" : String(format: "  conflict: the sum loses %.6f", sum - bound))
                print("  optimal path (states): " + path.map(String.init).joined(separator: " "))
                print(String(format: "  planned in %.3f s", seconds))
            }
        }
    }
}

/// Reads `uniform` or a policy file (`[[…]]` or `{"policy": [[…]]}`) into `[S × A]`; errors
/// name the file and, for syntax errors, the line and column.
func readPolicy(_ spec: String, states: Int, actions: Int) throws -> [Double] {
    if spec == "uniform" { return uniformPolicy(states: states, actions: actions) }
    let text: String
    do { text = try TextFile.read(spec) } catch {
        throw CLIError("cannot read policy file \(error.path): \(error.reason) (give 'uniform' or a JSON file of per-state action probabilities)")
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
