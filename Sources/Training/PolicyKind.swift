/// The action distribution of a policy network.
public enum PolicyKind: String, Codable, Sendable, CaseIterable {
    /// Softmax over logits (discrete actions).
    case categorical
    /// Diagonal Gaussian with a state-independent, learned log-std (A2C, PPO).
    case gaussianLogStd = "gaussian-log-std"
    /// Diagonal Gaussian with tanh mean and softplus standard deviation, both network outputs
    /// (Diff-SiAC, paper 000 appendix A.1).
    case gaussianTanhSoftplus = "gaussian-tanh-softplus"
}
