extension MixingMatrix {
    /// Whether every column also sums to 1 (within `tolerance`), i.e. W is doubly
    /// stochastic (paper 000 eq. 6; paper 001 Assumption 1). Doubly stochastic mixing
    /// preserves the network average of the agents' values.
    public func isDoublyStochastic(tolerance: Double = 1e-6) -> Bool {
        var columns = exactSelfWeights
        for k in 0..<agentCount { for (i, l) in sources[k].enumerated() { columns[l] += exactSourceWeights[k][i] } }
        return columns.allSatisfy { abs($0 - 1) <= tolerance }
    }

    /// Whether W equals its transpose within `tolerance` (every positive entry is compared
    /// with its mirror; O(links · log degree)).
    public func isSymmetric(tolerance: Double = 1e-12) -> Bool {
        for k in 0..<agentCount {
            for (i, l) in sources[k].enumerated() where abs(exactSourceWeights[k][i] - self[l, k]) > tolerance { return false }
        }
        return true
    }

    /// Whether W is primitive: some power of W has all entries positive. For a
    /// non-negative matrix that holds exactly when the directed graph of its positive
    /// entries is strongly connected and aperiodic (period 1). A positive diagonal
    /// entry (paper 000 eq. 7, trace > 0) is a sufficient condition for aperiodicity.
    public var isPrimitive: Bool {
        isIrreducible && period == 1
    }

    /// Whether the directed graph of positive entries is strongly connected.
    public var isIrreducible: Bool {
        let n = agentCount
        func reach(_ next: (Int) -> [Int]) -> Bool {
            var seen = [Bool](repeating: false, count: n)
            var stack = [0]
            seen[0] = true
            var count = 1
            while let v = stack.popLast() {
                for w in next(v) where !seen[w] {
                    seen[w] = true
                    count += 1
                    stack.append(w)
                }
            }
            return count == n
        }
        return reach { self.sources[$0] } && reach { self.destinations[$0] }
    }

    /// The period of the directed graph of positive entries (edge k → l when
    /// W[k, l] > 0): the gcd of `level(u) + 1 − level(v)` over all edges u → v, with
    /// breadth-first levels from agent 0. Meaningful when irreducible.
    public var period: Int {
        let n = agentCount
        var level = [Int](repeating: -1, count: n)
        level[0] = 0
        var queue = [0]
        var head = 0
        while head < queue.count {
            let v = queue[head]
            head += 1
            for w in successors(v) where level[w] < 0 {
                level[w] = level[v] + 1
                queue.append(w)
            }
        }
        var g = 0
        for u in 0..<n where level[u] >= 0 {
            for v in successors(u) where level[v] >= 0 {
                g = gcd(g, abs(level[u] + 1 - level[v]))
            }
        }
        return g == 0 ? 1 : g
    }

    private func successors(_ k: Int) -> [Int] {
        selfWeights[k] > 0 ? sources[k] + [k] : sources[k]
    }
}

private func gcd(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a
}
