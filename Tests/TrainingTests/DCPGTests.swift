import Communication
import Envs
import Foundation
import PolicyGradient
import Tabular
import Testing
import Training
import TrainingCatalogue

@Suite("DCPG: Algorithm 1 on softmax tables, the eq. (10) bound, SA baselines, bad input")
struct DCPGTests {
    let registry = try! TaskRegistry.standard

    func chainConfig(agents: Int = 3, gradient: String = "exact", step: Double = 0.00002, rounds: Int = 6) -> RunConfig {
        var c = RunConfig()
        c.algorithm = "dcpg"
        c.taskSet = "two-task-chain"
        c.architecture = .decentralised
        c.agents = agents
        c.strategy = "consensus"
        c.topology = .ring
        c.weights = .lazyMetropolis
        c.rounds = rounds
        c.checkpointEvery = rounds
        c.logEvery = rounds
        c.evalEpisodes = 2
        c.threads = 1
        c.algorithmSettings = .object([("gradient", .string(gradient)), ("discount", .real(0.9)), ("lambda", .real(0.01)),
                                       ("step_size", .real(step)), ("episodes_per_update", .integer(4))])
        return c
    }

    func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("shoal-dcpg-\(UUID().uuidString)").path
    }

    /// The learners of a plan, built as a run builds them.
    func learners(_ plan: RunPlan) throws -> [DCPGLearner] {
        let settings = try resolveSettings(DCPGConfig.self, from: plan.config.algorithmSettings, defaults: DCPGConfig(), context: "dcpg")
        return try plan.learnerTasks.indices.map { k in
            let (assignments, tasks) = plan.rows(ofLearner: k)
            let env = try plan.task.makeVector(assignments, threads: 1)
            return try settings.makeLearner(LearnerContext(index: k, environment: env, tasks: tasks, seed: UInt64(k), learners: plan.learnerTasks.count,
                                                           strategy: plan.strategy, task: plan.task, assignments: assignments,
                                                           weights: plan.graph.map { plan.config.weights.weights(for: $0) }))
        }
    }

    @Test func exactModeFollowsEquation9BitForBit() throws {
        // Three agents on a ring (tasks 1, 2, 1), lazy Metropolis weights, started away from θ = 0
        // so that every entry moves: θ_i ← W_ii θ_i + Σ_j W_ij θ_j + α ∇L_i^λ(θ_i), in Float with the
        // cohort's order (own row, then the neighbours in ascending order, then the step).
        let plan = try RunPlan(config: chainConfig(), registry: registry, algorithms: .standard)
        var agents = try learners(plan)
        let start: [[Float]] = [[0.1, -0.2, 0.3, 0.05, -0.4, 0.2, 0.6, -0.1, 0.0, 0.2],
                                [-0.3, 0.1, 0.2, 0.4, 0.0, -0.2, 0.1, 0.1, 0.5, -0.5],
                                [0.2, 0.2, -0.1, 0.3, 0.3, -0.3, 0.0, 0.4, -0.2, 0.1]]
        for k in agents.indices { try agents[k].loadParameters(from: start[k]) }
        var cohort = try Cohort(learners: agents, strategy: try plan.makeStrategy())
        let w = plan.config.weights.weights(for: try #require(plan.graph))
        #expect(w.selfWeights == [0.5, 0.5, 0.5] && w.sourceWeights == [[0.25, 0.25], [0.25, 0.25], [0.25, 0.25]])
        let mdps = try [1, 2].map { t -> FiniteMDP in
            var p = TwoTaskChain.Parameters()
            p.task = t
            return FiniteMDP(try p.tabularModel())
        }
        var theta = start
        for _ in 0..<5 {
            var next = theta
            for i in 0..<3 {
                let g = try regularizedGradient([mdps[plan.learnerTasks[i][0]]], theta: theta[i].map(Double.init), discount: 0.9, lambda: 0.01)
                let (a, b) = (w.sources[i][0], w.sources[i][1])
                for e in 0..<10 {
                    var x = w.selfWeights[i] * theta[i][e] + w.sourceWeights[i][0] * theta[a][e]
                    x += w.sourceWeights[i][1] * theta[b][e]
                    x += 1 * Float(0.00002 * g[e])
                    next[i][e] = x
                }
            }
            theta = next
            _ = try cohort.runRound()
            #expect(cohort.parameterRows() == theta)
        }
        #expect(theta[0] != start[0])
    }

    @Test func singleAgentsTakePlainGradientSteps() throws {
        var c = chainConfig()
        c.architecture = .specialised
        c.agents = 0
        c.strategy = "none"
        let plan = try RunPlan(config: c, registry: registry, algorithms: .standard)
        var cohort = try Cohort(learners: try learners(plan), strategy: try plan.makeStrategy())
        _ = try cohort.runRound()
        var p = TwoTaskChain.Parameters()
        p.task = 2
        let g = try regularizedGradient([FiniteMDP(try p.tabularModel())], theta: [Double](repeating: 0, count: 10), discount: 0.9, lambda: 0.01)
        #expect(cohort.parameterRows()[1] == g.map { 0 + Float(0.00002 * $0) })
    }

    @Test func smallestSingularValueOfLazyMetropolisRings() throws {
        // Eigenvalues of lazy Metropolis on a ring of N: ½ + ½ cos(2πk/N); N = 5: min 0.0954915…
        let five = MixingRule.lazyMetropolis.weights(for: try Graph.ring(agents: 5))
        #expect(abs(smallestSingularValue(five) - 0.09549150281252633) < 1e-9)
        let four = MixingRule.lazyMetropolis.weights(for: try Graph.ring(agents: 4))
        #expect(smallestSingularValue(four) < 1e-7)
        // The run's bound uses it: 2 agents, W = [[½, ½], [½, ½]], σ_N = 0.
        let settings = try resolveSettings(DCPGConfig.self, from: chainConfig().algorithmSettings, defaults: DCPGConfig(), context: "dcpg")
        let two = MixingRule.lazyMetropolis.weights(for: try Graph.ring(agents: 2))
        #expect(abs(settings.stepSizeBound(states: 5, taskCounts: [1, 1], weights: two)
                    - consensusStepSizeBound(discounts: [0.9, 0.9], lambda: 0.01, states: 5, smallestSingularValue: 0)) < 1e-15)
    }

    func runFinalTables(_ config: RunConfig) throws -> [Float] {
        let plan = try RunPlan(config: config, registry: registry, algorithms: .standard)
        let directory = try RunDirectory.create(at: temporary(), force: false)
        var session = try plan.algorithm.openRun(plan: plan, directory: directory, resume: false)
        _ = try session.run(stopAfter: nil, progress: nil)
        let checkpoint = try #require(try directory.checkpoint(named: nil))
        return (0..<plan.learnerTasks.count).flatMap { checkpoint.tensors["agent.\($0).theta"] ?? [] }
    }

    @Test func sameSeedSameTablesWhateverTheThreadCount() throws {
        for gradient in ["exact", "monte-carlo"] {
            var a = chainConfig(agents: 4, gradient: gradient, step: gradient == "exact" ? 0.00001 : 0.05, rounds: 20)
            let one = try runFinalTables(a)
            a.threads = 2
            #expect(try runFinalTables(a) == one, "\(gradient)")
            #expect(one.contains { $0 != 0 })
            if gradient == "monte-carlo" {
                a.seed = 1
                #expect(try runFinalTables(a) != one)
            }
        }
    }

    func planProblem(_ config: RunConfig) -> String {
        do {
            _ = try RunPlan(config: config, registry: registry, algorithms: .standard)
            return ""
        } catch { return "\(error)" }
    }

    @Test func badInputIsOneSentenceBeforeAnythingRuns() throws {
        // A step at or above eq. (10)'s bound, with the bound in the message.
        let bound = consensusStepSizeBound(discounts: [0.9, 0.9, 0.9], lambda: 0.01, states: 5, smallestSingularValue: 0.25)
        let above = planProblem(chainConfig(step: 0.001))
        #expect(above.contains("not below the bound of paper 001 eq. (10), \(String(format: "%.6g", bound))"), "\(above)")
        #expect(planProblem(chainConfig(step: bound * 0.99)) == "")
        // Monte-Carlo steps are not bounded by the theorem.
        #expect(planProblem(chainConfig(gradient: "monte-carlo", step: 0.5)) == "")
        // λ < 0.
        var negative = chainConfig()
        negative.algorithmSettings = negative.algorithmSettings.setting("lambda", to: .real(-0.1))
        #expect(planProblem(negative).contains("lambda (λ) must be a finite number ≥ 0, got -0.1"))
        // A gradient mode that does not exist.
        var neural = chainConfig()
        neural.algorithmSettings = neural.algorithmSettings.setting("gradient", to: .string("natural"))
        #expect(planProblem(neural).contains("'natural' is not a DCPG gradient; valid: exact, monte-carlo, reinforce, a2c, ppo"), "\(planProblem(neural))")
        // A graph that is not connected.
        var apart = chainConfig(agents: 4)
        apart.topology = .erdosRenyi
        apart.edgeProbability = 0
        #expect(planProblem(apart).contains("is not connected"))
        // A tabular mode on a task without finitely many observed states.
        var navigation = chainConfig()
        navigation.taskSet = ""
        navigation.task = "navigation/indoor-v1"
        let nav = planProblem(navigation)
        #expect(nav.contains("dcpg") && (nav.contains("needs a finite task observed by its state index") || nav.contains("discrete action spaces")), "\(nav)")
    }
}
