extension TaskRegistry {
    /// The grid worlds: the generic family, the two-task chain, Simple and Windy Grid, Sutton &
    /// Barto's 4×4, and Frozen Lake; the 10×10 multi-task sets are in `grid-world.json`.
    public static var gridWorldTasks: [any RegisteredTask] {
        [
            Task<GridWorldVector>(
                "grid-world-v1", summary: "Move on a text map to a goal, avoiding obstacles; +1 goal, −1 obstacle.",
                source: "paper 001 (DCPG) §5.1", tags: ["grid", "tabular", "discrete", "deterministic"]),
            Task<SerialVector<TwoTaskChain>>(
                "grid-world/two-task-chain-v1", summary: "The five-state chain of DCPG Fig. 1; task 1 and task 2 swap L and R in S2 and S4.",
                source: "paper 001 (DCPG) §2.2 and Fig. 1", tags: ["grid", "tabular", "discrete", "deterministic"],
                presets: [("task-1", .chain(task: 1)), ("task-2", .chain(task: 2)),
                          ("stochastic-task-1", .chain(task: 1, stochastic: true)), ("stochastic-task-2", .chain(task: 2, stochastic: true))]),
            Task<GridWorldVector>(
                "grid-world/simple-5x5-v1", summary: "Simple Grid: 5×5, top left to bottom right, −1 per step, five actions.",
                source: "paper 003 (Gunn) §3.3.2", tags: ["grid", "tabular", "discrete", "deterministic"], parameters: .simple5x5),
            Task<GridWorldVector>(
                "grid-world/windy-5x5-v1", summary: "Windy Grid: Simple Grid with independent 30 % pushes up and left.",
                source: "paper 003 (Gunn) §4.6", tags: ["grid", "tabular", "discrete"], parameters: .windy5x5),
            Task<GridWorldVector>(
                "grid-world/sutton-barto-4x4-v1", summary: "Sutton & Barto's 4×4 grid: two terminal corners, −1 per step.",
                source: "Sutton & Barto (2018), Example 4.1", tags: ["grid", "tabular", "discrete"], parameters: .suttonBarto4x4),
            Task<GridWorldVector>(
                "frozen-lake/4x4-v1", summary: "Gymnasium's slippery 4×4 Frozen Lake: reach the goal without falling in a hole.",
                source: "Gymnasium 1.4.0 FrozenLake-v1, map 4x4", tags: ["grid", "tabular", "discrete"], parameters: .frozenLake4x4),
            Task<GridWorldVector>(
                "frozen-lake/5x5-v1", summary: "A slippery 5×5 Frozen Lake with Gymnasium's rules.",
                source: "paper 003 (Gunn) §3.3.2; map from Gymnasium 1.4.0 generate_random_map(size=5, p=0.8, seed=0)",
                tags: ["grid", "tabular", "discrete"], parameters: .frozenLake5x5),
        ]
    }
}

extension TwoTaskChain.Parameters {
    /// Task 1 or 2 of DCPG Fig. 1, deterministic or with the stochastic S2/S4 rule (p = 0.75).
    public static func chain(task: Int, stochastic: Bool = false) -> Self {
        var p = Self()
        p.task = task
        p.dynamics = stochastic ? "stochastic" : "deterministic"
        return p
    }
}
