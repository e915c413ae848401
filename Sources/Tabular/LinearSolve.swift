/// Solves the dense system `A x = b` (`a` is `n × n` row-major) by Gaussian elimination with
/// partial pivoting; nil if a pivot falls below `1e-12` (singular for practical purposes).
public func solveLinearSystem(_ a: [Double], _ b: [Double], n: Int) -> [Double]? {
    var m = a, x = b
    for col in 0..<n {
        var pivot = col
        for r in (col + 1)..<max(col + 1, n) where abs(m[r * n + col]) > abs(m[pivot * n + col]) { pivot = r }
        guard abs(m[pivot * n + col]) > 1e-12 else { return nil }
        if pivot != col {
            for k in 0..<n { m.swapAt(col * n + k, pivot * n + k) }
            x.swapAt(col, pivot)
        }
        let inv = 1 / m[col * n + col]
        for r in (col + 1)..<max(col + 1, n) {
            let f = m[r * n + col] * inv
            if f == 0 { continue }
            for k in col..<n { m[r * n + k] -= f * m[col * n + k] }
            x[r] -= f * x[col]
        }
    }
    for r in stride(from: n - 1, through: 0, by: -1) {
        var total = x[r]
        for k in (r + 1)..<max(r + 1, n) { total -= m[r * n + k] * x[k] }
        x[r] = total / m[r * n + r]
    }
    return x
}

/// Systems up to this many states are solved directly; larger ones iteratively.
let directSolveLimit = 1_200
