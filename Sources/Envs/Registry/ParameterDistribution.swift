import Foundation

/// How one parameter is drawn when a task set is sampled.
///
/// JSON forms (in family data files): `{"fixed": 0.5}`, `{"uniform": [0.75, 1.25]}`,
/// `{"union": [[0.5, 0.75], [1.25, 1.5]]}` (half-open intervals, drawn uniformly over their
/// total length — the same law as Packer et al.'s rejection sampling), `{"choice": [a, b, …]}`,
/// `{"beta": {"alpha": 0.4, "beta": 0.4, "low": -15, "high": 15}}` (Beta scaled to a range).
public enum ParameterDistribution: Equatable, Sendable {
    case fixed(Double)
    case uniform(Double, Double)
    case union([ClosedRange<Double>])
    case choice([Double])
    case beta(alpha: Double, beta: Double, low: Double, high: Double)

    /// Draws one value.
    public func sample(_ g: inout RandomGenerator) -> Double {
        switch self {
        case .fixed(let v): return v
        case .uniform(let a, let b): return g.uniform(a, b)
        case .union(let intervals):
            let total = intervals.reduce(0) { $0 + ($1.upperBound - $1.lowerBound) }
            var u = g.nextUnit() * total
            for r in intervals {
                let w = r.upperBound - r.lowerBound
                if u < w { return r.lowerBound + u }
                u -= w
            }
            return intervals.last!.upperBound
        case .choice(let values): return values[g.below(values.count)]
        case let .beta(a, b, low, high): return low + (high - low) * sampleBeta(a, b, &g)
        }
    }

    /// Decodes the JSON form; `context` starts the error message.
    public static func decode(_ json: JSONValue, context: String) throws(ParameterError) -> ParameterDistribution {
        guard let pairs = json.objectPairs, pairs.count == 1 else {
            throw ParameterError("\(context): a distribution is an object with one key: fixed, uniform, union, choice or beta")
        }
        let (kind, body) = pairs[0]
        func number(_ v: JSONValue?, _ what: String) throws(ParameterError) -> Double {
            guard let d = v?.doubleValue, d.isFinite else { throw ParameterError("\(context): \(kind) needs a finite number for \(what)") }
            return d
        }
        func pair(_ v: JSONValue) throws(ParameterError) -> (Double, Double) {
            guard let a = v.arrayValue, a.count == 2 else { throw ParameterError("\(context): \(kind) needs [low, high] pairs") }
            let lo = try number(a[0], "low"), hi = try number(a[1], "high")
            guard lo < hi else { throw ParameterError("\(context): \(kind) needs low < high, got [\(lo), \(hi)]") }
            return (lo, hi)
        }
        switch kind {
        case "fixed": return .fixed(try number(body, "its value"))
        case "uniform":
            let (a, b) = try pair(body)
            return .uniform(a, b)
        case "union":
            guard let items = body.arrayValue, !items.isEmpty else { throw ParameterError("\(context): union needs a list of [low, high] intervals") }
            var ranges: [ClosedRange<Double>] = []
            for item in items {
                let (a, b) = try pair(item)
                ranges.append(a...b)
            }
            return .union(ranges)
        case "choice":
            guard let items = body.arrayValue, !items.isEmpty else { throw ParameterError("\(context): choice needs a non-empty list of values") }
            var values: [Double] = []
            for item in items { values.append(try number(item, "a choice")) }
            return .choice(values)
        case "beta":
            let a = try number(body["alpha"], "alpha"), b = try number(body["beta"], "beta")
            let lo = try number(body["low"], "low"), hi = try number(body["high"], "high")
            guard a > 0, b > 0, lo < hi else { throw ParameterError("\(context): beta needs alpha > 0, beta > 0 and low < high") }
            for (k, _) in body.objectPairs ?? [] where !["alpha", "beta", "low", "high"].contains(k) {
                throw ParameterError("\(context): beta has an unknown key '\(k)' (valid: alpha, beta, low, high)")
            }
            return .beta(alpha: a, beta: b, low: lo, high: hi)
        default:
            throw ParameterError("\(context): unknown distribution '\(kind)' (valid: fixed, uniform, union, choice, beta)")
        }
    }
}

/// A Beta(a, b) draw from two Gamma draws.
public func sampleBeta(_ a: Double, _ b: Double, _ g: inout RandomGenerator) -> Double {
    let x = sampleGamma(a, &g), y = sampleGamma(b, &g)
    let s = x + y
    return s > 0 ? x / s : (g.nextUnit() < a / (a + b) ? 1 : 0)
}

/// A Gamma(shape, 1) draw: Marsaglia & Tsang (2000), with the U^(1/shape) boost for shape < 1.
public func sampleGamma(_ shape: Double, _ g: inout RandomGenerator) -> Double {
    if shape < 1 {
        var u = g.nextUnit()
        while u == 0 { u = g.nextUnit() }
        return sampleGamma(shape + 1, &g) * pow(u, 1 / shape)
    }
    let d = shape - 1.0 / 3.0
    let c = 1 / (9 * d).squareRoot()
    while true {
        var x: Double, v: Double
        repeat {
            x = g.normal()
            v = 1 + c * x
        } while v <= 0
        v = v * v * v
        let u = g.nextUnit()
        if u < 1 - 0.0331 * x * x * x * x { return d * v }
        if log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
    }
}
