import Foundation

// The pure pieces of MADDPG (Lowe et al. 2017; ``MADDPGConfig``): the Gumbel-softmax relaxation
// of a categorical actor, the sigmoid-bounded deterministic actor of a box, their backward
// passes, and the critic's target.

/// Gumbel-softmax (temperature 1, as the original's `SoftCategoricalPd.sample`):
/// a = softmax(z − log(−log u)) for logits z and uniforms u ∈ (0, 1). `gumbel[k]` is the drawn
/// g_k = −log(−log u_k) (0 for the noiseless softmax). Writes a into `out`.
@inlinable
public func gumbelSoftmax(logits z: UnsafeBufferPointer<Float>, gumbel g: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>) {
    let d = z.count
    var m = -Float.infinity
    for k in 0..<d { m = max(m, z[k] + g[k]) }
    var total: Float = 0
    for k in 0..<d { let e = exp(z[k] + g[k] - m); out[k] = e; total += e }
    for k in 0..<d { out[k] /= total }
}

/// The Gumbel noise g = −log(−log u) of a uniform u, with u kept inside (0, 1).
@inlinable
public func gumbelNoise(uniform u: Double) -> Float {
    let v = min(max(u, 1e-12), 1 - 1e-12)
    return Float(-log(-log(v)))
}

/// Backward pass of ``gumbelSoftmax(logits:gumbel:into:)``: with a = softmax(z + g) and
/// G = ∂L/∂a, adds ∂L/∂z_k = a_k (G_k − Σ_j a_j G_j) (the softmax Jacobian diag(a) − a aᵀ) to
/// `gradient`.
@inlinable
public func gumbelSoftmaxBackward(action a: UnsafeBufferPointer<Float>, actionGradient ga: UnsafeBufferPointer<Float>,
                                  addingInto gradient: UnsafeMutableBufferPointer<Float>) {
    var dot: Float = 0
    for k in 0..<a.count { dot += a[k] * ga[k] }
    for k in 0..<a.count { gradient[k] += a[k] * (ga[k] - dot) }
}

/// The deterministic actor of a box [low, high]: a = low + (high − low) σ(z).
@inlinable
public func sigmoidBoundedAction(_ z: Float, low: Float, high: Float) -> Float {
    low + (high - low) / (1 + exp(-z))
}

/// ∂a/∂z of ``sigmoidBoundedAction(_:low:high:)``: (high − low) σ(z)(1 − σ(z)).
@inlinable
public func sigmoidBoundedSlope(_ z: Float, low: Float, high: Float) -> Float {
    let s = 1 / (1 + exp(-z))
    return (high - low) * s * (1 - s)
}

/// The critic's target y = r + γ (1 − done) Q′(o′, μ′(o′)) (MADDPG eq. 3, the original's
/// `rew + gamma * (1.0 - done) * target_q_next`).
@inlinable
public func maddpgCriticTarget(reward: Float, done: Bool, discount: Float, nextValue: Float) -> Float {
    reward + discount * (done ? 0 : 1) * nextValue
}
