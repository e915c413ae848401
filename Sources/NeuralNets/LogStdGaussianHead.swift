#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A diagonal Gaussian with mean a and standard deviation exp(b), row input
/// `[a₁…a_D, b₁…b_D]`.
///
/// For A2C and PPO the log-std is **state-independent**: a learned vector of D
/// parameters, not a network output. Keep it in its own `ParameterVector` (see
/// `makeLogStd(initialValue:)`), write it into every row's second half with
/// `broadcastLogStd`, and after the head's gradients are accumulated, fold the second
/// halves back onto the vector with `reduceLogStdGradient`. The same head serves a
/// state-dependent log-std when the network emits both halves.
public struct LogStdGaussianHead: DiagonalGaussianHead {
    public let actionCount: Int

    /// - Throws: `NeuralNetError.invalidArgument` for no actions.
    public init(actionCount: Int) throws {
        guard actionCount >= 1 else {
            throw NeuralNetError.invalidArgument("A Gaussian head needs at least one action dimension, got \(actionCount).")
        }
        self.actionCount = actionCount
    }

    /// μ = a (dμ/da = 1); σ = exp b (dσ/db = σ).
    public func meanAndStd(a: Float, b: Float) -> (mean: Float, std: Float, dMean: Float, dStd: Float) {
        let std = expf(b)
        return (a, std, 1, std)
    }

    /// A state-independent log-std vector (tensor `log_std`, shape `[actionCount]`),
    /// filled with `initialValue` (0 in SB3 and CleanRL).
    public func makeLogStd(initialValue: Float = 0) -> ParameterVector {
        let layout = try! ParameterLayout([(name: "log_std", shape: [actionCount])])
        return try! ParameterVector(layout: layout, values: Array(repeating: initialValue, count: actionCount))
    }

    /// Builds head inputs for `batchSize` rows: means from `means` (`batchSize × D`),
    /// log-stds copied from `logStd` into every row.
    /// - Throws: `NeuralNetError.shapeMismatch` for wrong counts.
    public func broadcastLogStd(
        means: [Float], logStd: ParameterVector, batchSize: Int, into inputs: inout [Float]
    ) throws {
        let d = actionCount
        guard means.count == batchSize * d, logStd.count == d else {
            throw NeuralNetError.shapeMismatch(
                "Broadcasting a log-std needs \(batchSize * d) means and \(d) log-stds, got \(means.count) and \(logStd.count).")
        }
        if inputs.count != 2 * d * batchSize { inputs = [Float](repeating: 0, count: 2 * d * batchSize) }
        for r in 0..<batchSize {
            for i in 0..<d {
                inputs[r * 2 * d + i] = means[r * d + i]
                inputs[r * 2 * d + d + i] = logStd[i]
            }
        }
    }

    /// Splits head-input gradients (`batchSize × 2D`): adds the mean halves' rows into
    /// `meanGradient` (`batchSize × D`) and the column sums of the log-std halves into
    /// `logStdGradient` (D).
    /// - Throws: `NeuralNetError.shapeMismatch` for wrong counts.
    public func reduceLogStdGradient(
        inputGradient: [Float], batchSize: Int, meanGradient: inout [Float], logStdGradient: inout ParameterVector
    ) throws {
        let d = actionCount
        guard inputGradient.count == 2 * d * batchSize, meanGradient.count == d * batchSize,
            logStdGradient.count == d
        else {
            throw NeuralNetError.shapeMismatch(
                "Reducing log-std gradients needs \(2 * d * batchSize) input gradients, \(d * batchSize) mean "
                    + "gradients and \(d) log-std gradients, got \(inputGradient.count), \(meanGradient.count) "
                    + "and \(logStdGradient.count).")
        }
        for r in 0..<batchSize {
            for i in 0..<d {
                meanGradient[r * d + i] += inputGradient[r * 2 * d + i]
                logStdGradient[i] += inputGradient[r * 2 * d + d + i]
            }
        }
    }
}
