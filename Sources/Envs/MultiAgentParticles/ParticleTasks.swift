extension TaskRegistry {
    /// The multi-agent particle tasks (MPE2).
    public static var particleTasks: [any RegisteredTask] {
        [
            MultiAgentTask<SimpleSpreadBatch>(
                "mpe/simple-spread-v1", summary: "Cooperative navigation: 3 agents cover 3 landmarks without colliding.",
                source: "MPE2 1.1.1 simple_spread_v3 (PettingZoo v3 physics); reward scales and loss form after paper 002, §5",
                tags: ["multi-agent", "discrete", "continuous"]),
        ]
    }
}
