import Foundation
@testable import NeuralNets

/// Double-precision reference implementations used to check the Float kernels: the
/// analytic gradients are compared with central finite differences of these, which are
/// accurate to ~1e-9 where Float differences would be ~1e-3.
enum DoubleReference {
    static func activate(_ a: Activation, _ x: Double) -> Double {
        switch a {
        case .identity: return x
        case .tanh: return Foundation.tanh(x)
        case .relu: return max(x, 0)
        case .softplus: return max(x, 0) + Foundation.log1p(Foundation.exp(-abs(x)))
        }
    }

    /// Forward pass of an MLP in Double, parameters taken from `parameters` (same layout).
    static func forward(_ mlp: MLP, parameters: [Double], input: [Double]) -> [Double] {
        var x = input
        let rows = input.count / mlp.inputCount
        for layer in mlp.layers {
            var y = [Double](repeating: 0, count: rows * layer.outputCount)
            for r in 0..<rows {
                for o in 0..<layer.outputCount {
                    var s = parameters[layer.biasOffset + o]
                    for i in 0..<layer.inputCount {
                        s += parameters[layer.weightOffset + o * layer.inputCount + i] * x[r * layer.inputCount + i]
                    }
                    y[r * layer.outputCount + o] = activate(layer.activation, s)
                }
            }
            x = y
        }
        return x
    }

    /// Central finite difference of `f` at `x` along coordinate `i`.
    static func partial(_ f: ([Double]) -> Double, at x: [Double], _ i: Int, step: Double = 1e-6) -> Double {
        var plus = x, minus = x
        plus[i] += step
        minus[i] -= step
        return (f(plus) - f(minus)) / (2 * step)
    }

    /// Central-difference gradient of `f` at `x`.
    static func gradient(_ f: ([Double]) -> Double, at x: [Double], step: Double = 1e-6) -> [Double] {
        (0..<x.count).map { partial(f, at: x, $0, step: step) }
    }

    /// The largest |a − b| / (|b| + scale).
    static func maxRelativeError(_ a: [Float], _ b: [Double], scale: Double = 1e-3) -> Double {
        zip(a, b).map { abs(Double($0) - $1) / (abs($1) + scale) }.max() ?? 0
    }
}
