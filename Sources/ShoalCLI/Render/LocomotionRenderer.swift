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
        let poses: [Pose], path: [Vec3]
        let title: String
        var wind: (x: Double, y: Double)?
        if isHopper {
            let p = try decodeParameters(Hopper.Parameters.self, from: request.parameters, context: "task \(request.task.id)")
            var env = try Hopper(parameters: p)
            (poses, path) = roll(&env, steps: request.steps, seed: request.seed, random: random) { $0.world.geometry() }
            title = "\(request.task.id) — side view, \(request.steps) steps, \(random ? "random" : "zero") actions, mass ×\(formatJSONNumber(p.massScale)), wind \(formatJSONNumber(p.windX)) m/s"
        } else {
            let p = try decodeParameters(Ant.Parameters.self, from: request.parameters, context: "task \(request.task.id)")
            var env = try Ant(parameters: p)
            (poses, path) = roll(&env, steps: request.steps, seed: request.seed, random: random) { $0.world.geometry() }
            wind = (p.windX, p.windY)
            title = "\(request.task.id) — top view, \(request.steps) steps, \(random ? "random" : "zero") actions, mass ×\(formatJSONNumber(p.massScale)), wind (\(formatJSONNumber(p.windX)), \(formatJSONNumber(p.windY))) m/s"
        }
        let svg = isHopper ? drawing(poses, path: path, title: title, view: { Vec3($0.x, $0.z, 0) }, ground: true)
                           : drawing(poses, path: path, title: title, view: { Vec3($0.x, $0.y, 0) }, ground: false,
                                     closeUp: { Vec3($0.x, $0.z, 0) }, wind: wind)
        try writeTextFile(svg, to: request.out, what: "the drawing")
    }

    /// Steps one copy with zero or uniform random actions; keeps about a dozen poses and the
    /// torso's centre at every step.
    static func roll<E: Environment>(_ env: inout E, steps: Int, seed: UInt64, random: Bool, pose: (E) -> Pose) -> (poses: [Pose], path: [Vec3]) {
        var g = RandomGenerator(seed: seed)
        env.reset(using: &g)
        var policy = RandomGenerator(seed: seed, index: 1)
        var action = [Float](repeating: 0, count: env.actionSpace.size)
        var poses = [pose(env)]
        var path = [torso(poses[0])]
        let every = max(1, steps / 10)
        for k in 0..<steps {
            if random { for i in action.indices { action[i] = Float(policy.uniform(-1, 1)) } }
            let outcome = action.withUnsafeBufferPointer { env.step($0, using: &g) }
            let now = pose(env)
            path.append(torso(now))
            if (k + 1) % every == 0 || k == steps - 1 || outcome.terminated { poses.append(now) }
            if outcome.terminated { break }
        }
        return (poses, path)
    }

    /// The centre of body 0 (the torso).
    static func torso(_ pose: Pose) -> Vec3 {
        let parts = pose.filter { $0.body == 0 }
        guard !parts.isEmpty else { return pose.first.map { ($0.a + $0.b) / 2 } ?? Vec3(repeating: 0) }
        return parts.reduce(Vec3(repeating: 0)) { $0 + ($1.a + $1.b) / 2 } / Double(parts.count)
    }

    static let colours = ["#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#2c3e50", "#f39c12", "#7f8c8d"]

    /// Pixels per metre of the close-up panels.
    static let closeUpScale = 150.0

    /// The SVG text: `view` projects a MuJoCo-frame point onto the picture plane (x right, y up).
    /// The main view holds every pose and the torso's path; it is never flatter than 3:1 (a long
    /// drift in the wind pads the other axis rather than squashing the picture into a strip).
    /// With `closeUp` (the ant), a row beneath shows the last pose at a fixed scale, seen from
    /// above (when the main view is small) and from the side through `closeUp`.
    static func drawing(_ poses: [Pose], path: [Vec3], title: String, view: @escaping (Vec3) -> Vec3, ground: Bool,
                        closeUp: ((Vec3) -> Vec3)? = nil, wind: (x: Double, y: Double)? = nil) -> String {
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var (lo, hi) = bounds(poses, view)
        if ground { lo.y = min(lo.y, 0) }
        let margin = 0.15, padding = 16.0
        let maxWidth = 900.0, maxHeight = 600.0, minHeight = 300.0
        // Pixels per metre with `padding` pixels (at least `margin` metres) around the poses.
        let scale = min((maxWidth - 2 * padding) / max(hi.x - lo.x + 2 * margin, 0.5),
                        (maxHeight - 2 * padding) / max(hi.y - lo.y + 2 * margin, 0.5))
        let pad = max(margin, padding / scale)
        lo -= Vec3(repeating: pad); hi += Vec3(repeating: pad)
        if (hi.y - lo.y) * scale < minHeight {
            let pad = minHeight / scale - (hi.y - lo.y)
            if ground { hi.y += pad } else { lo.y -= pad / 2; hi.y += pad / 2 }
        }
        let width = max((hi.x - lo.x) * scale, 640), height = (hi.y - lo.y) * scale
        let top = 30.0
        func px(_ p: Vec3) -> (Double, Double) { ((p.x - lo.x) * scale, top + (hi.y - p.y) * scale) }

        var body = ""
        if ground {
            let (_, gy) = px(Vec3(0, 0, 0))
            body += "<rect x=\"0\" y=\"\(f(gy))\" width=\"\(f(width))\" height=\"\(f(height + top - gy))\" fill=\"#e8e2d0\"/>\n"
        } else {
            body += floorGrid(lo: lo, hi: hi, width: width, top: top, height: height, px: px)
        }
        // The torso's path, then the poses, faint to solid.
        if path.count > 1 {
            let points = path.map { p -> String in let (x, y) = px(view(p)); return "\(f(x)),\(f(y))" }.joined(separator: " ")
            body += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"#555555\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>\n"
        }
        for (k, pose) in poses.enumerated() {
            let opacity = k == poses.count - 1 ? 1.0 : 0.12 + 0.3 * Double(k) / Double(max(1, poses.count))
            body += capsules(pose, opacity: opacity, width: { 2 * $0 * scale }) { g in px(view(g)) }
        }
        body += scaleBar(metres: niceLength(150 / scale), scale: scale, x: 12, y: top + height - 12)

        // The close-up row: the last pose at a fixed scale, from above (if the main view is small) and from the side.
        var row = "", rowHeight = 0.0
        if let closeUp, let last = poses.last {
            let c = closeUpScale
            let centre = torso(last)
            var panels: [(label: String, project: (Vec3) -> Vec3, floor: Bool)] = []
            if scale < 0.8 * c { panels.append(("last pose, from above", view, false)) }
            panels.append(("last pose, from the side", closeUp, true))
            var x = 0.0
            let rowTop = top + height + 30
            for panel in panels {
                var (plo, phi) = bounds([last], panel.project)
                let mid = panel.project(centre)
                // Centre horizontally on the torso; the side view keeps the floor (z = 0) in sight.
                let halfWidth = max(phi.x - mid.x, mid.x - plo.x) + margin
                plo.x = mid.x - halfWidth; phi.x = mid.x + halfWidth
                if panel.floor { plo.y = min(plo.y, 0) }
                plo.y -= margin; phi.y += margin
                let w = max((phi.x - plo.x) * c, 220), h = (phi.y - plo.y) * c
                let offsetX = x + (w - (phi.x - plo.x) * c) / 2
                func cpx(_ p: Vec3) -> (Double, Double) { (offsetX + (p.x - plo.x) * c, rowTop + 18 + (phi.y - p.y) * c) }
                row += "<text x=\"\(f(x + 8))\" y=\"\(f(rowTop + 8))\" font-family=\"sans-serif\" font-size=\"12\">\(panel.label)</text>\n"
                row += "<rect x=\"\(f(x + 4))\" y=\"\(f(rowTop + 16))\" width=\"\(f(w - 8))\" height=\"\(f(h + 4))\" fill=\"none\" stroke=\"#dddddd\"/>\n"
                if panel.floor {
                    let (_, fy) = cpx(Vec3(0, 0, 0))
                    row += "<rect x=\"\(f(x + 4))\" y=\"\(f(fy))\" width=\"\(f(w - 8))\" height=\"\(f(rowTop + 20 + h - fy))\" fill=\"#e8e2d0\"/>\n"
                }
                row += capsules(last, opacity: 1, width: { 2 * $0 * c }) { g in cpx(panel.project(g)) }
                x += w + 16
                rowHeight = max(rowHeight, h + 50)
            }
            row += scaleBar(metres: 0.5, scale: c, x: x + 4, y: rowTop + 40)
            // The wind, seen from above, beside the close-ups (it would hide part of the main view).
            if let wind, wind.x != 0 || wind.y != 0 { row += windArrow(wind, x: x + 50, y: rowTop + 100) }
        }
        let totalWidth = max(width, closeUp == nil ? 0 : 640)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(totalWidth))\" height=\"\(f(top + height + 10 + rowHeight))\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"8\" y=\"20\" font-family=\"sans-serif\" font-size=\"14\">\(escape(title))</text>\n"
        return s + body + row + "</svg>\n"
    }

    /// The extent of the poses' capsules in the picture plane.
    static func bounds(_ poses: [Pose], _ view: (Vec3) -> Vec3) -> (Vec3, Vec3) {
        var lo = Vec3(repeating: .infinity), hi = Vec3(repeating: -.infinity)
        for pose in poses {
            for g in pose {
                for p in [view(g.a), view(g.b)] {
                    lo = pointwiseMin(lo, p - Vec3(repeating: g.radius))
                    hi = pointwiseMax(hi, p + Vec3(repeating: g.radius))
                }
            }
        }
        return (lo, hi)
    }

    /// Round-capped strokes of each capsule's diameter.
    static func capsules(_ pose: Pose, opacity: Double, width: (Double) -> Double, project: (Vec3) -> (Double, Double)) -> String {
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var s = ""
        for g in pose {
            let (ax, ay) = project(g.a), (bx, by) = project(g.b)
            s += "<line x1=\"\(f(ax))\" y1=\"\(f(ay))\" x2=\"\(f(bx))\" y2=\"\(f(by))\" stroke=\"\(colours[g.body % colours.count])\" stroke-opacity=\"\(f(opacity))\" stroke-width=\"\(f(width(g.radius)))\" stroke-linecap=\"round\"/>\n"
        }
        return s
    }

    /// Floor lines every 0.5 m (every 1, 2, 5 or 10 m when the view is large).
    static func floorGrid(lo: Vec3, hi: Vec3, width: Double, top: Double, height: Double, px: (Vec3) -> (Double, Double)) -> String {
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        let spacing = max(0.5, niceLength(max(hi.x - lo.x, hi.y - lo.y) / 20))
        var s = ""
        var x = (lo.x / spacing).rounded(.up) * spacing
        while x < hi.x { let (gx, _) = px(Vec3(x, 0, 0)); s += "<line x1=\"\(f(gx))\" y1=\"\(f(top))\" x2=\"\(f(gx))\" y2=\"\(f(top + height))\" stroke=\"#eee\"/>\n"; x += spacing }
        var y = (lo.y / spacing).rounded(.up) * spacing
        while y < hi.y { let (_, gy) = px(Vec3(0, y, 0)); s += "<line x1=\"0\" y1=\"\(f(gy))\" x2=\"\(f(width))\" y2=\"\(f(gy))\" stroke=\"#eee\"/>\n"; y += spacing }
        return s
    }

    /// The largest of 1, 2, 5 × 10ᵏ metres not above `metres`.
    static func niceLength(_ metres: Double) -> Double {
        guard metres > 0, metres.isFinite else { return 1 }
        let magnitude = pow(10, log10(metres).rounded(.down))
        return [5.0, 2, 1].map { $0 * magnitude }.first { $0 <= metres * (1 + 1e-9) } ?? magnitude
    }

    static func scaleBar(metres: Double, scale: Double, x: Double, y: Double) -> String {
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        let length = metres * scale
        return "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + length))\" y2=\"\(f(y))\" stroke=\"#333333\" stroke-width=\"2\"/>\n"
            + "<text x=\"\(f(x + length / 2))\" y=\"\(f(y - 5))\" font-family=\"sans-serif\" font-size=\"11\" text-anchor=\"middle\">\(formatJSONNumber(metres)) m</text>\n"
    }

    /// An arrow along the wind (picture x right, y up) with its speed.
    static func windArrow(_ wind: (x: Double, y: Double), x: Double, y: Double) -> String {
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        let speed = (wind.x * wind.x + wind.y * wind.y).squareRoot()
        let ux = wind.x / speed, uy = -wind.y / speed, half = 26.0
        let (x1, y1, x2, y2) = (x - ux * half, y - uy * half, x + ux * half, y + uy * half)
        let head = [(x2, y2), (x2 - ux * 10 - uy * 6, y2 - uy * 10 + ux * 6), (x2 - ux * 10 + uy * 6, y2 - uy * 10 - ux * 6)]
        return "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"#2c7fb8\" stroke-width=\"3\"/>\n"
            + "<polygon points=\"\(head.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " "))\" fill=\"#2c7fb8\"/>\n"
            + "<text x=\"\(f(x))\" y=\"\(f(y + 44))\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"middle\" fill=\"#2c7fb8\">wind \(String(format: "%.1f", speed)) m/s</text>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
