// Pure 2D geometry for the indoor maps: rays against segments and circles, distances, polygons.
// Every function is a leaf with a golden test on hand-computed values (NavigationGeometryTests).

/// Distance `t ≥ 0` along the ray `o + t·d` to the segment `a–b`, or `.infinity` if it misses.
///
/// Solves `o + t·d = a + s·(b − a)` for `t ≥ 0`, `s ∈ [0, 1]` (2×2 Cramer's rule); a ray parallel
/// to the segment misses. `d` need not be a unit vector (`t` is then in units of `|d|`).
@inlinable @inline(__always)
public func raySegmentDistance(ox: Double, oy: Double, dx: Double, dy: Double,
                               ax: Double, ay: Double, bx: Double, by: Double) -> Double {
    let ex = bx - ax, ey = by - ay
    let denom = dx * ey - dy * ex
    if denom == 0 { return .infinity }
    let wx = ax - ox, wy = ay - oy
    let t = (wx * ey - wy * ex) / denom
    let s = (wx * dy - wy * dx) / denom
    return (t >= 0 && s >= 0 && s <= 1) ? t : .infinity
}

/// Distance `t ≥ 0` along the ray `o + t·d` (|d| = 1) to the circle of centre `c` and radius `r`,
/// or `.infinity`. A ray starting inside the circle hits at `t = 0`.
@inlinable @inline(__always)
public func rayCircleDistance(ox: Double, oy: Double, dx: Double, dy: Double,
                              cx: Double, cy: Double, r: Double) -> Double {
    let fx = ox - cx, fy = oy - cy
    let c = fx * fx + fy * fy - r * r
    if c <= 0 { return 0 }
    let b = fx * dx + fy * dy
    if b >= 0 { return .infinity }
    let disc = b * b - c
    if disc < 0 { return .infinity }
    return -b - disc.squareRoot()
}

/// Squared distance from point `p` to the segment `a–b`.
@inlinable @inline(__always)
public func pointSegmentDistanceSquared(px: Double, py: Double, ax: Double, ay: Double, bx: Double, by: Double) -> Double {
    let ex = bx - ax, ey = by - ay
    let len2 = ex * ex + ey * ey
    var s = len2 > 0 ? ((px - ax) * ex + (py - ay) * ey) / len2 : 0
    s = min(max(s, 0), 1)
    let qx = ax + s * ex - px, qy = ay + s * ey - py
    return qx * qx + qy * qy
}

/// Whether `(x, y)` lies inside the polygon (even–odd rule; vertices in order, implicitly closed).
public func pointInPolygon(x: Double, y: Double, _ polygon: [(x: Double, y: Double)]) -> Bool {
    var inside = false
    var j = polygon.count - 1
    for i in polygon.indices {
        let a = polygon[i], b = polygon[j]
        if (a.y > y) != (b.y > y) {
            let xCross = a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y)
            if x < xCross { inside.toggle() }
        }
        j = i
    }
    return inside
}
