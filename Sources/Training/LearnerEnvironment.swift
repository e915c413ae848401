import Envs

/// The experience side every learner composes: its environment batch, the batch's current
/// step result, which task each copy runs, and the generator its policy samples actions from.
/// ``restart(seed:)`` is what a checkpoint's new segment calls (DESIGN §5).
public struct LearnerEnvironment {
    public var environment: any VectorEnvironment
    /// The last step result (observations to act on next).
    public var batch: StepBatch
    public let tasks: TaskAssignment
    /// Action sampling, stream ``RandomStream/actions`` of the learner's seed.
    public var generator: RandomGenerator
    /// Times the steps when profiling (``RoundPhase/environment``).
    public var profile = RoundProfile()

    /// Resets every copy from `seed`.
    public init(environment: any VectorEnvironment, tasks: TaskAssignment, seed: UInt64) {
        self.environment = environment
        self.tasks = tasks
        batch = self.environment.reset(seed: seed)
        generator = RandomGenerator(seed: seed, index: RandomStream.actions)
    }

    /// Copies in the batch.
    public var count: Int { environment.count }

    /// Restarts every copy's episode from `seed` and reseeds the action sampler.
    public mutating func restart(seed: UInt64) {
        batch = environment.reset(seed: seed)
        generator = RandomGenerator(seed: seed, index: RandomStream.actions)
    }

    /// Steps the batch with `actions` (in place).
    public mutating func step(_ actions: [Float]) throws {
        let clock = profile.start()
        try environment.step(actions, into: &batch)
        profile.stop(.environment, since: clock)
    }
}
