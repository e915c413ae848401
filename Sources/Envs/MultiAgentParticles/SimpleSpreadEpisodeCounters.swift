/// The per-episode counters of `mpe/simple-spread-v1` (after MPE's `benchmark_data` for
/// simple spread), computed from the global state:
///
/// - `env/collisions`: the number of colliding pairs of agents (centres closer than 2·`agent_size`,
///   the environment's collision rule) summed over the episode's steps (a pair that stays in
///   contact for 3 steps counts 3);
/// - `env/landmarks_covered`: at the episode's last state, the number of landmarks with some agent
///   closer than 0.1 (MPE's occupied-landmark threshold, also `terminate_on_success`'s).
extension SimpleSpreadBatch: MultiAgentEpisodeCounting {
    public var episodeCounterNames: [String] { ["env/collisions", "env/landmarks_covered"] }

    public func accumulateEpisodeCounters(row: Int, state s: UnsafeBufferPointer<Float>, last: Bool, into totals: UnsafeMutablePointer<Double>) {
        let k = constants[row * parameterStride]
        totals[0] += Double(simpleSpreadCollidingPairs(state: s, agents: agents, size: k.size))
        if last { totals[1] += Double(simpleSpreadCoveredLandmarks(state: s, agents: agents, landmarks: landmarks, within: 0.1)) }
    }
}

/// Pairs of agents of a simple-spread state (``SimpleSpread``'s layout) closer than 2·`size`.
public func simpleSpreadCollidingPairs(state s: UnsafeBufferPointer<Float>, agents n: Int, size: Double) -> Int {
    var pairs = 0
    let dmin = 2 * size
    for a in 0..<n {
        for b in (a + 1)..<max(a + 1, n) {
            let dx = Double(s[4 * a]) - Double(s[4 * b]), dy = Double(s[4 * a + 1]) - Double(s[4 * b + 1])
            if (dx * dx + dy * dy).squareRoot() < dmin { pairs += 1 }
        }
    }
    return pairs
}

/// Landmarks of a simple-spread state with some agent closer than `radius`.
public func simpleSpreadCoveredLandmarks(state s: UnsafeBufferPointer<Float>, agents n: Int, landmarks: Int, within radius: Double) -> Int {
    var covered = 0
    for m in 0..<landmarks {
        let lx = Double(s[4 * n + 2 * m]), ly = Double(s[4 * n + 2 * m + 1])
        for i in 0..<n {
            let dx = Double(s[4 * i]) - lx, dy = Double(s[4 * i + 1]) - ly
            if (dx * dx + dy * dy).squareRoot() < radius { covered += 1; break }
        }
    }
    return covered
}
