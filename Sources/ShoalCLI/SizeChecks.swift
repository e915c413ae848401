import Envs

/// Memory estimates of the sizes users give the `comm` and `bench comm` commands, checked
/// against ``MemoryBudget`` before anything is built (the environment commands are checked by
/// `TaskRegistry.make`).
enum SizeChecks {
    /// Directed links a topology on `agents` agents has at most.
    static func links(topology: String, agents n: Int, degree: Double?, probability: Double?) -> Double {
        let nd = Double(n)
        switch topology.lowercased() {
        case "ring", "grid": return 4 * nd
        case "star": return 2 * nd
        case "regular", "k-regular", "random", "random-connected":
            let d = degree ?? 4.2
            return d.isFinite ? max(d, 2) * nd : .infinity
        case "erdos-renyi", "erdos_renyi", "er":
            if let p = probability { return p.isFinite ? max(p, 0) * nd * nd : .infinity }
            let d = degree ?? 4.2
            return d.isFinite ? max(d, 0) * nd : .infinity
        default: return nd * nd  // complete, and anything unknown (an error later)
        }
    }

    /// `shoal comm graph`: the graph and its weights (about 100 bytes a link, 400 bytes an
    /// agent), a random graph's candidate list (N²/2 words), and with `--json` the N × N matrix
    /// as text (about 24 bytes an entry).
    static func checkGraph(topology: String, agents n: Int, degree: Double?, probability: Double?, json: Bool) throws {
        let nd = Double(n)
        var bytes = 100 * links(topology: topology, agents: n, degree: degree, probability: probability) + 400 * nd
        if ["random", "random-connected"].contains(topology.lowercased()) { bytes += 4 * nd * nd }
        if json { bytes += 24 * nd * nd }
        try MemoryBudget.standard.check(bytes, for: "--agents \(n) with --topology \(topology)\(json ? " and --json" : "")")
    }

    /// `shoal bench comm`: the agents' rows, the strategy's buffers and the outputs (four copies
    /// of N × P floats) besides the graph and three 64 MiB bandwidth arrays.
    static func checkBenchComm(topology: String, agents n: Int, degree: Double?, parameters p: Int) throws {
        let bytes = 16 * Double(n) * Double(p) + 100 * links(topology: topology, agents: n, degree: degree, probability: nil)
            + 400 * Double(n) + 3 * 67_108_864
        try MemoryBudget.standard.check(bytes, for: "--agents \(n) × --parameters \(p)")
    }
}
