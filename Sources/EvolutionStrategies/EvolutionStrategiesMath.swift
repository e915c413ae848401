import Envs
import Foundation

// Pure math of the ES workers (paper 003 §2.4.4, §4.7); the gradient estimate itself (eq. 2.1)
// is `evolutionStrategiesGradient` in `Communication`, shared with the strategy.

/// The descent direction whose minimisation is ascent on the regularised objective
/// `ĝ − λθ` of paper 003 §4.7 (the ES estimate, eq. 2.1, with an L2 penalty ½λ‖θ‖²):
///
///     d_j = −(ĝ_j − λ θ_j) = λ θ_j − ĝ_j
///
/// so that an optimiser stepping `θ ← θ − lr·f(d)` climbs F. Written into `out` (length of θ).
public func regularisedESDescent(estimate g: UnsafeBufferPointer<Float>, parameters theta: UnsafeBufferPointer<Float>,
                                 l2 lambda: Float, into out: UnsafeMutableBufferPointer<Float>) {
    for j in 0..<out.count { out[j] = lambda * theta[j] - g[j] }
}

/// The deterministic action of an ES policy for one row of network outputs (OpenAI's ES
/// policies act without sampling): the arg-max output for a discrete space (the lowest index on
/// ties), and for a box each output squashed by tanh into `[low, high]` (the raw output where a
/// bound is infinite). Writes `space.size` floats at `action`.
public func esAction(outputs: UnsafePointer<Float>, space: Space, into action: UnsafeMutablePointer<Float>) {
    switch space {
    case .discrete(let n):
        var best = 0
        for i in 1..<max(n, 1) where outputs[i] > outputs[best] { best = i }
        action[0] = Float(best)
    case .box(let box):
        for i in 0..<box.low.count {
            let lo = box.low[i], hi = box.high[i]
            if lo.isFinite && hi.isFinite {
                let t = Foundation.tanh(outputs[i])
                action[i] = lo + (t + 1) * 0.5 * (hi - lo)
            } else {
                action[i] = outputs[i]
            }
        }
    }
}
