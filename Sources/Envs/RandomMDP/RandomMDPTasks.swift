extension TaskRegistry {
    /// The random MDPs of paper 004 §V: joint actions, and each agent choosing its own.
    public static var randomMDPTasks: [any RegisteredTask] {
        [
            Task<SerialVector<RandomMDP>>(
                "random-mdp-v1", summary: "A random 100-state MDP acted on jointly by 4 agents with 3 actions each.",
                source: "paper 004 (Li and Jia), §V", tags: ["tabular", "discrete", "multi-agent"]),
            MultiAgentTask<MultiAgentSerialVector<RandomMDPLocalActions>>(
                "random-mdp/local-actions-v1",
                summary: "The random 100-state MDP with each of 4 agents choosing its own action; shared reward.",
                source: "paper 004 (Li and Jia), §V", tags: ["tabular", "discrete", "multi-agent"]),
        ]
    }
}
