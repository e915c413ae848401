import Envs
import Foundation
import Testing
@testable import ShoalCLI

@Suite struct GridWorldRendererTests {
    /// Renders into `SHOAL_RENDER_DIR` (or a temporary folder) so the pictures can be looked at.
    func render(_ id: String, variant: String? = nil, optimal: Bool = false, policy: String? = nil) throws -> String {
        let registry = try TaskRegistry.standard
        let task = try registry.task(id)
        let assignment = try variant.map { try task.variant($0) } ?? .object([])
        let folder = ProcessInfo.processInfo.environment["SHOAL_RENDER_DIR"] ?? NSTemporaryDirectory()
        let name = id.replacingOccurrences(of: "/", with: "_") + (variant.map { "_" + $0 } ?? "") + (optimal ? "_optimal" : "") + ".svg"
        let out = (folder as NSString).appendingPathComponent(name)
        let request = RenderRequest(registry: registry, task: task, parameters: try task.resolve(assignment, context: id),
                                    variant: variant, policy: policy, optimal: optimal, camera: nil, steps: 100, seed: 0, out: out)
        #expect(GridWorldRenderer.canRender(task.id))
        try GridWorldRenderer.render(request)
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    @Test func multiTaskSetsLabelEveryEnvironment() throws {
        let svg = try render("grid-world/dcpg-resolvable-v1", optimal: true)
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("4 environments"))
        // Goal of environment 3 and obstacle of environment 2 share a cell: both labels appear.
        #expect(svg.contains(">3</text>") && svg.contains(">2</text>"))
        #expect(svg.contains("<polyline"))
        #expect(svg.contains("18 steps"))  // |Δrow| + |Δcol| from (0,0) to (9,9): one shortest path through all goals
    }

    @Test func everyGridTaskRenders() throws {
        for id in ["grid-world/dcpg-no-conflict-v1", "grid-world/dcpg-unresolvable-v1", "grid-world/dcpg-start-top-left-v1",
                   "grid-world/dcpg-start-top-right-v1", "frozen-lake/4x4-v1", "grid-world/windy-5x5-v1"] {
            _ = try render(id, optimal: true)
        }
        _ = try render("grid-world/dcpg-unresolvable-v1", variant: "env-3")
        _ = try render("grid-world/sutton-barto-4x4-v1")
        #expect(try render("grid-world/two-task-chain-v1", variant: "task-2").contains("task 2"))
    }

    @Test func policyFileDrawsItsPath() throws {
        let file = (NSTemporaryDirectory() as NSString).appendingPathComponent("chain-right.json")
        // Simple Grid: always RIGHT, to the east wall (the path ends where it first repeats a cell).
        try String(repeating: "[0,0,1,0,0],", count: 24).appending("[0,0,1,0,0]").wrapped.write(toFile: file, atomically: true, encoding: .utf8)
        let svg = try render("grid-world/simple-5x5-v1", policy: file)
        #expect(svg.contains("policy chain-right.json, 4 steps"))
        #expect(throws: CLIError.self) { try readPolicy(file, states: 5, actions: 2) }
    }
}

extension String {
    var wrapped: String { "[" + self + "]" }
}
