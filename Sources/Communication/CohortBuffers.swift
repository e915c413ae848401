/// The values every agent holds at the moment of communication, one row per agent.
///
/// Rows are separate `[Float]` arrays of equal length (one flat parameter vector per
/// agent, the layout of a `ParameterVector`), so a strategy can send a row to several
/// neighbours without copying it and a trainer can move its vector in and out in O(1).
/// Which fields a strategy reads is stated by its ``CommunicationStrategy/inputs``:
/// - ``parameters`` are always read, and written with the combined result;
/// - ``updates`` hold each agent's local step (already scaled and signed, so that
///   applying it means `θ ← θ + update`) for strategies that apply the step
///   themselves (consensus, central averaging, lazy aggregation);
/// - ``returns`` hold each agent's scalar return for its current perturbation
///   (evolution strategies).
public struct CohortBuffers: Sendable {
    /// `parameters[k]`: agent k's flat parameter vector.
    public var parameters: [[Float]]
    /// `updates[k]`: agent k's local step, or empty rows when unused.
    public var updates: [[Float]]
    /// `returns[k]`: agent k's return, or empty when unused.
    public var returns: [Float]

    /// Buffers of `agentCount` zero rows of `parameterCount` values (updates zeroed too,
    /// returns zero).
    public init(agentCount: Int, parameterCount: Int) {
        parameters = [[Float]](repeating: [Float](repeating: 0, count: parameterCount), count: agentCount)
        updates = parameters
        returns = [Float](repeating: 0, count: agentCount)
    }

    /// Buffers holding `parameters`; updates start at zero.
    public init(parameters: [[Float]]) {
        self.parameters = parameters
        let p = parameters.first?.count ?? 0
        updates = [[Float]](repeating: [Float](repeating: 0, count: p), count: parameters.count)
        returns = [Float](repeating: 0, count: parameters.count)
    }

    /// Number of agents (rows).
    public var agentCount: Int { parameters.count }
    /// Length of every parameter row.
    public var parameterCount: Int { parameters.first?.count ?? 0 }

    /// Throws unless there are `agents` parameter rows of equal length, and — when
    /// `needsUpdates` / `needsReturns` — matching update rows and one return per agent.
    public func validate(agents: Int, needsUpdates: Bool = false, needsReturns: Bool = false) throws {
        guard parameters.count == agents else {
            throw CommunicationError.shapeMismatch("\(parameters.count) parameter rows for \(agents) agents")
        }
        let p = parameterCount
        if let k = parameters.firstIndex(where: { $0.count != p }) {
            throw CommunicationError.shapeMismatch("parameter row \(k) has \(parameters[k].count) values, row 0 has \(p)")
        }
        if needsUpdates {
            guard updates.count == agents, updates.allSatisfy({ $0.count == p }) else {
                throw CommunicationError.shapeMismatch("update rows must be \(agents) rows of \(p) values")
            }
        }
        if needsReturns, returns.count != agents {
            throw CommunicationError.shapeMismatch("\(returns.count) returns for \(agents) agents")
        }
    }
}
