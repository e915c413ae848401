import Training

/// The inner policy-search step of Dist-MTPS (paper 000 §VI-B compares both): the local target
/// θ̃_k each agent's quadratic cost in L is built from.
public enum DistMTPSPolicySearch: String, NamedChoice, Codable {
    /// REINFORCE (Williams 1992): Gaussian exploration in the action, θ̃ = θ + η ĝ.
    case reinforce
    /// PoWER (Kober & Peters 2009): Gaussian exploration in the parameters, one draw per episode,
    /// θ̃ = θ + Σ_i R_i (θ_i − θ) / Σ_i R_i over the best rollouts seen.
    case power

    public static var choiceName: String { "Dist-MTPS policy_search" }

    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        self = try Self.parse(name)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
