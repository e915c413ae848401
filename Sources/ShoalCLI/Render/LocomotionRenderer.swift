import Envs
import Foundation
import Locomotion

/// Draws a locomotion robot as SVG: the hopper from the side (x right, z up), the ant from above
/// (x right, y up) with a small side view beneath. Capsules are drawn as round-capped strokes of
/// their diameter, so the picture is the collision geometry itself. Faint poses every few steps
/// show the motion; the last pose is drawn solid.
enum LocomotionRenderer: TaskRenderer {
    static func canRender(_ id: TaskID) -> Bool {
        id.family == "hopper" || id.family == "ant"
    }

    typealias Pose = [(body: Int, a: Vec3, b: Vec3, radius: Double)]

    static func render(_ request: RenderRequest) throws {
        guard request.steps >= 0 else { throw CLIError("--steps must be at least 0, got \(request.steps)") }
        let random: Bool
        switch request.policy ?? "zero" {
        case "zero": random = false
        case "random": random = true
        case let other: throw CLIError("locomotion pictures take --policy random or zero, not '\(other)'")
        }
        let isHopper = request.task.id.family == "hopper"
        let poses: [Pose]
        let title: String
        if isHopper {
            let p = try decodeParameters(Hopper.Parameters.self, from: request.parameters, context: "task \(request.task.id)")
            var env = try Hopper(parameters: p)
            poses = roll(&env, steps: request.steps, seed: request.seed, random: random) { $0.world.geometry() }
            title = "\(request.task.id) — side view, \(request.steps) steps, \(random ? "random" : "zero") actions, mass ×\(formatJSONNumber(p.massScale)), wind \(formatJSONNumber(p.windX)) m/s"
        } else {
            let p = try decodeParameters(Ant.Parameters.self, from: request.parameters, context: "task \(request.task.id)")
            var env = try Ant(parameters: p)
            poses = roll(&env, steps: request.steps, seed: request.seed, random: random) { $0.world.geometry() }
            title = "\(request.task.id) — top view, \(request.steps) steps, \(random ? "random" : "zero") actions, mass ×\(formatJSONNumber(p.massScale)), wind (\(formatJSONNumber(p.windX)), \(formatJSONNumber(p.windY))) m/s"
        }
        let svg = isHopper ? drawing(poses, title: title, view: { Vec3($0.x, $0.z, 0) }, ground: true)
                           : drawing(poses, title: title, view: { Vec3($0.x, $0.y, 0) }, ground: false,
                                     inset: { Vec3($0.x, $0.z, 0) })
        try writeTextFile(svg, to: request.out, what: "the drawing")
    }

    /// Steps one copy with zero or uniform random actions; keeps about a dozen poses.
    static func roll<E: Environment>(_ env: inout E, steps: Int, seed: UInt64, random: Bool, pose: (E) -> Pose) -> [Pose] {
        var g = RandomGenerator(seed: seed)
        env.reset(using: &g)
        var policy = RandomGenerator(seed: seed, index: 1)
        var action = [Float](repeating: 0, count: env.actionSpace.size)
        var poses = [pose(env)]
        let every = max(1, steps / 10)
        for k in 0..<steps {
            if random { for i in action.indices { action[i] = Float(policy.uniform(-1, 1)) } }
            let outcome = action.withUnsafeBufferPointer { env.step($0, using: &g) }
            if (k + 1) % every == 0 || k == steps - 1 || outcome.terminated { poses.append(pose(env)) }
            if outcome.terminated { break }
        }
        return poses
    }

    static let colours = ["#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#2c3e50", "#f39c12", "#7f8c8d"]

