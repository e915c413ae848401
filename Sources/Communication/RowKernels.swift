// Row kernels: the inner loops of every combination, on contiguous Float rows.
//
// They take raw pointers and a count so that the compiler sees plain strided loops it
// can vectorise; they never allocate. A diffusion or consensus step for one agent is
// `scaleAdd2` once (its own row and its first neighbour) followed by `accumulate2` for
// the remaining neighbours two at a time, so each neighbour row is read exactly once
// and the output row is written once and re-read from cache.

/// `out[i] = a · x[i]`.
public func scaleRow(_ a: Float, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = a * x[i] }
}

/// `out[i] += a · x[i]` (axpy).
public func accumulateRow(_ a: Float, _ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { out[i] += a * x[i] }
}

/// `out[i] = a · x[i] + b · y[i]`.
public func scaleAdd2(_ a: Float, _ x: UnsafePointer<Float>, _ b: Float, _ y: UnsafePointer<Float>,
                      into out: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = a * x[i] + b * y[i] }
}

/// `out[i] += a · x[i] + b · y[i]`.
public func accumulate2(_ a: Float, _ x: UnsafePointer<Float>, _ b: Float, _ y: UnsafePointer<Float>,
                        into out: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { out[i] += a * x[i] + b * y[i] }
}

/// `Σ (x[i] − y[i])²` in `Double`.
public func squaredDistance(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Double {
    var s: Float = 0
    var total = 0.0
    var i = 0
    // Blocks of 1024 in Float, summed in Double, to keep rounding small on long rows.
    while i < count {
        let end = min(i + 1024, count)
        s = 0
        for j in i..<end { let d = x[j] - y[j]; s += d * d }
        total += Double(s)
        i = end
    }
    return total
}

/// `Σ x[i]²` in `Double`.
public func squaredNorm(_ x: UnsafePointer<Float>, count: Int) -> Double {
    var total = 0.0
    var i = 0
    while i < count {
        let end = min(i + 1024, count)
        var s: Float = 0
        for j in i..<end { s += x[j] * x[j] }
        total += Double(s)
        i = end
    }
    return total
}

/// A weighted sum of rows, `out = Σ_j weights[j] · rows[j]`, computed pairwise with
/// the kernels above in the order given (the caller fixes a canonical order so the
/// result does not depend on message arrival order). `rows` must be non-empty and all
/// of length `out.count`.
public func weightedSum(_ weights: [Float], _ rows: [[Float]], into out: inout [Float]) {
    precondition(!weights.isEmpty && weights.count == rows.count)
    let n = out.count
    out.withUnsafeMutableBufferPointer { o in
        let op = o.baseAddress!
        var j = 0
        if rows.count >= 2 {
            rows[0].withUnsafeBufferPointer { x in rows[1].withUnsafeBufferPointer { y in
                scaleAdd2(weights[0], x.baseAddress!, weights[1], y.baseAddress!, into: op, count: n)
            } }
            j = 2
        } else {
            rows[0].withUnsafeBufferPointer { x in scaleRow(weights[0], x.baseAddress!, into: op, count: n) }
            j = 1
        }
        while j + 1 < rows.count {
            rows[j].withUnsafeBufferPointer { x in rows[j + 1].withUnsafeBufferPointer { y in
                accumulate2(weights[j], x.baseAddress!, weights[j + 1], y.baseAddress!, into: op, count: n)
            } }
            j += 2
        }
        if j < rows.count {
            rows[j].withUnsafeBufferPointer { x in accumulateRow(weights[j], x.baseAddress!, into: op, count: n) }
        }
    }
}
