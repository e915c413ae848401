import Communication
import Envs
import Foundation
import MultiAgentActorCritic
import Testing
import Training
import TrainingCatalogue

@Suite("Paper 004 Algorithm 2: off-policy actor-critic with consensus importance weights")
struct OffPolicyActorCriticTests {
    let registry = try! TaskRegistry.standard

    func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("shoal-lijia2-\(UUID().uuidString)").path
    }

    /// Tiny settings so that a run takes a fraction of a second.
    func small(actorRate: Double = 1e-3) -> OffPolicyActorCriticConfig {
        var s = OffPolicyActorCriticConfig()
        s.hidden = [8]
        s.replayCapacity = 40
        s.batchSize = 8
        s.actorLearningRate = actorRate
        s.stepsPerRound = 5
        return s
    }

    func cohort(_ settings: OffPolicyActorCriticConfig) throws -> JointCohort<OffPolicyActorCriticLearner> {
        let env = try registry.makeMultiAgent("mpe/simple-spread-v1", count: 2, overrides: .object([("continuous", .bool(true))]))
        let layout = JointLayout(env)
        let graph = try Graph(agentCount: 3, edges: [(0, 1), (1, 2), (2, 0)])
        let w = maximumDegreeWeights(graph)
        let learners = try (0..<3).map { k in
            try settings.makeLearner(JointLearnerContext(index: k, agents: [k], layout: layout, learners: 3, seed: UInt64(k), graph: graph, weights: w))
        }
        var c = try JointCohort(learners: learners, environment: env, graph: graph, weights: w)
        c.restart(seed: 5)
        return c
    }

    @Test("identical policies (the actor never moves): every importance weight is exactly 1, while the critic learns")
    func identicalPoliciesWeighOne() throws {
        var c = try cohort(small(actorRate: 0))
        let actor0 = c.learners[0].actor.parameters, critic0 = c.learners[0].critic.parameters
        _ = try c.runRound(steps: 30)
        for l in c.learners {
            #expect(l.replay.count == 40)
            #expect(l.importanceWeights().allSatisfy { $0 == 1 })
            #expect(l.beta.allSatisfy { $0 == 0 } && l.x.allSatisfy { $0 == 0 })
        }
        #expect(c.learners[0].actor.parameters == actor0)
        #expect(c.learners[0].critic.parameters != critic0)
        // The buffers stay aligned, and the x vectors were sent: 3 agents × 2 neighbours per step.
        #expect(c.learners[0].replay.isAligned(with: c.learners[2].replay))
        #expect(c.sent.messages == 30 * 6)
        #expect(c.sent.bytes == 4 * c.sent.scalars && c.sent.scalars > 0)
    }

    @Test("moving policies: weights leave 1, the agents' c_e agree with Σ_{j≠i} β_j once the consensus settles")
    func movingPolicies() throws {
        var settings = small(actorRate: 1e-2)
        settings.replayCapacity = 60
        var c = try cohort(settings)
        _ = try c.runRound(steps: 20)
        #expect(c.learners.contains { l in l.importanceWeights().contains { $0 != 1 } })
        // With the actors frozen from here, the mixing alone drives x_e to the network mean of β (on the
        // triangle the maximum-degree weights are all 1/3, so one step reaches it) for the 40 old entries.
        for k in 0..<3 { c.learners[k] = try freeze(c.learners[k]) }
        _ = try c.runRound(steps: 5)
        let betas = c.learners.map(\.beta), xs = c.learners.map(\.x)
        for e in 0..<40 {
            let mean = (0..<3).map { betas[$0][e] }.reduce(0, +) / 3
            for k in 0..<3 { #expect(abs(xs[k][e] - mean) < 1e-4, "agent \(k) entry \(e): x \(xs[k][e]) mean \(mean)") }
        }
    }

    func freeze(_ l: OffPolicyActorCriticLearner) throws -> OffPolicyActorCriticLearner { l.frozen() }

    @Test("a run through the registry: same seed same metrics whatever the threads, resume equals uninterrupted")
    func runDeterminismAndResume() throws {
        var c = RunConfig()
        c.task = "mpe/simple-spread-v1"
        c.parameters = ["continuous": 1]
        c.algorithm = "off-policy-dac"
        c.weights = .maximumDegree
        c.rounds = 8
        c.checkpointEvery = 4
        c.logEvery = 2
        c.evalEpisodes = 1
        c.threads = 1
        c.tensorboard = false
        c.algorithmSettings = .object([("hidden", .array([.integer(8)])), ("replay_capacity", .integer(30)), ("batch_size", .integer(8))])
        func train(_ config: RunConfig, path: String, resume: Bool = false, stopAfter: Int? = nil) throws -> [JSONValue] {
            let plan = try RunPlan(config: config, registry: registry, algorithms: .standard)
            let d = resume ? try RunDirectory.open(at: path) : try RunDirectory.create(at: path, force: false)
            if !resume { try d.writeConfig(plan.config) }
            var s = try plan.algorithm.openRun(plan: plan, directory: d, resume: resume)
            _ = try s.run(stopAfter: stopAfter, progress: nil)
            return try d.metricsLines().map { .object($0.objectPairs!.filter { !["wall_seconds", "perf/env_steps_per_second"].contains($0.key) }) }
        }
        let lines = try train(c, path: temporary())
        #expect(lines.count == 4)
        #expect(lines.last!["comm/messages"]!.doubleValue! == Double(8 * 25 * 6))
        #expect(lines.last!["policy/max_importance_weight"]?.doubleValue != nil)
        var threaded = c
        threaded.threads = 3
        #expect(try train(threaded, path: temporary()) == lines)
        let path = temporary()
        _ = try train(c, path: path, stopAfter: 4)
        #expect(try train(c, path: path, resume: true) == lines)
    }

    @Test("bad input is one sentence: batch or capacity below 1, batch above capacity, a discrete task, other weights")
    func badInput() {
        func problem(_ edit: (inout RunConfig) -> Void) -> String? {
            var c = RunConfig()
            c.task = "mpe/simple-spread-v1"
            c.parameters = ["continuous": 1]
            c.algorithm = "off-policy-dac"
            c.weights = .maximumDegree
            edit(&c)
            do { _ = try RunPlan(config: c, registry: registry, algorithms: .standard) } catch let e as TrainingError { return e.message } catch {
                return "\(error)"
            }
            return nil
        }
        #expect(problem { _ in } == nil)
        #expect(problem { $0.algorithmSettings = .object([("batch_size", .integer(0))]) } == "off-policy-dac settings: batch_size must be at least 1, got 0")
        #expect(problem { $0.algorithmSettings = .object([("replay_capacity", .integer(0))]) } == "off-policy-dac settings: replay_capacity must be at least 1, got 0")
        #expect(problem { $0.algorithmSettings = .object([("replay_capacity", .integer(100)), ("batch_size", .integer(200))]) }
                == "off-policy-dac settings: batch_size (200) cannot exceed replay_capacity (100): the buffer could never hold a whole batch")
        #expect(problem { $0.parameters = [:] }?.hasPrefix("algorithm off-policy-dac acts in continuous (box) action spaces, but agent 0 of mpe/simple-spread-v1 has Discrete(5)") == true)
        #expect(problem { $0.algorithm = "tabular-dac"; $0.architecture = .decentralised }?.contains("discrete") == true)
        #expect(problem { $0.weights = .hastings } == "algorithm off-policy-dac mixes its importance weights with paper 004's maximum-degree weights 1/(d_max + 1) (eq. 41); set weights to maximum-degree, got hastings")
        #expect(problem { $0.parameters = ["continuous": 2] } == "parameter continuous of mpe/simple-spread-v1 is true or false: give 1 or 0, got 2")
    }
}
