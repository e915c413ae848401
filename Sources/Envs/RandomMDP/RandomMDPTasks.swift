extension TaskRegistry {
    /// The random MDPs of paper 004 §V.
    public static var randomMDPTasks: [any RegisteredTask] {
        [
            Task<SerialVector<RandomMDP>>(
                "random-mdp-v1", summary: "A random 100-state MDP acted on jointly by 4 agents with 3 actions each.",
                source: "paper 004 (Li and Jia), §V", tags: ["tabular", "discrete", "multi-agent"]),
        ]
    }
}
