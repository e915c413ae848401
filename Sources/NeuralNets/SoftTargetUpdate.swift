/// The soft target-network update φ̂ ← (1 − ε) φ̂ + ε φ (paper 004 Algorithm 2; DDPG's and
/// MADDPG's τ), element by element on two parameter rows of the same length. ε = 1 copies φ,
/// ε = 0 leaves φ̂ as it is.
///
/// - Throws: `NeuralNetError.invalidArgument` if ε lies outside [0, 1] or the rows differ in length.
public func softTargetUpdate(target: UnsafeMutableBufferPointer<Float>, source: UnsafeBufferPointer<Float>, rate epsilon: Float) throws {
    guard epsilon >= 0 && epsilon <= 1 else {
        throw NeuralNetError.invalidArgument("the soft target update's rate ε must lie in [0, 1], got \(epsilon)")
    }
    guard target.count == source.count else {
        throw NeuralNetError.invalidArgument("the target network has \(target.count) parameters, the network \(source.count); they must match")
    }
    let keep = 1 - epsilon
    for i in 0..<target.count { target[i] = keep * target[i] + epsilon * source[i] }
}

extension ParameterVector {
    /// `self ← (1 − ε) self + ε source` (``softTargetUpdate(target:source:rate:)``) for a target
    /// network that follows `source`.
    /// - Throws: `NeuralNetError.shapeMismatch` if the layouts differ, `invalidArgument` if ε ∉ [0, 1].
    public mutating func softUpdate(toward source: ParameterVector, rate epsilon: Float) throws {
        try requireSameLayout(as: source, for: "soft-update")
        try source.withUnsafeBufferPointer { s in
            try withUnsafeMutableBufferPointer { t in try softTargetUpdate(target: t, source: s, rate: epsilon) }
        }
    }
}
