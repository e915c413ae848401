/// What one `Optimizer.step` did, for the trainer to log or act on.
public enum OptimizerStepResult: Hashable, Sendable {
    /// The update was applied.
    /// - gradientNorm: ‖g‖₂ before clipping.
    /// - clipped: whether global-norm clipping scaled the gradient down.
    /// - learningRate: the scheduled rate used.
    case applied(gradientNorm: Float, clipped: Bool, learningRate: Float)
    /// The gradient held NaN or infinite values; nothing was changed (parameters,
    /// optimiser state and step count are untouched).
    /// - count: how many elements were not finite.
    /// - tensors: the names of the tensors that held them.
    case rejectedNonFinite(count: Int, tensors: [String])

    /// Whether the parameters were updated.
    public var wasApplied: Bool {
        if case .applied = self { return true }
        return false
    }
}
