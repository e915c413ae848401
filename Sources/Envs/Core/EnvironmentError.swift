/// What went wrong when a batch was stepped, reset or configured. Every case reads as one
/// clear sentence (`description`), for the command line and for tests.
public enum EnvironmentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The action buffer does not hold `count × actionSize` floats.
    case wrongActionCount(expected: Int, got: Int)
    /// A discrete action is not an integer in `0..<n`.
    case discreteActionOutOfRange(row: Int, value: Float, n: Int)
    /// A continuous action is NaN or infinite (finite out-of-range values are clipped).
    case nonFiniteAction(row: Int)
    /// A physical state of the wrong length, or with a non-finite value.
    case invalidState(String)
    /// Copies of one batch disagree on their spaces (for example grid maps of different sizes).
    case incompatibleCopies(String)
    /// Anything else, already phrased as a sentence.
    case invalid(String)

    public var description: String {
        switch self {
        case .wrongActionCount(let expected, let got):
            return "expected \(expected) action values (one row per copy), got \(got)"
        case .discreteActionOutOfRange(let row, let value, let n):
            return "action \(value) of copy \(row) is not a valid discrete action: valid actions are the integers 0…\(n - 1)"
        case .nonFiniteAction(let row):
            return "the action of copy \(row) is not a finite number"
        case .invalidState(let s), .incompatibleCopies(let s), .invalid(let s):
            return s
        }
    }
}

extension Space {
    /// Checks a whole action batch before anything is stepped, so that a bad action never
    /// leaves a batch half-stepped. Continuous actions only need to be finite: the
    /// environments clip them as their reference does.
    @inlinable
    public func validate(actions: [Float], count: Int) throws(EnvironmentError) {
        let size = self.size
        guard actions.count == count * size else {
            throw .wrongActionCount(expected: count * size, got: actions.count)
        }
        switch self {
        case .discrete(let n):
            let limit = Float(n)
            if n <= 1 << 23 {
                // A scan without early exits: for 0 ≤ v < 2²³, `(v + 2²³) − 2²³` rounds v to an
                // integer, so it equals v exactly when v is one. The loop below names the row.
                var invalid = 0
                actions.withUnsafeBufferPointer { a in
                    for v in a { invalid |= (v >= 0 && v < limit && (v + 0x1p23) - 0x1p23 == v) ? 0 : 1 }
                }
                if invalid == 0 { return }
            }
            for row in 0..<count {
                let v = actions[row]
                // In range, `Int(v)` cannot trap; comparing it back is the integrality test
                // (without the `trunc` call that `rounded(.towardZero)` costs on baseline x86-64).
                if !(v >= 0 && v < limit && v == Float(Int(v))) {
                    throw .discreteActionOutOfRange(row: row, value: v, n: n)
                }
            }
        case .box:
            for i in 0..<actions.count where !actions[i].isFinite {
                throw .nonFiniteAction(row: i / size)
            }
        }
    }
}
