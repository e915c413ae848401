import Training

/// The optimiser every ES worker ascends the estimated gradient with (paper 003): Adam on
/// cart-pole and ant (§4.7), a momentum optimiser on the grid worlds (§4.6).
public enum EvolutionStrategiesOptimizer: String, NamedChoice, Codable {
    /// Adam (Kingma and Ba), β₁ 0.9, β₂ 0.999, ε 1e-8.
    case adam
    /// Polyak's heavy ball, d ← μd + lr·(ĝ − λθ); θ ← θ + d.
    case momentum

    public static var choiceName: String { "ES optimizer" }

    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        self = try Self.parse(name)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
