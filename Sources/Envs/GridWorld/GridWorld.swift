/// `grid-world` — an agent moves between the cells of a text map towards goals, away from
/// obstacles, optionally slipping (Frozen Lake's rule) and pushed by wind.
///
/// **Source.** The grid worlds of paper 001 (DCPG) §5.1 and Fig. 2, paper 003 (Gunn) §3.3.2 and
/// §4.6 (Simple Grid, Windy Grid, Frozen Lake), Gymnasium 1.4.0 `toy_text/frozen_lake.py` (maps,
/// slip rule), Sutton & Barto Example 4.1. Named tasks: ``GridWorld/Parameters`` presets in
/// `GridWorld+Presets.swift`; 10×10 multi-task sets in `Environments/families/grid-world.json`.
///
/// **Action** `Discrete(4)` or `Discrete(5)`: 0 left, 1 down, 2 right, 3 up (Gymnasium's order,
/// cyclic so that slipping turns by ±1), 4 stay. A move into a wall or off the map leaves the
/// agent in place.
///
/// **Dynamics** With probability `slip` the move is replaced by one of the two perpendicular
/// moves (`slip/2` each; Frozen Lake: `slip = 2/3`, so 1/3 each way); "stay" never slips. Then
/// the wind pushes one more cell, independently per direction, up, down, left, right with
/// probabilities `wind_up`, `wind_down`, `wind_left`, `wind_right`, in that order (walls and
/// edges block a push). A move from a goal or obstacle that does not end the episode is a
/// normal move.
///
/// **Observation** by `observation`: `index` — `Discrete(rows·columns)`, the cell
/// `row·columns + column`; `one-hot` — `Box(0, 1, (rows·columns,))`; `row-col` — `[row, column]`.
///
/// **Reward** by the cell entered: `goal_reward` on a goal, `obstacle_reward` on an obstacle,
/// `step_reward` otherwise.
///
/// **Start** `start = map`: a uniform draw among the `S` cells; `top-left`, `top-right`,
/// `bottom-left`, `bottom-right`: that corner; `uniform`: every cell that is neither a wall,
/// a goal nor an obstacle.
///
/// **Termination** on entering a goal (if `goal_ends_episode`) or an obstacle (if
/// `obstacle_ends_episode`). **Truncation** at `max_episode_steps` (100; 0: none).
///
/// **Parameters** (defaults): map `simple-5x5`, actions 4, goal_reward 1, obstacle_reward −1,
/// step_reward 0, goal_ends_episode true, obstacle_ends_episode true, slip 0, wind_* 0,
/// start `map`, observation `index`, max_episode_steps 100. **State** `[cell]`.
///
/// **Exact model** ``Parameters/tabularModel()`` over cell indices (walls are unreachable
/// self-loops).
///
/// **Versions.** v1: first version.
public struct GridWorld: Environment, Sendable {
    public struct Parameters: TaskParameters, Hashable {
        public var map = "simple-5x5"
        public var actions = 4
        public var goalReward = 1.0
        public var obstacleReward = -1.0
        public var stepReward = 0.0
        public var goalEndsEpisode = true
        public var obstacleEndsEpisode = true
        public var slip = 0.0
        public var windUp = 0.0
        public var windDown = 0.0
        public var windLeft = 0.0
        public var windRight = 0.0
        public var start = "map"
        public var observation = "index"
        public var maxEpisodeSteps = 100

        public init() {}

        enum CodingKeys: String, CodingKey {
            case map, actions, slip, start, observation
            case goalReward = "goal_reward", obstacleReward = "obstacle_reward", stepReward = "step_reward"
            case goalEndsEpisode = "goal_ends_episode", obstacleEndsEpisode = "obstacle_ends_episode"
            case windUp = "wind_up", windDown = "wind_down", windLeft = "wind_left", windRight = "wind_right"
            case maxEpisodeSteps = "max_episode_steps"
        }

        public static let startModes = ["map", "top-left", "top-right", "bottom-left", "bottom-right", "uniform"]
        public static let observationModes = ["index", "one-hot", "row-col"]

        public static let fields: [ParameterField] = [
            ParameterField("map", .text(allowed: []), "name of a bundled map (Assets/maps/NAME.txt)"),
            ParameterField("actions", .integer(4...5), "4 moves (left, down, right, up) or 5 with stay"),
            ParameterField("goal_reward", .real(-1e6...1e6), "reward for entering a goal cell"),
            ParameterField("obstacle_reward", .real(-1e6...1e6), "reward for entering an obstacle or hole"),
            ParameterField("step_reward", .real(-1e6...1e6), "reward for entering any other cell"),
            ParameterField("goal_ends_episode", .boolean, "entering a goal terminates the episode"),
            ParameterField("obstacle_ends_episode", .boolean, "entering an obstacle terminates the episode"),
            ParameterField("slip", .real(0...1), "probability that a move turns to a perpendicular one (Frozen Lake: 2/3)"),
            ParameterField("wind_up", .real(0...1), "probability of an extra push up after each move"),
            ParameterField("wind_down", .real(0...1), "probability of an extra push down"),
            ParameterField("wind_left", .real(0...1), "probability of an extra push left"),
            ParameterField("wind_right", .real(0...1), "probability of an extra push right"),
            ParameterField("start", .text(allowed: startModes), "where episodes start"),
            ParameterField("observation", .text(allowed: observationModes), "cell index, one-hot cell, or [row, column]"),
            ParameterField("max_episode_steps", .integer(0...100_000_000), "steps before truncation (0: none)"),
        ]

        public func validationProblem() -> String? {
            do { _ = try GridMap.named(map) } catch { return error.description }
            return nil
        }
    }

    public let parameters: Parameters
    /// The compiled transition table (shared by every copy with the same parameters).
    public let dynamics: GridWorldDynamics
    /// The current cell index.
    public var cell: Int32 = 0

    public init(parameters: Parameters) throws(EnvironmentError) {
        self.parameters = parameters
        dynamics = try GridWorldDynamics.compiled(parameters)
        cell = dynamics.startCells[0]
    }

    public var observationSpace: Space { dynamics.observationSpace }
    public var actionSpace: Space { .discrete(parameters.actions) }
    public var maxEpisodeSteps: Int { parameters.maxEpisodeSteps }

    public mutating func reset(using g: inout RandomGenerator) {
        cell = dynamics.drawStart(&g)
    }

    @inline(__always)
    public mutating func step(_ action: UnsafeBufferPointer<Float>, using g: inout RandomGenerator) -> StepOutcome {
        let o = dynamics.table.sample(cell: Int(cell), action: Int(action[0]), &g)
        cell = o.next
        return StepOutcome(reward: Double(o.reward), terminated: o.ends)
    }

    @inline(__always)
    public func observe(into o: UnsafeMutableBufferPointer<Float>) {
        dynamics.table.observe(cell: cell, into: o.baseAddress!)
    }

    public static let stateNames = ["cell"]

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try validateState(values, names: Self.stateNames)
        let n = dynamics.map.cellCount
        guard values[0] == values[0].rounded(), values[0] >= 0, values[0] < Double(n) else {
            throw .invalidState("cell must be an integer cell index in 0…\(n - 1), got \(formatJSONNumber(values[0]))")
        }
        cell = Int32(values[0])
    }
}
