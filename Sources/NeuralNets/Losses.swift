// Regression losses for value functions, as free functions that return the loss and
// write its gradient with respect to the predictions.

/// Mean squared error ½·mean((ŷ − y)²) over all elements (the ½ as in the value loss of
/// A2C/PPO implementations); writes ∂L/∂ŷ = (ŷ − y)/n into `gradient` (resized if needed).
/// - Throws: `NeuralNetError.shapeMismatch` if the counts differ or are zero.
public func halfMeanSquaredError(
    predictions: [Float], targets: [Float], gradient: inout [Float]
) throws -> Float {
    guard predictions.count == targets.count, !predictions.isEmpty else {
        throw NeuralNetError.shapeMismatch(
            "The loss needs as many targets as predictions (at least one), got \(targets.count) and \(predictions.count).")
    }
    if gradient.count != predictions.count { gradient = [Float](repeating: 0, count: predictions.count) }
    let n = Float(predictions.count)
    var total: Float = 0
    for i in 0..<predictions.count {
        let diff = predictions[i] - targets[i]
        total += diff * diff
        gradient[i] = diff / n
    }
    return 0.5 * total / n
}

/// Huber loss mean(h(ŷ − y)) with h(d) = ½d² for |d| ≤ δ and δ(|d| − ½δ) beyond
/// (`torch.nn.SmoothL1Loss` with β = δ = 1 matches); writes ∂L/∂ŷ into `gradient`.
/// - Throws: `NeuralNetError.shapeMismatch` for mismatched counts, or
///   `NeuralNetError.invalidArgument` for δ ≤ 0.
public func huberLoss(
    predictions: [Float], targets: [Float], delta: Float = 1, gradient: inout [Float]
) throws -> Float {
    guard predictions.count == targets.count, !predictions.isEmpty else {
        throw NeuralNetError.shapeMismatch(
            "The loss needs as many targets as predictions (at least one), got \(targets.count) and \(predictions.count).")
    }
    guard delta > 0 else { throw NeuralNetError.invalidArgument("The Huber threshold must be positive, got \(delta).") }
    if gradient.count != predictions.count { gradient = [Float](repeating: 0, count: predictions.count) }
    let n = Float(predictions.count)
    var total: Float = 0
    for i in 0..<predictions.count {
        let diff = predictions[i] - targets[i]
        if abs(diff) <= delta {
            total += 0.5 * diff * diff
            gradient[i] = diff / n
        } else {
            total += delta * (abs(diff) - 0.5 * delta)
            gradient[i] = (diff > 0 ? delta : -delta) / n
        }
    }
    return total / n
}
