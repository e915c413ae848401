/// The layout of an agent's row under the `admm` strategy (``ADMMConsensus``):
///
/// `[X (d·r) | Λ (d·r) | A (r·r) | B (d·r) | r]`, row-major blocks:
/// - X, the agent's copy of the shared d×r matrix (what ADMM makes agree);
/// - Λ, the agent's aggregate multiplier (``admmDualUpdate``), kept by the agent across rounds;
/// - A (r×r, symmetric positive definite) and B (d×r), the agent's local quadratic cost
///   `½ tr(X A Xᵀ) − tr(Bᵀ X)`, written by the learner before each exchange;
/// - `r`, the number of columns of X, as a value (the strategy reads the shapes from the row).
///
/// X comes first, so the run's policy statistics (the rows' leading policy part) see the shared basis.
///
/// Only X travels: the cost stays with its agent.
public struct ADMMRowLayout: Sendable, Equatable {
    /// Rows and columns of X.
    public let d: Int, r: Int

    public init(d: Int, r: Int) {
        self.d = d
        self.r = r
    }

    /// The layout a row declares in its last value, or nil when it does not fit the layout.
    public init?(row: [Float]) {
        guard let last = row.last, last >= 1, last <= 4096, last == last.rounded() else { return nil }
        let r = Int(last), rest = row.count - 1 - r * r
        guard rest > 0, rest % (3 * r) == 0 else { return nil }
        self.init(d: rest / (3 * r), r: r)
    }

    /// Length of a row.
    public var count: Int { 1 + 3 * d * r + r * r }
    /// Where X, Λ, A and B start.
    public var x: Int { 0 }
    public var dual: Int { d * r }
    public var a: Int { 2 * d * r }
    public var b: Int { 2 * d * r + r * r }

    /// An empty row of this layout (X, Λ, A, B zero).
    public func makeRow() -> [Float] {
        var row = [Float](repeating: 0, count: count)
        row[count - 1] = Float(r)
        return row
    }
}
