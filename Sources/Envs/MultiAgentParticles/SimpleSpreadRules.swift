// The rewards and observations of `mpe/simple-spread-v1` (see ``SimpleSpread``), as pure
// functions of one copy's positions `p`, velocities `v` and landmark positions `l`.

/// Writes every agent's reward of the step just taken (positions after the step) into `r` and
/// returns whether the episode terminates on success (only with `terminateOnSuccess`).
///
/// `spread` (MPE2 `simple_env`): `c_i·(G·(1 − local_ratio) + (−w·collisions_i)·local_ratio)`,
/// in MPE2's order of operations; `assigned-loss` (paper 002): `−c_i·(|p_i − p_{L(i)}| + w·collisions_i)`.
@inlinable @inline(__always)
public func simpleSpreadRewards(_ k: SimpleSpreadConstants, p: UnsafePointer<Double>, l: UnsafePointer<Double>,
                                scales c: UnsafePointer<Double>, into r: UnsafeMutablePointer<Double>) -> Bool {
    let n = k.agents, dmin = k.size + k.size
    // Collisions first, counted in `r` (each pair once; MPE2 measures both directions, which
    // square to the same numbers). MPE2 compares the distance; its square decides alike except
    // within rounding of the threshold, where the square root is taken.
    let inside = dmin * dmin * (1 - 1e-9), outside = dmin * dmin * (1 + 1e-9)
    for i in 0..<n { r[i] = 0 }
    for a in 0..<n {
        for b in (a + 1)..<max(a + 1, n) {
            let dx = p[2 * a] - p[2 * b], dy = p[2 * a + 1] - p[2 * b + 1]
            let squared = dx * dx + dy * dy
            let hit = squared < inside || (squared <= outside && squared.squareRoot() < dmin)
            let one = hit ? 1.0 : 0.0
            r[a] += one
            r[b] += one
        }
    }
    var covered = k.terminateOnSuccess
    if k.assignedLoss {
        for i in 0..<n {
            r[i] = -(c[i] * (particleDistance(p, i, l, i % k.landmarks) + k.collisionPenalty * r[i]))
        }
        if covered { covered = particleLandmarksCovered(p, agents: n, l, landmarks: k.landmarks) }
    } else {
        // G = −Σ_L min_i |p_i − p_L|; `sqrt` is correctly rounded and monotone, so the square root
        // of the least squared distance is exactly the least of MPE2's distances.
        var g = 0.0
        for m in 0..<k.landmarks {
            var best = Double.infinity
            for i in 0..<n {
                let dx = p[2 * i] - l[2 * m], dy = p[2 * i + 1] - l[2 * m + 1]
                best = min(best, dx * dx + dy * dy)
            }
            let d = best.squareRoot()
            g -= d
            if d >= 0.1 { covered = false }
        }
        let globalPart = g * (1 - k.localRatio)
        for i in 0..<n {
            let local = -(k.collisionPenalty * r[i])
            r[i] = c[i] * (globalPart + local * k.localRatio)
        }
    }
    return covered
}

/// Writes agent `i`'s observation (``SimpleSpread``'s `local` layout, or the global state).
@inlinable @inline(__always)
public func simpleSpreadObserve(_ k: SimpleSpreadConstants, agent i: Int, p: UnsafePointer<Double>, v: UnsafePointer<Double>,
                                l: UnsafePointer<Double>, into o: UnsafeMutablePointer<Float>) {
    if k.globalObservation {
        simpleSpreadState(k, p: p, v: v, l: l, into: o)
        return
    }
    let xi = p[2 * i], yi = p[2 * i + 1]
    o[0] = Float(v[2 * i])
    o[1] = Float(v[2 * i + 1])
    o[2] = Float(xi)
    o[3] = Float(yi)
    var w = 4, m = 0
    while m < k.landmarks {
        o[w] = Float(l[2 * m] - xi)
        o[w + 1] = Float(l[2 * m + 1] - yi)
        w += 2
        m += 1
    }
    // The other agents' relative positions, and 2(N−1) floats later their communication
    // (silent agents: zeros, stored alongside rather than by a memset call per row).
    let comm = 2 * (k.agents - 1)
    var j = 0
    while j < k.agents {
        if j != i {
            o[w] = Float(p[2 * j] - xi)
            o[w + 1] = Float(p[2 * j + 1] - yi)
            o[w + comm] = 0
            o[w + comm + 1] = 0
            w += 2
        }
        j += 1
    }
}

/// Writes the global state `[x, y, vx, vy]` of every agent, then `[x, y]` of every landmark.
@inlinable @inline(__always)
public func simpleSpreadState(_ k: SimpleSpreadConstants, p: UnsafePointer<Double>, v: UnsafePointer<Double>,
                              l: UnsafePointer<Double>, into s: UnsafeMutablePointer<Float>) {
    for i in 0..<k.agents {
        s[4 * i] = Float(p[2 * i])
        s[4 * i + 1] = Float(p[2 * i + 1])
        s[4 * i + 2] = Float(v[2 * i])
        s[4 * i + 3] = Float(v[2 * i + 1])
    }
    let base = 4 * k.agents
    for m in 0..<k.landmarks {
        s[base + 2 * m] = Float(l[2 * m])
        s[base + 2 * m + 1] = Float(l[2 * m + 1])
    }
}
