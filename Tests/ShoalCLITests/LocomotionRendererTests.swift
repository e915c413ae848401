import Envs
import Foundation
import Testing
@testable import ShoalCLI

@Suite struct LocomotionRendererTests {
    func render(_ id: String, params: [String: Double] = [:], policy: String? = nil) throws -> String {
        let registry = try cliRegistry()
        let task = try registry.task(id)
        let assignment = JSONValue.object(params.sorted { $0.key < $1.key }.map { ($0.key, .real($0.value)) })
        let folder = ProcessInfo.processInfo.environment["SHOAL_RENDER_DIR"] ?? NSTemporaryDirectory()
        let out = (folder as NSString).appendingPathComponent(id.replacingOccurrences(of: "/", with: "_") + ".svg")
        let request = RenderRequest(registry: registry, task: task, parameters: try task.resolve(assignment, context: id), variant: nil,
                                    policy: policy, optimal: false, camera: nil, steps: 200, seed: 0, out: out)
        try LocomotionRenderer.render(request)
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    func size(_ svg: String) -> (width: Double, height: Double) {
        func attribute(_ name: String) -> Double {
            let start = svg.range(of: "\(name)=\"")!.upperBound
            return Double(svg[start...].prefix { $0 != "\"" })!
        }
        return (attribute("width"), attribute("height"))
    }

    @Test("an ant blown far by the wind is not drawn as a strip")
    func windyAntIsNotAStrip() throws {
        let svg = try render("ant/wind-v1", params: ["wind_x": 15, "wind_y": -4])
        let (width, height) = size(svg)
        #expect(width <= 900 && height >= width / 2, "\(width) × \(height)")
        // The drift is long, so the last pose is also shown close up, from above and from the side.
        #expect(svg.contains("last pose, from above") && svg.contains("last pose, from the side"))
        #expect(svg.contains("wind 15.5 m/s") && svg.contains("#2c7fb8"))
        #expect(svg.contains("stroke-dasharray"))  // the torso's path
    }

    @Test func calmAntAndHopperKeepTheirViews() throws {
        let ant = try render("ant-v1")
        #expect(!ant.contains("last pose, from above") && ant.contains("last pose, from the side"))
        #expect(!ant.contains("#2c7fb8"))  // no wind, no arrow
        let hopper = try render("hopper-v1", policy: "random")
        #expect(!hopper.contains("last pose"))
        #expect(size(hopper).height >= 300)
    }
}
