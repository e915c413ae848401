extension Graph {
    /// The ring (cycle) 0 – 1 – … – (N−1) – 0. With two agents it is a single edge.
    public static func ring(agents n: Int) throws -> Graph {
        try requireAgents(n)
        if n < 2 { return try Graph(agentCount: n, edges: []) }
        return try Graph(agentCount: n, edges: (0..<n).map { ($0, ($0 + 1) % n) })
    }

    /// Every pair of agents adjacent.
    public static func complete(agents n: Int) throws -> Graph {
        try requireAgents(n)
        var edges: [(Int, Int)] = []
        for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { edges.append((i, j)) } }
        return try Graph(agentCount: n, edges: edges)
    }

    /// Agent 0 is the hub, adjacent to every other agent; leaves are not adjacent.
    public static func star(agents n: Int) throws -> Graph {
        try requireAgents(n)
        return try Graph(agentCount: n, edges: (1..<max(n, 1)).map { (0, $0) })
    }

    /// A `rows × columns` lattice, agent `r * columns + c` at row r and column c,
    /// adjacent to its up, down, left and right neighbours (no wrap-around).
    public static func grid(rows: Int, columns: Int) throws -> Graph {
        try requireAgents(rows * columns)
        var edges: [(Int, Int)] = []
        for r in 0..<rows {
            for c in 0..<columns {
                let v = r * columns + c
                if c + 1 < columns { edges.append((v, v + 1)) }
                if r + 1 < rows { edges.append((v, v + columns)) }
            }
        }
        return try Graph(agentCount: rows * columns, edges: edges)
    }

    /// The most square grid shape for `n` agents: `rows` is the largest divisor of `n`
    /// not above √n (a prime `n` gives a 1 × n path).
    public static func gridShape(agents n: Int) -> (rows: Int, columns: Int) {
        var rows = 1
        var d = 1
        while d * d <= n {
            if n % d == 0 { rows = d }
            d += 1
        }
        return (rows, n / max(rows, 1))
    }

    /// A k-regular circulant graph: agent i is adjacent to i ± 1, …, i ± ⌊k/2⌋ (mod N)
    /// and, when k is odd, to i + N/2. Deterministic; connected whenever k ≥ 2.
    /// - Throws: ``CommunicationError/impossibleDegree(topology:agents:degree:reason:)``
    ///   unless 0 ≤ k < N and N·k is even (the handshake lemma).
    public static func regular(agents n: Int, degree k: Int) throws -> Graph {
        try requireAgents(n)
        if k < 0 || k >= n {
            throw CommunicationError.impossibleDegree(
                topology: "k-regular", agents: n, degree: Double(k),
                reason: "the degree must lie in 0 ... \(n - 1) (each agent has at most N − 1 neighbours)")
        }
        if (n * k) % 2 != 0 {
            throw CommunicationError.impossibleDegree(
                topology: "k-regular", agents: n, degree: Double(k),
                reason: "N × k must be even because every edge has two ends")
        }
        var edges: [(Int, Int)] = []
        for i in 0..<n {
            for o in stride(from: 1, through: k / 2, by: 1) { edges.append((i, (i + o) % n)) }
            if k % 2 == 1 { edges.append((i, (i + n / 2) % n)) }
        }
        return try Graph(agentCount: n, edges: edges)
    }

    /// A random connected graph with a target average degree (paper 000 §VI-A uses
    /// N = 25 and an average degree of about 4.2).
    ///
    /// A uniformly random recursive tree (each agent, in a random order, attaches to a
    /// random earlier one) guarantees connectivity; then distinct random non-edges are
    /// added until the edge count is `round(averageDegree · N / 2)`. The degree counts
    /// neighbours only; paper 000 counts neighbourhoods `N_k` that include the agent
    /// itself, so its 4.2 may correspond to 3.2 here — pass what you mean.
    /// - Throws: ``CommunicationError/impossibleDegree(topology:agents:degree:reason:)``
    ///   when the target is below a tree's 2(N−1)/N or above N − 1.
    public static func randomConnected(agents n: Int, averageDegree d: Double, seed: UInt64) throws -> Graph {
        try requireAgents(n)
        let maxEdges = n * (n - 1) / 2
        // Checked in Double first: an infinite, NaN or huge degree has no Int edge count.
        let targetValue = (d * Double(n) / 2).rounded()
        let inRange = d.isFinite && d <= Double(n - 1) + 1e-9 && targetValue >= Double(n - 1) && targetValue <= Double(maxEdges)
        let target = inRange ? Int(targetValue) : 0
        guard inRange, target >= n - 1, target <= maxEdges else {
            let lo = 2.0 * Double(n - 1) / Double(n)
            throw CommunicationError.impossibleDegree(
                topology: "random connected", agents: n, degree: d,
                reason: "a connected graph on N agents has an average degree between \(formatNumber((lo * 1000).rounded() / 1000)) (a tree) and \(n - 1) (complete)")
        }
        var rng = SplitMix64(seed: seed, stream: 0x7261_6E64)  // "rand"
        var order = Array(0..<n)
        order.shuffle(using: &rng)
        var adjacent = Set<Int>()  // encoded i * n + j with i < j
        var edges: [(Int, Int)] = []
        func add(_ a: Int, _ b: Int) {
            let (i, j) = a < b ? (a, b) : (b, a)
            if adjacent.insert(i * n + j).inserted { edges.append((i, j)) }
        }
        for k in 1..<max(n, 1) { add(order[k], order[Int(rng.next() % UInt64(k))]) }
        var candidates: [Int] = []
        candidates.reserveCapacity(maxEdges - edges.count)
        for i in 0..<n { for j in (i + 1)..<max(n, i + 1) where !adjacent.contains(i * n + j) { candidates.append(i * n + j) } }
        let extra = target - edges.count
        for t in 0..<extra {
            let pick = t + Int(rng.next() % UInt64(candidates.count - t))
            candidates.swapAt(t, pick)
            add(candidates[t] / n, candidates[t] % n)
        }
        return try Graph(agentCount: n, edges: edges)
    }

    /// Erdős–Rényi G(N, p): each of the N(N−1)/2 pairs is an edge independently with
    /// probability `p`. Not necessarily connected.
    /// - Throws: ``CommunicationError/probabilityOutOfRange(name:value:)``.
    public static func erdosRenyi(agents n: Int, probability p: Double, seed: UInt64) throws -> Graph {
        try requireAgents(n)
        guard p >= 0, p <= 1 else { throw CommunicationError.probabilityOutOfRange(name: "edge probability", value: p) }
        var rng = SplitMix64(seed: seed, stream: 0x6572_646F)  // "erdo"
        var edges: [(Int, Int)] = []
        for i in 0..<n { for j in (i + 1)..<max(n, i + 1) where rng.nextUniform() < p { edges.append((i, j)) } }
        return try Graph(agentCount: n, edges: edges)
    }

    static func requireAgents(_ n: Int) throws {
        guard n >= 1 else {
            throw CommunicationError.invalidValue(name: "number of agents", value: Double(n), valid: "at least 1")
        }
    }
}
