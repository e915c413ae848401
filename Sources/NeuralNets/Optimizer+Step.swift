extension Optimizer {
    /// One optimiser step: checks that `gradient` has `parameters`' layout, refuses a
    /// gradient with NaN or infinite elements (returning `.rejectedNonFinite` and
    /// changing nothing), clips `gradient` **in place** to global norm
    /// `maxGradientNorm` if given (as `torch.nn.utils.clip_grad_norm_`), and applies
    /// the update with the scheduled learning rate.
    /// - Throws: `NeuralNetError.shapeMismatch` if the layouts differ, or
    ///   `NeuralNetError.invalidArgument` for a non-positive `maxGradientNorm`.
    public mutating func step(
        _ parameters: inout ParameterVector, gradient: inout ParameterVector, maxGradientNorm: Float? = nil
    ) throws -> OptimizerStepResult {
        try parameters.requireSameLayout(as: gradient, for: "apply a gradient to")
        if let maxNorm = maxGradientNorm, !(maxNorm > 0) {
            throw NeuralNetError.invalidArgument("The maximum gradient norm must be positive, got \(maxNorm).")
        }
        let bad = gradient.nonFiniteCount
        if bad > 0 {
            return .rejectedNonFinite(count: bad, tensors: gradient.nonFiniteTensorNames)
        }
        var norm = gradient.norm
        var clipped = false
        if let maxNorm = maxGradientNorm {
            (norm, clipped) = clipGlobalNorm(&gradient, maxNorm: maxNorm)
        }
        let rate = applyScheduledUpdate(&parameters, gradient: gradient)
        return .applied(gradientNorm: norm, clipped: clipped, learningRate: rate)
    }

    /// The update with the scheduled learning rate, after the caller's checks; advances the
    /// step count and returns the rate used.
    @discardableResult
    mutating func applyScheduledUpdate(_ parameters: inout ParameterVector, gradient: ParameterVector) -> Float {
        let rate = schedule.value(atStep: stepCount)
        let step = stepCount + 1
        gradient.withUnsafeBufferPointer { g in
            parameters.withUnsafeMutableBufferPointer { p in
                update(parameters: p, gradient: g, learningRate: rate, step: step)
            }
        }
        stepCount = step
        return rate
    }
}

extension Optimizer {
    /// One step with a gradient the caller has already checked to be finite and clipped (a
    /// driver that clips several tensor groups jointly): the same update as ``step(_:gradient:maxGradientNorm:)``
    /// without its finiteness and norm passes over the gradient.
    /// - Throws: `NeuralNetError.shapeMismatch` if the layouts differ.
    public mutating func stepCheckedGradient(_ parameters: inout ParameterVector, gradient: ParameterVector) throws {
        try parameters.requireSameLayout(as: gradient, for: "apply a gradient to")
        applyScheduledUpdate(&parameters, gradient: gradient)
    }
}

/// Global-norm clipping (Pascanu et al. 2013; `torch.nn.utils.clip_grad_norm_`): if
/// ‖g‖₂ > `maxNorm`, scales g by `maxNorm / (‖g‖₂ + 1e-6)`. Returns the norm before
/// clipping and whether it clipped.
@discardableResult
public func clipGlobalNorm(_ gradient: inout ParameterVector, maxNorm: Float) -> (norm: Float, clipped: Bool) {
    let norm = gradient.norm
    guard norm > maxNorm else { return (norm, false) }
    gradient.scale(by: maxNorm / (norm + 1e-6))
    return (norm, true)
}
