extension TaskRegistry {
    /// The classic-control tasks: pendulum, cart-pole (balance, continuous force, swing-up), acrobot.
    public static var classicControlTasks: [any RegisteredTask] {
        [
            Task<PendulumBatch>(
                "pendulum-v1", summary: "Swing a pendulum up and hold it upright with bounded torque.",
                source: "Gymnasium Pendulum-v1; task set after paper 000, appendix A.1", tags: ["classic", "continuous"]),
            Task<CartPoleBatch>(
                "cart-pole-v1", summary: "Balance a pole on a cart pushed left or right.",
                source: "Gymnasium CartPole-v1", tags: ["classic", "discrete"]),
            Task<ContinuousCartPoleVector>(
                "cart-pole/continuous-v1", summary: "Balance a pole on a cart with a real-valued force in [−10, 10] N.",
                source: "paper 000, appendix A.2 (CartPole-v1 dynamics, 200 steps)", tags: ["classic", "continuous"],
                parameters: .continuousDefaults),
            Task<CartPoleSwingUpVector>(
                "cart-pole/swing-up-v1", summary: "Swing a hanging pole up by moving the cart, then balance it.",
                source: "paper 000, §VI-A and appendix A.1; Shoal design §6", tags: ["classic", "continuous"],
                parameters: .swingUpDefaults),
            Task<AcrobotBatch>(
                "acrobot-v1", summary: "Swing the tip of a two-link arm above a line by torquing the elbow.",
                source: "Gymnasium Acrobot-v1 (book dynamics, RK4); task sets after Packer et al. (2018) and paper 000, appendix A.3",
                tags: ["classic", "discrete"]),
        ]
    }
}
