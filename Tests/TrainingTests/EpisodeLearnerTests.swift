import ActorCritic
import Envs
import EnvsTesting
import PolicyGradient
import Testing
import Training

@Suite("SiAC and REINFORCE learn the trivial tasks")
struct EpisodeLearnerTests {
    let registry = try! TaskRegistry().adding(TaskRegistry.testingTasks)

    func returns<L: Learner>(_ learner: inout L, updates: Int) throws -> (first: Double, last: Double) {
        var all: [Double] = []
        for _ in 0..<updates { all += try learner.learn(step: nil).episodes.map(\.episodeReturn) }
        let k = max(1, all.count / 5)
        return (all.prefix(k).reduce(0, +) / Double(k), all.suffix(k).reduce(0, +) / Double(k))
    }

    @Test func reinforceLearnsIdentity() throws {
        var config = ReinforceConfig()
        config.hidden = [16]
        config.learningRate = 0.02
        config.trajectoriesPerUpdate = 8
        var learner = try ReinforceLearner(config: config, environment: registry.make("testing/identity-v1", count: 8),
                                           tasks: TaskAssignment(taskOfRow: [Int](repeating: 0, count: 8)), seed: 3)
        let (first, last) = try returns(&learner, updates: 200)
        // A uniform policy earns 10/4 = 2.5; the optimum is 10.
        #expect(last > 8.5, "first \(first), last \(last)")
        #expect(last > first + 2)
    }

    @Test func siacLearnsTarget() throws {
        var config = SiACConfig()
        config.hidden = [32]
        config.episodesPerUpdate = 2
        config.actorLearningRate = 0.003
        var learner = try SiACLearner(config: config, environment: registry.make("testing/target-v1", count: 8),
                                      tasks: TaskAssignment(taskOfRow: [Int](repeating: 0, count: 8)), seed: 3)
        let (first, last) = try returns(&learner, updates: 120)
        // Answering 0 earns about −3.3 per episode; the optimum is 0.
        #expect(last > -1.5, "first \(first), last \(last)")
        #expect(last > first + 1)
    }

    @Test func reinforceStepsAreProposedWithoutBeingApplied() throws {
        var learner = try ReinforceLearner(config: ReinforceConfig(), environment: registry.make("testing/identity-v1", count: 4),
                                           tasks: TaskAssignment(taskOfRow: [0, 0, 0, 0]), seed: 1)
        var before: [Float] = [], after: [Float] = []
        learner.copyParameters(into: &before)
        var step = [Float](repeating: 0, count: learner.parameterCount)
        let report = try step.withUnsafeMutableBufferPointer { try learner.learn(step: $0) }
        learner.copyParameters(into: &after)
        #expect(report.updated)
        #expect(before == after)
        #expect(step.contains { $0 != 0 })
    }
}
