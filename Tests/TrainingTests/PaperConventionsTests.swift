import Envs
import EnvsTesting
import Foundation
import Testing
import Training
import TrainingCatalogue

/// Paper 000's conventions in the run configuration: neighbourhoods that count the agent, task
/// draws per seed, Table I over the policy network.
@Suite("Diff-DAC conventions: neighbourhood size, redrawn tasks, Table I")
struct PaperConventionsTests {
    let registry = try! TaskRegistry.standard.adding(TaskRegistry.testingTasks)

    @Test func neighbourhoodSizeCountsTheAgentItself() throws {
        let c = try RunConfig.decode(.object([("task_set", .string("pendulum-25")), ("topology", .string("random")), ("neighbourhood_size", .real(4.2))]),
                                     context: "test")
        #expect(abs(c.degree - 3.2) < 1e-12)
        // 25 agents with |N_k| = 4.2 on average: 3.2 neighbours each besides themselves, 40 edges.
        var withAlgorithm = c
        withAlgorithm.algorithm = "siac"
        withAlgorithm.algorithmSettings = .object([("hidden", .array([.integer(4)]))])
        let plan = try RunPlan(config: withAlgorithm, registry: registry, algorithms: .standard)
        let graph = try #require(plan.graph)
        #expect(graph.edgeCount == 40)
        #expect(abs(graph.averageDegree + 1 - 4.2) < 1e-9)
        // config.json records the degree the graph was built with.
        #expect(abs((plan.config.json["degree"]?.doubleValue ?? 0) - 3.2) < 1e-12)

        let both = #expect(throws: TrainingError.self) {
            try RunConfig.decode(.object([("degree", .real(3)), ("neighbourhood_size", .real(4))]), context: "test")
        }
        #expect(both?.message == "test: give 'degree' (neighbours besides the agent) or 'neighbourhood_size' (the paper's |N_k|, the agent included), not both")
        let small = #expect(throws: TrainingError.self) { try RunConfig.decode(.object([("neighbourhood_size", .real(1))]), context: "test") }
        #expect(small?.message.hasPrefix("test: 'neighbourhood_size' must be above 1") == true)
    }

    func plan(seed: UInt64, redraw: Bool, set: String = "acrobot-extreme-25") throws -> RunPlan {
        var c = RunConfig()
        c.taskSet = set
        c.redrawTasks = redraw
        c.seed = seed
        c.architecture = .centralised
        c.algorithmSettings = .object([("hidden", .array([.integer(4)]))])
        return try RunPlan(config: c, registry: registry, algorithms: .standard)
    }

    /// Resolved parameters list their keys in no fixed order: compare them sorted.
    func canonical(_ tasks: [JSONValue]) -> [[String]] {
        tasks.map { t in (t.objectPairs ?? []).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.description)" } }
    }

    @Test func redrawnTasksVaryWithTheSeedWhileHeldOutTasksStay() throws {
        let bundledPlan = try plan(seed: 5, redraw: false)   // the set as bundled (any seed)
        let bundled = (tasks: canonical(bundledPlan.tasks), heldOut: bundledPlan.heldOut)
        let zeroPlan = try plan(seed: 0, redraw: true), onePlan = try plan(seed: 1, redraw: true)
        let zero = (tasks: canonical(zeroPlan.tasks), heldOut: zeroPlan.heldOut), one = (tasks: canonical(onePlan.tasks), heldOut: onePlan.heldOut)
        let again = (tasks: canonical(try plan(seed: 1, redraw: true).tasks), heldOut: onePlan.heldOut)
        #expect(zero.tasks == bundled.tasks)
        #expect(one.tasks != zero.tasks)
        #expect(one.tasks == again.tasks)
        #expect(one.tasks.count == 25)
        // Every redrawn parameter stays in the Extreme ranges [0.5, 0.75) ∪ [1.25, 1.5).
        for t in onePlan.tasks {
            for key in ["link_mass_1", "link_length_1", "link_moi_1"] {
                let v = try #require(t[key]?.doubleValue)
                #expect((0.5..<0.75).contains(v) || (1.25..<1.5).contains(v), "\(key) = \(v)")
            }
        }
        #expect(one.heldOut.map(\.name) == bundled.heldOut.map(\.name))
        #expect(canonical(one.heldOut.map(\.parameters)) == canonical(bundled.heldOut.map(\.parameters)))
        // Without redraw_tasks every seed trains on the bundled draw.
        #expect(canonical(try plan(seed: 1, redraw: false).tasks) == bundled.tasks)
        #expect(onePlan.tasks.map { $0["link_mass_1"] } != bundledPlan.tasks.map { $0["link_mass_1"] })

        let grid = #expect(throws: TrainingError.self) { try plan(seed: 1, redraw: true, set: "pendulum-25") }
        #expect(grid?.message.hasPrefix("redraw_tasks needs a drawn task set, but pendulum-25") == true)
        var single = RunConfig()
        single.task = "pendulum-v1"
        single.redrawTasks = true
        #expect(single.validationProblem() == "redraw_tasks needs a task set (task_set), not one task")
    }

    @Test func tableOneIsOverThePolicyNetwork() throws {
        var c = RunConfig()
        c.task = "testing/identity-v1"
        c.agents = 3
        c.topology = .complete
        c.rounds = 4
        c.checkpointEvery = 4
        c.evalEpisodes = 1
        c.strategy = "none"   // agents apart, so their parameters differ
        c.algorithmSettings = .object([("steps_per_update", .integer(5)), ("hidden", .array([.integer(6)]))])
        let plan = try RunPlan(config: c, registry: registry, algorithms: .standard)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-table-one-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = try RunDirectory.create(at: path, force: false)
        try directory.writeConfig(plan.config)
        var session = try plan.algorithm.openRun(plan: plan, directory: directory, resume: false)
        let summary = try #require(try session.run(stopAfter: nil, progress: nil))
        // The final checkpoint's actor tensors, read back independently of the run.
        let checkpoint = try #require(try directory.checkpoint(named: nil))
        var policy: [[Float]] = [], whole: [[Float]] = []
        for k in 0..<3 {
            let names = checkpoint.tensors.keys.filter { $0.hasPrefix("agent.\(k).actor.") }.sorted()
            let critic = checkpoint.tensors.keys.filter { $0.hasPrefix("agent.\(k).critic.") }.sorted()
            #expect(!names.isEmpty && !critic.isEmpty)
            let actorValues = names.flatMap { checkpoint.tensors[$0]! }
            policy.append(actorValues)
            whole.append(actorValues + critic.flatMap { checkpoint.tensors[$0]! })
        }
        let literal = unweightedRelativeDeviation(policy), weighted = relativeDeviation(policy)
        #expect(literal.isFinite && literal > 0 && literal != weighted)
        // Tensor order within the actor does not change a per-parameter mean.
        #expect(abs((summary["policy_relative_deviation"]?.doubleValue ?? .nan) - literal) < 1e-9 * max(1, literal))
        #expect(abs((summary["policy_relative_deviation_weighted"]?.doubleValue ?? .nan) - weighted) < 1e-9)
        // The whole-row figures (actor and critic) are kept as they were.
        #expect(abs((summary["relative_deviation"]?.doubleValue ?? .nan) - relativeDeviation(whole)) < 1e-9)
    }
}
