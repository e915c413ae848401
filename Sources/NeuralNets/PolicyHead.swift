/// The seam between a network's output and a policy: turns one row of network output
/// (`inputCount` floats) into a probability distribution over actions, samples from it,
/// scores actions and differentiates the score with respect to that row.
///
/// Per-row methods work on buffer pointers so that trainers can call them in hot loops
/// without allocating; `PolicyHead+Batch.swift` adds checked, batched versions on
/// arrays. Gradient methods **add** `scale ×` the derivative into the buffer they are
/// given, so several loss terms (policy gradient, entropy bonus, KL penalty) can be
/// accumulated into one ∂L/∂output before `MLP.backward`.
///
/// Actions are `actionCount` floats per row; a categorical action is its index stored
/// as a `Float` (exact below 2²⁴).
public protocol PolicyHead: Sendable {
    /// Network outputs read per row.
    var inputCount: Int { get }
    /// Floats per action.
    var actionCount: Int { get }
    /// Draws an action for one row.
    func sample(
        input: UnsafeBufferPointer<Float>, into action: UnsafeMutableBufferPointer<Float>,
        using generator: inout some RandomNumberGenerator)
    /// The most likely action (greedy evaluation): argmax, the mean, or tanh of the mean.
    func mode(input: UnsafeBufferPointer<Float>, into action: UnsafeMutableBufferPointer<Float>)
    /// log π(action | input).
    func logProb(input: UnsafeBufferPointer<Float>, action: UnsafeBufferPointer<Float>) -> Float
    /// Adds `scale · ∂ log π(action | input) / ∂ input` into `gradient` (`inputCount` floats).
    func addLogProbGradient(
        input: UnsafeBufferPointer<Float>, action: UnsafeBufferPointer<Float>, scale: Float,
        into gradient: UnsafeMutableBufferPointer<Float>)
}

/// A policy head whose entropy and KL divergence have closed forms.
public protocol AnalyticPolicyHead: PolicyHead {
    /// H[π(· | input)].
    func entropy(input: UnsafeBufferPointer<Float>) -> Float
    /// Adds `scale · ∂H / ∂ input` into `gradient`.
    func addEntropyGradient(
        input: UnsafeBufferPointer<Float>, scale: Float, into gradient: UnsafeMutableBufferPointer<Float>)
    /// KL(p ‖ q) between the distributions given by two rows of network output.
    func klDivergence(p: UnsafeBufferPointer<Float>, q: UnsafeBufferPointer<Float>) -> Float
    /// Adds `scale · ∂KL(p ‖ q) / ∂p` into `gradientP` and `scale · ∂KL(p ‖ q) / ∂q` into
    /// `gradientQ`; either may be `nil` when not needed.
    func addKLGradient(
        p: UnsafeBufferPointer<Float>, q: UnsafeBufferPointer<Float>, scale: Float,
        intoP gradientP: UnsafeMutableBufferPointer<Float>?, intoQ gradientQ: UnsafeMutableBufferPointer<Float>?)
}
