/// One sample u = (s_{t−1}, a_t, r_t, s_t) of an episode on a finite task (paper 003 §2.4.1).
public struct Transition: Sendable, Equatable {
    public var state: Int
    public var action: Int
    public var reward: Double
    public var next: Int
    /// s_t ended the episode by termination (its value is 0); a truncated step is not terminal.
    public var terminal: Bool

    public init(state: Int, action: Int, reward: Double, next: Int, terminal: Bool) {
        self.state = state
        self.action = action
        self.reward = reward
        self.next = next
        self.terminal = terminal
    }
}
