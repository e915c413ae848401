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
    // Plain counted loops with wrapping index arithmetic (n is a small positive agent count):
    // no range checks or library calls in the per-copy path.
    var i = 0
    while i < n { r[i] = 0; i &+= 1 }
    var a = 0
    while a < n {
        let ax = p[2 &* a], ay = p[2 &* a &+ 1]
        var b = a &+ 1
        while b < n {
            let dx = ax - p[2 &* b], dy = ay - p[2 &* b &+ 1]
            let squared = dx * dx + dy * dy
            let hit = squared < inside || (squared <= outside && squared.squareRoot() < dmin)
            let one = hit ? 1.0 : 0.0
            r[a] += one
            r[b] += one
            b &+= 1
        }
        a &+= 1
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
        let landmarks = k.landmarks
        var m = 0
        while m < landmarks {
            let lx = l[2 &* m], ly = l[2 &* m &+ 1]
            var best = Double.infinity
            var j = 0
            while j < n {
                let dx = p[2 &* j] - lx, dy = p[2 &* j &+ 1] - ly
                best = min(best, dx * dx + dy * dy)
                j &+= 1
            }
            let d = best.squareRoot()
            g -= d
            if d >= 0.1 { covered = false }
            m &+= 1
        }
        let globalPart = g * (1 - k.localRatio)
        let w = k.collisionPenalty, ratio = k.localRatio
        var j = 0
        while j < n {
            let local = -(w * r[j])
            r[j] = c[j] * (globalPart + local * ratio)
            j &+= 1
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
    let xi = p[2 &* i], yi = p[2 &* i &+ 1]
    o[0] = Float(v[2 &* i])
    o[1] = Float(v[2 &* i &+ 1])
    o[2] = Float(xi)
    o[3] = Float(yi)
    // The landmarks' relative positions, written through a moving pointer (the counts are
    // read once: the stores through `o` could otherwise alias them).
    let landmarks = k.landmarks, agents = k.agents
    var out = o + 4, m = 0
    while m < landmarks {
        out[0] = Float(l[2 &* m] - xi)
        out[1] = Float(l[2 &* m &+ 1] - yi)
        out += 2
        m &+= 1
    }
    // The other agents' relative positions, and 2(N−1) floats later their communication
    // (silent agents: zeros, stored alongside rather than by a memset call per row).
    let comm = 2 &* (agents &- 1)
    var j = 0
    while j < agents {
        if j != i {
            out[0] = Float(p[2 &* j] - xi)
            out[1] = Float(p[2 &* j &+ 1] - yi)
            out[comm] = 0
            out[comm &+ 1] = 0
            out += 2
        }
        j &+= 1
    }
}

/// Writes the global state `[x, y, vx, vy]` of every agent, then `[x, y]` of every landmark.
@inlinable @inline(__always)
public func simpleSpreadState(_ k: SimpleSpreadConstants, p: UnsafePointer<Double>, v: UnsafePointer<Double>,
                              l: UnsafePointer<Double>, into s: UnsafeMutablePointer<Float>) {
    let agents = k.agents, landmarks = k.landmarks
    var out = s, i = 0
    while i < agents {
        out[0] = Float(p[2 &* i])
        out[1] = Float(p[2 &* i &+ 1])
        out[2] = Float(v[2 &* i])
        out[3] = Float(v[2 &* i &+ 1])
        out += 4
        i &+= 1
    }
    var m = 0
    while m < landmarks {
        out[0] = Float(l[2 &* m])
        out[1] = Float(l[2 &* m &+ 1])
        out += 2
        m &+= 1
    }
}
