import Envs
import Foundation
import Testing
@testable import ShoalCLI

@Suite struct ClassicControlRendererTests {
    /// Renders into `SHOAL_RENDER_DIR` (or a temporary folder) so the pictures can be looked at.
    func render(_ id: String, params: [String: Double] = [:], policy: String? = nil, steps: Int = 200, seed: UInt64 = 0) throws -> String {
        let registry = try TaskRegistry.standard
        let task = try registry.task(id)
        let assignment = JSONValue.object(params.sorted { $0.key < $1.key }.map { ($0.key, .real($0.value)) })
        let folder = ProcessInfo.processInfo.environment["SHOAL_RENDER_DIR"] ?? NSTemporaryDirectory()
        let out = (folder as NSString).appendingPathComponent(id.replacingOccurrences(of: "/", with: "_") + ".svg")
        let request = RenderRequest(registry: registry, task: task, parameters: try task.resolve(assignment, context: id), variant: nil,
                                    policy: policy, optimal: false, camera: nil, steps: steps, seed: seed, out: out)
        #expect(ClassicControlRenderer.canRender(task.id))
        try ClassicControlRenderer.render(request)
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    /// The pixel length of every solid segment drawn in `colour`.
    func solidSegmentLengths(_ svg: String, colour: String) -> [Double] {
        svg.split(separator: "\n").filter { $0.hasPrefix("<line") && $0.contains("stroke=\"\(colour)\"") && $0.contains("stroke-opacity=\"1.0\"") }.map { line in
            func value(_ name: String) -> Double {
                let start = line.range(of: " \(name)=\"")!.upperBound
                return Double(line[start...].prefix { $0 != "\"" })!
            }
            let dx = value("x2") - value("x1"), dy = value("y2") - value("y1")
            return (dx * dx + dy * dy).squareRoot()
        }
    }

    @Test func everyClassicControlTaskHasAPicture() throws {
        for id in ["pendulum-v1", "cart-pole-v1", "cart-pole/continuous-v1", "cart-pole/swing-up-v1", "acrobot-v1"] {
            let svg = try render(id)
            #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
            #expect(svg.contains("last state:"), "\(id)")
            #expect(svg.contains("<polyline"), "\(id) draws no path of the tip")
        }
        // The default pendulum never terminates: 200 steps end at its time limit.
        #expect(try render("pendulum-v1").contains("truncated after 200 steps (the time limit)"))
        // Random pushes topple the pole well before 200 steps.
        #expect(try render("cart-pole-v1").contains("terminated after"))
        #expect(try render("cart-pole-v1").contains("track limit ±2.4 m"))
    }

    @Test func posesHaveThePhysicalProportions() throws {
        // The pendulum's view spans ±1.3 lengths over 520 px, so the rod is 200 px whatever its length.
        for length in [0.5, 1.0, 2.0] {
            let rods = solidSegmentLengths(try render("pendulum-v1", params: ["length": length]), colour: "#cc4d4d")
            #expect(rods.count == 1)
            #expect(abs(rods[0] - 200) < 0.2, "length \(length): \(rods)")
        }
        // Acrobot links drawn in the ratio of their lengths.
        let links = solidSegmentLengths(try render("acrobot-v1", params: ["link_length_2": 0.5], policy: "zero"), colour: "#00a0a0")
        #expect(links.count == 2)
        #expect(abs(links[0] / links[1] - 2) < 0.01, "\(links)")
        // A pole of 2 × half length.
        let svg = try render("cart-pole/continuous-v1", params: ["pole_half_length": 0.5], steps: 0)
        let pole = solidSegmentLengths(svg, colour: "#ca9865")
        let scale = min(820 / (2 * (2.4 + 0.6)), 520 / (1 + 0.3 + 0.45))
        #expect(pole.count == 1 && abs(pole[0] - scale) < 0.2, "\(pole) vs \(scale)")
    }

    @Test func badPolicyIsOneSentence() throws {
        func message(_ body: () throws -> Void) -> String? {
            do { try body() } catch let error as CLIError { return error.message } catch { return "\(error)" }
            return nil
        }
        #expect(message { _ = try render("cart-pole-v1", policy: "zero") } == "cart-pole-v1 has no zero action (it always pushes left or right); use --policy random")
        #expect(message { _ = try render("acrobot-v1", policy: "greedy") } == "classic-control pictures take --policy random or zero, not 'greedy'")
        #expect(message { _ = try render("pendulum-v1", steps: -1) } == "--steps must be at least 0, got -1")
    }
}