    /// The SVG text: `view` projects a MuJoCo-frame point onto the picture plane (x right, y up).
    static func drawing(_ poses: [Pose], title: String, view: (Vec3) -> Vec3, ground: Bool, inset: ((Vec3) -> Vec3)? = nil) -> String {
        var lo = Vec3(repeating: .infinity), hi = Vec3(repeating: -.infinity)
        for pose in poses {
            for g in pose {
                for p in [view(g.a), view(g.b)] {
                    lo = pointwiseMin(lo, p - Vec3(repeating: g.radius))
                    hi = pointwiseMax(hi, p + Vec3(repeating: g.radius))
                }
            }
        }
        if ground { lo.y = min(lo.y, 0) }
        let margin = 0.15
        lo -= Vec3(repeating: margin); hi += Vec3(repeating: margin)
        let scale = min(900 / max(hi.x - lo.x, 0.5), 600 / max(hi.y - lo.y, 0.5))
        let width = max((hi.x - lo.x) * scale, 640), height = (hi.y - lo.y) * scale
        // The side view under a top view spans the floor to the highest point of the last pose.
        var zTop = 1.0
        if let inset, let pose = poses.last { for g in pose { zTop = max(zTop, inset(g.a).y + g.radius, inset(g.b).y + g.radius) } }
        let zScale = min(scale, 300 / zTop)
        let insetHeight = inset == nil ? 0.0 : zTop * zScale + 60
        func px(_ p: Vec3) -> (Double, Double) { ((p.x - lo.x) * scale, 30 + (hi.y - p.y) * scale) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height + 40 + insetHeight))\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"8\" y=\"20\" font-family=\"sans-serif\" font-size=\"14\">\(escape(title))</text>\n"
        if ground {
            let (_, gy) = px(Vec3(0, 0, 0))
            s += "<rect x=\"0\" y=\"\(f(gy))\" width=\"\(f(width))\" height=\"\(f(height + 30 - gy))\" fill=\"#e8e2d0\"/>\n"
        } else {
            // Grid of 0.5 m on the floor.
            var x = (lo.x / 0.5).rounded(.up) * 0.5
            while x < hi.x { let (gx, _) = px(Vec3(x, 0, 0)); s += "<line x1=\"\(f(gx))\" y1=\"30\" x2=\"\(f(gx))\" y2=\"\(f(30 + height))\" stroke=\"#eee\"/>\n"; x += 0.5 }
            var y = (lo.y / 0.5).rounded(.up) * 0.5
            while y < hi.y { let (_, gy) = px(Vec3(0, y, 0)); s += "<line x1=\"0\" y1=\"\(f(gy))\" x2=\"\(f(width))\" y2=\"\(f(gy))\" stroke=\"#eee\"/>\n"; y += 0.5 }
        }
        for (k, pose) in poses.enumerated() {
            let last = k == poses.count - 1
            let opacity = last ? 1.0 : 0.12 + 0.3 * Double(k) / Double(max(1, poses.count))
            for g in pose {
                let (ax, ay) = px(view(g.a)), (bx, by) = px(view(g.b))
                let colour = colours[g.body % colours.count]
                s += "<line x1=\"\(f(ax))\" y1=\"\(f(ay))\" x2=\"\(f(bx))\" y2=\"\(f(by))\" stroke=\"\(colour)\" stroke-opacity=\"\(f(opacity))\" stroke-width=\"\(f(2 * g.radius * scale))\" stroke-linecap=\"round\"/>\n"
            }
        }
        if let inset, let pose = poses.last {
            // Side view of the last pose (x right, z up) under the top view, same scale, floor at z = 0.
            let top = height + 60
            let floor = top + zTop * zScale
            func ipx(_ p: Vec3) -> (Double, Double) { ((p.x - lo.x) * scale, floor - p.y * zScale) }
            s += "<text x=\"8\" y=\"\(f(top - 6))\" font-family=\"sans-serif\" font-size=\"12\">side view of the last pose</text>\n"
            s += "<rect x=\"0\" y=\"\(f(floor))\" width=\"\(f(width))\" height=\"20\" fill=\"#e8e2d0\"/>\n"
            for g in pose {
                let (ax, ay) = ipx(inset(g.a)), (bx, by) = ipx(inset(g.b))
                s += "<line x1=\"\(f(ax))\" y1=\"\(f(ay))\" x2=\"\(f(bx))\" y2=\"\(f(by))\" stroke=\"\(colours[g.body % colours.count])\" stroke-width=\"\(f(2 * g.radius * zScale))\" stroke-linecap=\"round\"/>\n"
            }
        }
        return s + "</svg>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
