import Envs

/// A time-major rollout of `steps × count` transitions, allocated once and reused.
/// Element `[t × count + i]` belongs to step `t` of copy `i` (see `Returns.swift`).
public struct Rollout {
    public let steps: Int
    public let count: Int
    public let observationSize: Int
    public let actionSize: Int
    /// `[steps × count × observationSize]`: the observation each action was taken from.
    public var observations: [Float]
    /// `[steps × count × actionSize]`: the policy's unscaled samples.
    public var rawActions: [Float]
    public var rewards: [Float]
    public var terminated: [Bool]
    public var truncated: [Bool]
    /// V(final observation) on truncated steps (0 elsewhere).
    public var finalValues: [Float]

    public init(steps: Int, count: Int, observationSize: Int, actionSize: Int) {
        self.steps = steps
        self.count = count
        self.observationSize = observationSize
        self.actionSize = actionSize
        observations = [Float](repeating: 0, count: steps * count * observationSize)
        rawActions = [Float](repeating: 0, count: steps * count * actionSize)
        rewards = [Float](repeating: 0, count: steps * count)
        terminated = [Bool](repeating: false, count: steps * count)
        truncated = terminated
        finalValues = rewards
    }
}

/// Per-row bookkeeping of which task each copy runs, for per-task metrics.
public struct TaskAssignment: Sendable, Equatable {
    /// `taskOfRow[r]`: the task-set index of copy `r`.
    public var taskOfRow: [Int]
    public init(taskOfRow: [Int]) { self.taskOfRow = taskOfRow }
}
