#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adds the gradient, with respect to the logits, of the loss
/// `−λ · (1/B) Σ_r (1/|A|) Σ_a log π(a|s_r)` — minus the relative-entropy regulariser toward the
/// uniform policy of paper 001 (eq. 6–8, up to its constant, with Σ_s over the B visited rows) —
/// to `gradient`: `−(λ/B)(1/|A| − π(b|s_r))` for every row r and action b, π the softmax of
/// `logits` (`rows × |A|`, row-major). Returns `(1/B) Σ_r (1/|A|) Σ_a log π(a|s_r)`. Allocates nothing.
public func addUniformRegularizerGradient(logits: [Float], rows: Int, lambda: Float, into gradient: inout [Float]) -> Double {
    guard rows > 0 else { return 0 }
    let actions = logits.count / rows
    let scale = Double(lambda) / Double(rows)
    let uniform = 1 / Double(actions)
    var total = 0.0
    for r in 0..<rows {
        let base = r * actions
        var top = -Double.infinity
        for b in 0..<actions { top = max(top, Double(logits[base + b])) }
        var sum = 0.0
        for b in 0..<actions { sum += exp(Double(logits[base + b]) - top) }
        let logSum = top + log(sum)
        var logMean = 0.0
        for b in 0..<actions {
            let logPi = Double(logits[base + b]) - logSum
            logMean += logPi
            gradient[base + b] -= Float(scale * (uniform - exp(logPi)))
        }
        total += logMean * uniform
    }
    return total / Double(rows)
}
