extension GridWorld.Parameters {
    /// `grid-world/simple-5x5-v1` — paper 003 §3.3.2 "Simple Grid": 5×5, start top left, goal
    /// bottom right, five actions (left, down, right, up, stay), −1 per step and 0 on the step
    /// that reaches the goal, which ends the episode.
    public static var simple5x5: Self {
        var p = Self()
        p.map = "simple-5x5"
        p.actions = 5
        p.goalReward = 0
        p.stepReward = -1
        return p
    }

    /// `grid-world/windy-5x5-v1` — paper 003 §4.6 "Windy Grid": Simple Grid with a 30 % push up
    /// and, independently, a 30 % push left after every move.
    public static var windy5x5: Self {
        var p = simple5x5
        p.windUp = 0.3
        p.windLeft = 0.3
        return p
    }

    /// `grid-world/sutton-barto-4x4-v1` — Sutton & Barto (2018) Example 4.1: two terminal
    /// corners, −1 on every transition (the last one included), four deterministic moves, start
    /// uniform over the 14 other cells; undiscounted in the book.
    public static var suttonBarto4x4: Self {
        var p = Self()
        p.map = "sutton-barto-4x4"
        p.goalReward = -1
        p.stepReward = -1
        return p
    }

    /// `frozen-lake/4x4-v1` — Gymnasium FrozenLake-v1, map "4x4" (`SFFF/FHFH/FFFH/HFFG`),
    /// slippery (intended move 1/3, each perpendicular move 1/3), reward 1 at the goal, holes end
    /// the episode with 0, 100 steps.
    public static var frozenLake4x4: Self {
        var p = Self()
        p.map = "frozen-lake-4x4"
        p.obstacleReward = 0
        p.slip = 2.0 / 3.0
        return p
    }

    /// `frozen-lake/5x5-v1` — a 5×5 Frozen Lake (paper 003 §3.3.2) with Gymnasium's rules and
    /// the map `generate_random_map(size=5, p=0.8, seed=0)` of Gymnasium 1.4.0 hard-coded
    /// (`SFFFH/HFFFH/HFHFF/FHFFF/FFFFG`).
    public static var frozenLake5x5: Self {
        var p = frozenLake4x4
        p.map = "frozen-lake-5x5"
        return p
    }
}
