import ActorCritic
import Envs
import EnvsTesting
import Testing
import Training

@Suite("A2C learns the trivial tasks")
struct A2CLearningTests {
    func meanReturn(task: String, config: A2CConfig, updates: Int, copies: Int = 8, seed: UInt64 = 1) throws -> (first: Double, last: Double) {
        let registry = try TaskRegistry().adding(TaskRegistry.testingTasks)
        let env = try registry.make(task, count: copies)
        var learner = try A2CLearner(config: config, environment: env, tasks: TaskAssignment(taskOfRow: [Int](repeating: 0, count: copies)), seed: seed)
        var returns: [Double] = []
        for _ in 0..<updates {
            let report = try learner.learn(step: nil)
            returns += report.episodes.map(\.episodeReturn)
        }
        let k = max(1, returns.count / 5)
        return (returns.prefix(k).reduce(0, +) / Double(k), returns.suffix(k).reduce(0, +) / Double(k))
    }

    @Test func identity() throws {
        var config = A2CConfig()
        config.learningRate = 0.01
        let (first, last) = try meanReturn(task: "testing/identity-v1", config: config, updates: 300)
        // A uniform policy earns 10/4 = 2.5; the optimum is 10.
        #expect(first < 6)
        #expect(last > 8.5, "first \(first), last \(last)")
    }

    @Test func target() throws {
        var config = A2CConfig()
        config.learningRate = 0.003
        let (first, last) = try meanReturn(task: "testing/target-v1", config: config, updates: 400)
        // Answering 0 earns about −3.3 per episode; a unit-variance Gaussian much less.
        #expect(last > -1.0, "first \(first), last \(last)")
        #expect(last > first)
    }
}
