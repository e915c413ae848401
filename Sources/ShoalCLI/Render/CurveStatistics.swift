/// The arithmetic of learning-curve bands: quantiles over seeds, linear interpolation of a seed's
/// curve, and the common x grid every seed of an arm is resampled onto. Pure functions.
enum CurveStatistics {
    /// The q-quantile of `sorted` (ascending), linearly interpolated between order statistics
    /// (NumPy's default, "linear"): the median of [1, 2, 3, 10] is 2.5, its lower quartile 1.75.
    static func quantile(sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = min(max(q, 0), 1) * Double(sorted.count - 1)
        let i = Int(position.rounded(.down)), fraction = position - Double(i)
        return i + 1 < sorted.count ? sorted[i] + (sorted[i + 1] - sorted[i]) * fraction : sorted[i]
    }

    /// The curve through `points` (sorted by x; equal x values keep the last) read at `x`, by
    /// linear interpolation; nil outside the curve's x range.
    static func interpolate(_ points: [(x: Double, y: Double)], at x: Double) -> Double? {
        guard let first = points.first, let last = points.last, x >= first.x, x <= last.x else { return nil }
        // The first point at or beyond x.
        var lo = 0, hi = points.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if points[mid].x < x { lo = mid + 1 } else { hi = mid }
        }
        var j = lo
        while j + 1 < points.count && points[j + 1].x == x { j += 1 }
        let b = points[j]
        if b.x == x || j == 0 { return b.y }
        let a = points[j - 1]
        return a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)
    }

    /// The x range every curve covers (the largest first x to the smallest last x), nil if the
    /// curves do not overlap or one is empty.
    static func overlap(_ curves: [[(x: Double, y: Double)]]) -> ClosedRange<Double>? {
        guard !curves.isEmpty, curves.allSatisfy({ !$0.isEmpty }) else { return nil }
        let lo = curves.map { $0.first!.x }.max()!, hi = curves.map { $0.last!.x }.min()!
        return lo <= hi ? lo...hi : nil
    }

    /// `count` evenly spaced x values spanning `range` (one value when the range is a point).
    static func grid(_ range: ClosedRange<Double>, count: Int) -> [Double] {
        guard count > 1, range.upperBound > range.lowerBound else { return [range.lowerBound] }
        let step = (range.upperBound - range.lowerBound) / Double(count - 1)
        return (0..<count).map { $0 == count - 1 ? range.upperBound : range.lowerBound + Double($0) * step }
    }

    /// The median and quartiles over seeds at each x of `grid` (curves sorted by x, each covering
    /// the grid).
    static func band(_ curves: [[(x: Double, y: Double)]], on grid: [Double]) -> [(x: Double, lower: Double, median: Double, upper: Double)] {
        grid.map { x in
            let ys = curves.compactMap { interpolate($0, at: x) }.sorted()
            return (x, quantile(sorted: ys, 0.25), quantile(sorted: ys, 0.5), quantile(sorted: ys, 0.75))
        }
    }
}
