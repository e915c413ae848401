#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The physics and the rewards of MPE2's particle world (PettingZoo v3 physics), as pure
// functions on one copy's buffers: `p` and `v` hold the agents' positions and velocities
// `[x₀, y₀, x₁, y₁, …]`, `l` the landmarks' positions, `f` the agents' forces. MPE2 constants:
// dt 0.1, damping 0.25, mass 1, contact force 100, contact margin 1e-3, sensitivity 5.

/// The force of one agent's action (MPE2 `_set_action`, sensitivity 5).
///
/// Discrete: 0 no-op, 1 → (−5, 0), 2 → (+5, 0), 3 → (0, −5), 4 → (0, +5). Continuous
/// `Box(0, 1, (5,))`, clipped to [0, 1] (PettingZoo's `ClipOutOfBoundsWrapper`):
/// `u = 5·(a₂ − a₁, a₄ − a₃)` with the differences taken in float32 as numpy does; a₀ is ignored.
@inlinable @inline(__always)
public func particleActionForce(_ action: UnsafePointer<Float>, continuous: Bool) -> (x: Double, y: Double) {
    if continuous {
        @inline(__always) func c(_ a: Float) -> Float { min(max(a, 0), 1) }
        return (Double(c(action[2]) - c(action[1])) * 5, Double(c(action[4]) - c(action[3])) * 5)
    }
    // Without branches (random actions would mispredict a switch): each direction is 0 or ±1.
    let a = action[0]
    let x = (a == 2 ? 1 : 0) - (a == 1 ? 1 : 0), y = (a == 4 ? 1 : 0) - (a == 3 ? 1 : 0)
    return (Double(x) * 5, Double(y) * 5)
}

/// MPE2's soft penetration `k·log(1 + exp(−(d − d_min)/k))` with k = 1e-3, evaluated as numpy's
/// `logaddexp(0, ·)·k`, with the same result and fewer calls: where `exp` underflows to 0 (gap
/// beyond 0.746) the result is exactly 0, and where `exp(y) < 2⁻⁵³` `log1p(exp(y))` rounds to
/// `exp(y)` itself.
@inlinable @inline(__always)
public func particlePenetration(gap: Double) -> Double {
    let k = 1e-3
    let y = -gap / k
    if y < -746 { return 0 }
    if y < -40 { return exp(y) * k }
    if y == 0 { return 0.6931471805599453 * k }
    return (y < 0 ? log1p(exp(y)) : y + log1p(exp(-y))) * k
}

/// One world step of `n` colliding agents of radius `size` (MPE2 `World.step`): forces `f`
/// (holding the action forces on entry) gain the soft collision force of every pair a < b in
/// MPE2's order, then `p ← p + v·dt` with the old velocity, `v ← 0.75·v + f·dt`.
///
/// At distance exactly 0 MPE2's force is NaN (0/0); here that pair exerts no force, so the
/// physics never produces a NaN. Start states never place two agents there (``SimpleSpread``
/// rejects it in `setState`; a random start has probability 0 of it).
@inlinable @inline(__always)
public func particleWorldStep(p: UnsafeMutablePointer<Double>, v: UnsafeMutablePointer<Double>, f: UnsafeMutablePointer<Double>,
                              agents n: Int, size: Double) {
    let dmin = size + size
    let far = dmin + 0.75, farSquared = far * far
    for a in 0..<n {
        for b in (a + 1)..<max(a + 1, n) {
            let dx = p[2 * a] - p[2 * b], dy = p[2 * a + 1] - p[2 * b + 1]
            let squared = dx * dx + dy * dy
            // Beyond this distance the penetration underflows to exactly 0 (see particlePenetration).
            if squared > farSquared { continue }
            let d = squared.squareRoot()
            let pen = particlePenetration(gap: d - dmin)
            guard pen != 0, d > 0 else { continue }
            let fx = 100 * dx / d * pen, fy = 100 * dy / d * pen
            f[2 * a] = fx + f[2 * a]
            f[2 * a + 1] = fy + f[2 * a + 1]
            f[2 * b] = -fx + f[2 * b]
            f[2 * b + 1] = -fy + f[2 * b + 1]
        }
    }
    for i in 0..<(2 * n) {
        p[i] += v[i] * 0.1
        v[i] = v[i] * 0.75
        v[i] += f[i] * 0.1
    }
}

/// Distance between point `i` of `a` and point `j` of `b` (numpy's `sqrt(sum(square(a − b)))`).
@inlinable @inline(__always)
public func particleDistance(_ a: UnsafePointer<Double>, _ i: Int, _ b: UnsafePointer<Double>, _ j: Int) -> Double {
    let dx = a[2 * i] - b[2 * j], dy = a[2 * i + 1] - b[2 * j + 1]
    return (dx * dx + dy * dy).squareRoot()
}

/// Whether every landmark has some agent closer than `radius` (MPE2 `is_terminal`, radius 0.1).
@inlinable
public func particleLandmarksCovered(_ p: UnsafePointer<Double>, agents n: Int, _ l: UnsafePointer<Double>, landmarks: Int,
                                     radius: Double = 0.1) -> Bool {
    for k in 0..<landmarks {
        var best = Double.infinity
        for i in 0..<n { best = min(best, particleDistance(p, i, l, k)) }
        if best >= radius { return false }
    }
    return true
}
