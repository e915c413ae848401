import Communication
import Envs
import Foundation
@testable import MultiAgentActorCritic
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
    func small(actorRate: Double = 1e-3, consensus: ImportanceConsensus = .onSample) -> OffPolicyActorCriticConfig {
        var s = OffPolicyActorCriticConfig()
        s.consensus = consensus
        s.hidden = [8]
        s.replayCapacity = 40
        s.batchSize = 8
        s.actorLearningRate = actorRate
        s.stepsPerRound = 5
        return s
    }

    func cohort(_ settings: OffPolicyActorCriticConfig, seed: UInt64 = 5) throws -> JointCohort<OffPolicyActorCriticLearner> {
        let env = try registry.makeMultiAgent("mpe/simple-spread-v1", count: 2, overrides: .object([("continuous", .bool(true))]))
        let layout = JointLayout(env)
        let graph = try Graph(agentCount: 3, edges: [(0, 1), (1, 2), (2, 0)])
        let w = maximumDegreeWeights(graph)
        let learners = try (0..<3).map { k in
            try settings.makeLearner(JointLearnerContext(index: k, agents: [k], layout: layout, learners: 3, seed: UInt64(k), graph: graph, weights: w,
                                                         sharedSeed: 99))
        }
        var c = try JointCohort(learners: learners, environment: env, graph: graph, weights: w)
        c.restart(seed: seed)
        return c
    }

    @Test("identical policies (the actor never moves): every importance weight is exactly 1, while the critic learns",
          arguments: ImportanceConsensus.allCases)
    func identicalPoliciesWeighOne(_ consensus: ImportanceConsensus) throws {
        var c = try cohort(small(actorRate: 0, consensus: consensus))
        let actor0 = c.learners[0].actor.parameters, critic0 = c.learners[0].critic.parameters
        _ = try c.runRound(steps: 30)
        for l in c.learners {
            #expect(l.replay.count == 40)
            #expect(l.importanceWeights().allSatisfy { $0 == 1 })
            #expect(l.beta.allSatisfy { $0 == 0 } && l.x.allSatisfy { $0 == 0 })
        }
        #expect(c.learners[0].actor.parameters == actor0)
        #expect(c.learners[0].critic.parameters != critic0)
        // The buffers stay aligned, and the x vectors were sent: 3 agents × 2 neighbours per step
        // (eager: every step, the whole vector; on-sample: from the step before the first batch
        // (2 copies a step, batch 8: after step 3) one round of at most 8 entries a step).
        #expect(c.learners[0].replay.isAligned(with: c.learners[2].replay))
        switch consensus {
        case .eager: #expect(c.sent.messages == 30 * 6)
        case .onSample:
            #expect(c.sent.messages == 28 * 6)
            #expect(c.sent.scalars <= 28 * 6 * 8)
        }
        #expect(c.sent.bytes == 4 * c.sent.scalars && c.sent.scalars > 0)
    }

    @Test("moving policies: weights leave 1, the agents' c_e agree with Σ_{j≠i} β_j once the consensus settles",
          arguments: ImportanceConsensus.allCases)
    func movingPolicies(_ consensus: ImportanceConsensus) throws {
        var settings = small(actorRate: 1e-2, consensus: consensus)
        settings.replayCapacity = 60
        var c = try cohort(settings)
        _ = try c.runRound(steps: 20)
        #expect(c.learners.contains { l in l.importanceWeights().contains { $0 != 1 } })
        // With the actors frozen from here, the mixing alone drives x_e to the network mean of β (on the
        // triangle the maximum-degree weights are all 1/3, so one step reaches it) for the 40 old entries
        // (on-sample: the mean of the β of the last refresh, which every agent made at the same step).
        for k in 0..<3 { c.learners[k] = try freeze(c.learners[k]) }
        _ = try c.runRound(steps: 5)
        let betas = c.learners.map(\.beta), xs = c.learners.map(\.x)
        for e in 0..<40 {
            let mean = (0..<3).map { betas[$0][e] }.reduce(0, +) / 3
            for k in 0..<3 { #expect(abs(xs[k][e] - mean) < 1e-4, "agent \(k) entry \(e): x \(xs[k][e]) mean \(mean)") }
        }
    }

    func freeze(_ l: OffPolicyActorCriticLearner) throws -> OffPolicyActorCriticLearner { l.frozen() }

    @Test("on the 3-ring (W = J/3) on-sample consensus gives the eager form's importance weights, with far fewer messages")
    func onSampleEqualsEagerOnTheTriangle() throws {
        // The critics do not move (a step size far below Float resolution), so that the actors'
        // updates, which ascend the critic, are the same in both runs whatever the weights: the two
        // runs then take the same trajectory, and the weights can be compared step by step (a
        // critic that learns from the weights would amplify their rounding differences through Adam).
        var eagerSettings = small(actorRate: 1e-2, consensus: .eager), lazySettings = small(actorRate: 1e-2, consensus: .onSample)
        eagerSettings.criticLearningRate = 1e-30
        lazySettings.criticLearningRate = 1e-30
        var eager = try cohort(eagerSettings, seed: 11)
        var lazy = try cohort(lazySettings, seed: 11)
        #expect(lazy.learners[0].usefulRounds == 1)
        var compared = 0
        for _ in 0..<40 {
            _ = try eager.runRound(steps: 1)
            _ = try lazy.runRound(steps: 1)
            // The weights of the next batch: the slots both forms will sample.
            for k in 0..<3 {
                var slots: [Int] = []
                let e = eager.learners[k], l = lazy.learners[k]
                guard e.drawBatch(afterAppends: e.replay.appended + 2, into: &slots) else { continue }
                #expect(l.drawBatch(afterAppends: l.replay.appended + 2, into: &slots))
                for slot in slots where slot != e.replay.slot(ofStep: e.replay.appended) && slot != e.replay.slot(ofStep: e.replay.appended + 1) {
                    let we = otherAgentsLogWeight(x: e.x[slot], beta: e.beta[slot], agents: 3)
                    let wl = otherAgentsLogWeight(x: l.x[slot], beta: l.beta[slot], agents: 3)
                    #expect(abs(we - wl) <= 1e-5 * max(1, abs(we)), "agent \(k) slot \(slot): eager \(we), on-sample \(wl)")
                    compared += 1
                }
            }
        }
        #expect(compared > 500)
        #expect(eager.learners.contains { l in l.importanceWeights().contains { $0 != 1 } })
        // The two runs took the same trajectory: the same actors.
        #expect(eager.learners[1].actor.parameters == lazy.learners[1].actor.parameters)
        #expect(lazy.sent.scalars * 3 < eager.sent.scalars)
    }

    @Test("K_W: one round on the triangle's J/3, more on a 5-ring, capped")
    func usefulRounds() throws {
        let triangle = maximumDegreeWeights(try Graph(agentCount: 3, edges: [(0, 1), (1, 2), (2, 0)]))
        #expect(stationaryPower(triangle, agents: 3, cap: 20) == 1)
        let ring5 = maximumDegreeWeights(try Graph(agentCount: 5, edges: [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)]))
        let k = stationaryPower(ring5, agents: 5, cap: 200)
        #expect(k > 5 && k < 200)
        #expect(stationaryPower(ring5, agents: 5, cap: 7) == 7)
        #expect(stationaryPower(nil, agents: 5, cap: 7) == 1)
    }

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
        // On-sample consensus talks from the step before the buffer first holds a batch of 8 (one
        // copy: the 7th step) on: 194 of the 200 steps, 3 agents × 2 neighbours each.
        #expect(lines.last!["comm/messages"]!.doubleValue! == Double((8 * 25 - 6) * 6))
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
