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

    /// The optimiser's state (moments, velocities, the step count) as named tensors, so that a
    /// resumed run continues exactly; every optimiser must list all of it.
    func stateTensors() -> [(name: String, values: [Float])]
    /// Restores what ``stateTensors()`` wrote.
    /// - Throws: `NeuralNetError.invalidArgument` naming a missing tensor.
    mutating func restoreState(from tensors: [String: [Float]]) throws
}

/// The step count as two exactly representable floats (24 bits each), for checkpoints.
public func encodeStepCount(_ count: Int) -> [Float] {
    [Float(count >> 24), Float(count & 0xFF_FFFF)]
}

/// Reads ``encodeStepCount(_:)``'s tensor (one-float tensors of older checkpoints too).
public func decodeStepCount(_ values: [Float]?, name: String) throws -> Int {
    guard let values, !values.isEmpty, values.allSatisfy({ $0 >= 0 && $0 == $0.rounded() }) else {
        throw NeuralNetError.invalidArgument("The optimiser state lacks a valid '\(name)' tensor.")
    }
    return values.count == 1 ? Int(values[0]) : (Int(values[0]) << 24) + Int(values[1])
}

/// Reads one state tensor, or throws naming it.
public func requireStateTensor(_ tensors: [String: [Float]], _ name: String) throws -> [Float] {
    guard let t = tensors[name] else { throw NeuralNetError.invalidArgument("The optimiser state lacks the tensor '\(name)'.") }
    return t
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
