/// The seam every optimiser implements: one in-place update of a flat parameter vector
/// from a flat gradient. State (moments, velocities) lives in the conforming value,
/// sized on the first update.
///
/// A new optimiser supplies three things — its `schedule`, a `stepCount` it lets the
/// driver keep, and `update(parameters:gradient:learningRate:step:)` — and inherits
/// `step(_:gradient:maxGradientNorm:)` from the extension, which checks layouts,
/// refuses non-finite gradients, clips by global norm, reads the schedule and counts
/// steps. (The split follows mlx-swift's `OptimizerBase`, which asks only for the
/// per-parameter update.)
///
/// ```swift
/// var optimizer = Adam(learningRate: 3e-4)
/// switch try optimizer.step(&model.parameters, gradient: &gradient, maxGradientNorm: 0.5) {
/// case .applied: break
/// case .rejectedNonFinite(let count, let tensors): log("skipped: \(count) bad values in \(tensors)")
/// }
/// gradient.zero()
/// ```
public protocol Optimizer: Sendable {
    /// The learning rate per step.
    var schedule: LearningRateSchedule { get }
    /// Updates applied so far (the driver increments it after each applied update).
    var stepCount: Int { get set }
    /// Applies one update in place. `gradient` is finite and already clipped; `step` is
    /// the 1-based index of this update (Adam's bias correction uses it). Called with
    /// buffers of equal count; an implementation sizes its state from them.
    mutating func update(
        parameters: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
        learningRate: Float, step: Int)
}

/// How an optimiser applies weight decay λ.
public enum WeightDecay: Hashable, Sendable, Codable {
    /// None.
    case none
    /// L2 regularisation: λ·θ is added to the gradient before the update (PyTorch's
    /// `weight_decay` in SGD, RMSprop and Adam).
    case l2(Float)
    /// Decoupled decay (Loshchilov and Hutter, AdamW): θ ← θ·(1 − lr·λ) before the update.
    case decoupled(Float)
}
