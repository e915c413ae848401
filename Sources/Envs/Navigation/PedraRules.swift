// PEDRA's action grid and depth-region reward as pure functions (Anwar & Raychowdhury 2020;
// aqeelanwar/PEDRA 2.0 `network/agent.py` and `configs/config.cfg`, as recorded in the Shoal
// environment spec §8). Golden tests: NavigationRulesTests.

/// The (yaw, pitch) change in radians of PEDRA's discrete action `index` in `0..<25`:
/// `v = index / 5`, `h = index % 5`, `pitch = pitchSpan/5·(v − 2)`, `yaw = yawSpan/5·(h − 2)`.
/// PEDRA 2.0 uses `yawSpan = 80°/1.5` and `pitchSpan = 45°/1.5`, so yaw ∈ {0, ±10.7°, ±21.3°},
/// pitch ∈ {0, ±6°, ±12°}. Positive yaw turns left (counter-clockwise), positive pitch climbs.
@inline(__always)
public func pedraActionAngles(_ index: Int, yawSpan: Double, pitchSpan: Double) -> (yaw: Double, pitch: Double) {
    let v = index / 5, h = index % 5
    return (yawSpan / 5 * Double(h - 2), pitchSpan / 5 * Double(v - 2))
}

/// The rows and the left, centre and right columns of PEDRA's depth regions (`avg_depth`) for an
/// `height × width` image whose mean normalised depth is `meanDepth`:
/// `n = max(g·50/3, 1)`, window `(H/n, W/n)`, top row `h = max(⌊0.9·H·(n−1)/(2n)⌋, 0)`, centre-left
/// column `w = max(⌊W·(n−1)/(2n)⌋, 0)`; window ends rounded half-to-even as Python's `round`, and
/// clamped to the image. Nearer walls give a smaller `n`, so a wider window.

public func pedraRegionBounds(meanDepth g: Double, height: Int, width: Int)
    -> (rows: Range<Int>, left: Range<Int>, centre: Range<Int>, right: Range<Int>) {
    let H = Double(height), W = Double(width)
    let n = max(g * 50 / 3, 1)
    let gh = H / n, gw = W / n
    let h = max(Int(0.9 * H * (n - 1) / (2 * n)), 0)
    let w = max(Int(W * (n - 1) / (2 * n)), 0)
    let rowEnd = min(Int((Double(h) + gh).rounded(.toNearestOrEven)), height)
    let centreEnd = min(Int((Double(w) + gw).rounded(.toNearestOrEven)), width)
    let leftStart = max(Int((Double(w) - gw).rounded(.toNearestOrEven)), 0)
    let rightEnd = min(Int((Double(w) + 2 * gw).rounded(.toNearestOrEven)), width)
    return (min(h, rowEnd)..<rowEnd, min(leftStart, w)..<w, min(w, centreEnd)..<centreEnd, min(centreEnd, rightEnd)..<rightEnd)
}

/// How many of a region's `count` pixels PEDRA averages: the smallest 5 %,
/// `round(0.05·count)` (half-to-even), at least one (PEDRA's mean of an empty slice is NaN).
@inline(__always)
public func pedraSmallestCount(_ count: Int) -> Int {
    max(1, Int((0.05 * Double(count)).rounded(.toNearestOrEven)))
}

/// Inserts `v` into the ascending list `buffer[0..<filled]` that keeps the `k` smallest values
/// seen so far (a larger value than all `k` is dropped). Allocates nothing.
@inline(__always)
public func keepSmallest(_ v: Float, _ buffer: UnsafeMutablePointer<Float>, filled: inout Int, k: Int) {
    var i: Int
    if filled < k {
        i = filled
        filled += 1
    } else {
        if !(v < buffer[k - 1]) { return }
        i = k - 1
    }
    while i > 0 && buffer[i - 1] > v {
        buffer[i] = buffer[i - 1]
        i -= 1
    }
    buffer[i] = v
}

/// PEDRA's region depth of a row-major `height × width` normalised depth image: the mean of the
/// smallest 5 % of the pixels in `rows × columns` (0 if they are all zero or the region is empty).
public func pedraRegionDepth(_ depth: [Float], width: Int, rows: Range<Int>, columns: Range<Int>) -> Float {
    let count = rows.count * columns.count
    guard count > 0 else { return 0 }
    let k = pedraSmallestCount(count)
    var buffer = [Float](repeating: 0, count: k)
    var filled = 0
    var anyNonZero = false
    buffer.withUnsafeMutableBufferPointer { b in
        for r in rows {
            for c in columns {
                let v = depth[r * width + c]
                if v != 0 { anyNonZero = true }
                keepSmallest(v, b.baseAddress!, filled: &filled, k: k)
            }
        }
    }
    guard anyNonZero else { return 0 }
    return buffer.reduce(0, +) / Float(k)
}

/// PEDRA's (left, centre, right) region depths of a row-major normalised depth image; the reward
/// is the centre value, and a centre below the crash threshold (0.07) is a crash.
public func pedraRegionDepths(_ depth: [Float], height: Int, width: Int) -> (left: Float, centre: Float, right: Float) {
    let g = Double(depth.reduce(0, +)) / Double(max(depth.count, 1))
    let b = pedraRegionBounds(meanDepth: g, height: height, width: width)
    return (pedraRegionDepth(depth, width: width, rows: b.rows, columns: b.left),
            pedraRegionDepth(depth, width: width, rows: b.rows, columns: b.centre),
            pedraRegionDepth(depth, width: width, rows: b.rows, columns: b.right))
}
