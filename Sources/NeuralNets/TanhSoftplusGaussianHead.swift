/// The Diff-SiAC actor's output (paper 000, Appendix A.1): a diagonal Gaussian whose
/// mean is tanh(a) and whose standard deviation is softplus(b) + `minimumStd`.
///
/// The paper's text says the softplus output sets the *variance*; like common
/// implementations, this head reads it as the standard deviation (a monotone
/// reparameterisation of the same family). Row input: `[a₁…a_D, b₁…b_D]`.
public struct TanhSoftplusGaussianHead: DiagonalGaussianHead {
    public let actionCount: Int
    /// A floor added to the softplus, keeping σ away from zero (0 disables it).
    public let minimumStd: Float

    /// - Throws: `NeuralNetError.invalidArgument` for no actions or a negative floor.
    public init(actionCount: Int, minimumStd: Float = 1e-3) throws {
        guard actionCount >= 1 else {
            throw NeuralNetError.invalidArgument("A Gaussian head needs at least one action dimension, got \(actionCount).")
        }
        guard minimumStd >= 0 else {
            throw NeuralNetError.invalidArgument("The minimum standard deviation must be non-negative, got \(minimumStd).")
        }
        self.actionCount = actionCount
        self.minimumStd = minimumStd
    }

    /// μ = tanh a (dμ/da = 1 − μ²); σ = softplus b + floor (dσ/db = sigmoid b).
    public func meanAndStd(a: Float, b: Float) -> (mean: Float, std: Float, dMean: Float, dStd: Float) {
        let mean = Activation.tanh(a)
        return (mean, softplus(b) + minimumStd, 1 - mean * mean, sigmoid(b))
    }
}
