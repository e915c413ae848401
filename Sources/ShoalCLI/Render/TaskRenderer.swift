import Envs

/// What `shoal envs render` was asked to draw.
struct RenderRequest {
    var registry: TaskRegistry
    var task: any RegisteredTask
    /// The task's parameters with the variant and `--param` overrides applied (a JSON object).
    var parameters: JSONValue
    var variant: String?
    /// `--policy`: `random`, `zero`, or a file (family-specific format), if given.
    var policy: String?
    /// `--optimal`: draw the optimal path (tabular tasks).
    var optimal: Bool
    /// `--camera FILE`: also write the first-person camera image (navigation).
    var camera: String?
    /// `--state V,V,…`: the start state, in the task's documented order (particle tasks).
    var state: String? = nil
    var steps: Int
    var seed: UInt64
    /// `--out FILE.svg`.
    var out: String
}

/// A family's drawing for `shoal envs render`: one type per family, listed in ``taskRenderers``.
protocol TaskRenderer {
    /// Whether this renderer draws the task.
    static func canRender(_ id: TaskID) -> Bool
    /// Writes the picture(s); throws a ``CLIError`` with one clear sentence on bad input.
    static func render(_ request: RenderRequest) throws
}

/// Every renderer, one line each.
let taskRenderers: [any TaskRenderer.Type] = [
    ClassicControlRenderer.self,
    GridWorldRenderer.self,
    LocomotionRenderer.self,
    NavigationRenderer.self,
    ParticleRenderer.self,
]
