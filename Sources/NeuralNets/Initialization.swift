/// How a dense layer's weights (and biases) are drawn. Every case is deterministic given
/// the generator it is handed; biases are zero unless stated.
public enum Initialization: Hashable, Sendable, Codable {
    /// A (semi-)orthogonal weight matrix scaled by `gain` (Saxe et al. 2014), as
    /// `torch.nn.init.orthogonal_`: QR of a standard normal matrix with the signs of
    /// R's diagonal folded into Q. CleanRL and SB3 use gain √2 for hidden layers, 0.01
    /// for a policy output and 1 for a value output.
    case orthogonal(gain: Float)
    /// U(−b, b) with b = gain · √(6 / (fanIn + fanOut)) (Glorot and Bengio 2010).
    case xavierUniform(gain: Float)
    /// U(−b, b) with b = gain · √(3 / fanIn) (He et al. 2015); gain √2 suits ReLU.
    case kaimingUniform(gain: Float)
    /// PyTorch's `nn.Linear` default: weights and biases U(−1/√fanIn, 1/√fanIn).
    case pytorchDefault

    /// Draws a `[fanOut × fanIn]` row-major weight matrix and a `[fanOut]` bias.
    /// - Throws: `NeuralNetError.invalidArgument` for a negative fan.
    public func draw(
        fanIn: Int, fanOut: Int, using generator: inout some RandomNumberGenerator
    ) throws -> (weight: [Float], bias: [Float]) {
        guard fanIn >= 0, fanOut >= 0 else {
            throw NeuralNetError.invalidArgument("Layer fans must be non-negative, got fanIn \(fanIn) and fanOut \(fanOut).")
        }
        let count = fanIn * fanOut
        func uniform(_ bound: Double, _ n: Int, _ generator: inout some RandomNumberGenerator) -> [Float] {
            (0..<n).map { _ in Float((2 * generator.nextUnitDouble() - 1) * bound) }
        }
        let zeros = [Float](repeating: 0, count: fanOut)
        switch self {
        case .orthogonal(let gain):
            return (orthogonalMatrix(rows: fanOut, columns: fanIn, gain: Double(gain), using: &generator), zeros)
        case .xavierUniform(let gain):
            let bound = Double(gain) * (6.0 / Double(max(fanIn + fanOut, 1))).squareRoot()
            return (uniform(bound, count, &generator), zeros)
        case .kaimingUniform(let gain):
            let bound = Double(gain) * (3.0 / Double(max(fanIn, 1))).squareRoot()
            return (uniform(bound, count, &generator), zeros)
        case .pytorchDefault:
            let bound = 1.0 / Double(max(fanIn, 1)).squareRoot()
            let weight = uniform(bound, count, &generator)
            return (weight, uniform(bound, fanOut, &generator))
        }
    }
}

/// A `[rows × columns]` row-major matrix with orthonormal rows (if rows ≤ columns) or
/// orthonormal columns (otherwise), times `gain`: modified Gram–Schmidt, in `Double`,
/// on a standard normal matrix. Gram–Schmidt yields R with a positive diagonal, which is
/// exactly the sign convention `torch.nn.init.orthogonal_` imposes.
func orthogonalMatrix(
    rows: Int, columns: Int, gain: Double, using generator: inout some RandomNumberGenerator
) -> [Float] {
    // Work on the tall orientation: n ≥ m, orthonormalise the m columns of an n × m matrix,
    // stored column by column.
    let n = max(rows, columns), m = min(rows, columns)
    guard m > 0 else { return [] }
    var q = (0..<(n * m)).map { _ in generator.nextStandardNormal() }
    for j in 0..<m {
        for k in 0..<j {
            var projection = 0.0
            for i in 0..<n { projection += q[k * n + i] * q[j * n + i] }
            for i in 0..<n { q[j * n + i] -= projection * q[k * n + i] }
        }
        var norm = 0.0
        for i in 0..<n { norm += q[j * n + i] * q[j * n + i] }
        norm = norm.squareRoot()
        for i in 0..<n { q[j * n + i] /= norm }
    }
    var result = [Float](repeating: 0, count: rows * columns)
    for j in 0..<m {
        for i in 0..<n {
            // Column j of the tall matrix; if rows < columns it becomes row j.
            if rows >= columns {
                result[i * columns + j] = Float(gain * q[j * n + i])
            } else {
                result[j * columns + i] = Float(gain * q[j * n + i])
            }
        }
    }
    return result
}
