/// Parameter similarity of a cohort after Table I of the Diff-DAC paper (000): for every
/// parameter j, the standard deviation σ_j of its values across agents relative to their mean
/// μ_j, averaged over parameters.
///
/// Averaging the ratios σ_j/|μ_j| literally is unstable: a parameter whose mean crosses zero
/// gives an unbounded ratio, so the average of thousands of parameters is dominated by a few
/// (see ``unweightedRelativeDeviation(_:)``, which computes it literally). This function
/// returns the same ratio averaged with weights |μ_j|, that is `Σ_j σ_j / Σ_j |μ_j|` — bounded,
/// zero when the agents agree, and about `√((N−1)/N)` for agents whose parameters are drawn
/// independently around zero. Population standard deviation (divide by N).
public func relativeDeviation(_ rows: [[Float]]) -> Double {
    guard let p = rows.first?.count, rows.count > 1, p > 0 else { return 0 }
    let n = Double(rows.count)
    var spread = 0.0, magnitude = 0.0
    for j in 0..<p {
        var mean = 0.0
        for r in rows { mean += Double(r[j]) }
        mean /= n
        var variance = 0.0
        for r in rows { let d = Double(r[j]) - mean; variance += d * d }
        spread += (variance / n).squareRoot()
        magnitude += abs(mean)
    }
    return magnitude > 0 ? spread / magnitude : 0
}

/// Table I of the Diff-DAC paper computed literally: the mean over parameters of `σ_j / |μ_j|`
/// (parameters whose mean is exactly 0 are left out). Unstable; see ``relativeDeviation(_:)``.
public func unweightedRelativeDeviation(_ rows: [[Float]]) -> Double {
    guard let p = rows.first?.count, rows.count > 1, p > 0 else { return 0 }
    let n = Double(rows.count)
    var sum = 0.0, used = 0
    for j in 0..<p {
        var mean = 0.0
        for r in rows { mean += Double(r[j]) }
        mean /= n
        guard mean != 0 else { continue }
        var variance = 0.0
        for r in rows { let d = Double(r[j]) - mean; variance += d * d }
        sum += (variance / n).squareRoot() / abs(mean)
        used += 1
    }
    return used > 0 ? sum / Double(used) : 0
}

/// Disagreement of a cohort: the root-mean-square distance of the agents' parameter rows from
/// their average, `sqrt(1/N Σ_k ‖θ_k − θ̄‖²)`.
public func consensusDistance(_ rows: [[Float]]) -> Double {
    guard let p = rows.first?.count, !rows.isEmpty else { return 0 }
    let n = Double(rows.count)
    var total = 0.0
    for j in 0..<p {
        var mean = 0.0
        for r in rows { mean += Double(r[j]) }
        mean /= n
        for r in rows { let d = Double(r[j]) - mean; total += d * d }
    }
    return (total / n).squareRoot()
}

/// Mean and the half-width of a 95 % confidence interval (Student t for small samples).
public func meanWithConfidence(_ values: [Double]) -> (mean: Double, halfWidth: Double) {
    guard !values.isEmpty else { return (.nan, .nan) }
    let n = Double(values.count)
    let mean = values.reduce(0, +) / n
    guard values.count > 1 else { return (mean, .nan) }
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    return (mean, studentT975(degreesOfFreedom: values.count - 1) * (variance / n).squareRoot())
}

/// The 97.5 % quantile of Student's t distribution (two-sided 95 %).
public func studentT975(degreesOfFreedom df: Int) -> Double {
    let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                           2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                           2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
    if df >= 1 && df <= table.count { return table[df - 1] }
    if df <= 0 { return .nan }
    return 1.959964 + 2.37 / Double(df)  // close to the exact quantile beyond 30 degrees of freedom
}
