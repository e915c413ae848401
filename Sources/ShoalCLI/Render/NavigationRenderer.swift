import Envs
import Foundation

/// `shoal envs render navigation/…`: the map seen from above with the path flown (SVG), and with
/// `--camera FILE.png|.ppm` the front camera at the start pose (colour left, depth right).
///
/// The flight follows `--policy random` (uniform actions) or `zero` (straight ahead, the default)
/// from the seed's start pose until the first crash or `--steps`.
enum NavigationRenderer: TaskRenderer {
    static func canRender(_ id: TaskID) -> Bool { id.family == "navigation" }

    static func render(_ request: RenderRequest) throws {
        let parameters: IndoorNavigation.Parameters
        do {
            parameters = try decodeParameters(IndoorNavigation.Parameters.self, from: request.parameters, context: "task \(request.task.id)")
        } catch { throw CLIError(error.message) }
        var env: IndoorNavigation
        do { env = try IndoorNavigation(parameters: parameters) } catch { throw CLIError("\(error)") }
        let policy = request.policy ?? "zero"
        guard policy == "random" || policy == "zero" else {
            throw CLIError("navigation tasks render --policy random or zero, not '\(policy)'")
        }
        var g = RandomGenerator(seed: request.seed, index: 0)
        var actionRandom = RandomGenerator(seed: request.seed, index: 1 << 40)
        env.reset(using: &g)
        if let camera = request.camera { try cameraImage(env).write(to: camera) }

        var path = [(env.x, env.y)]
        var crashed = false
        var action = [Float](repeating: 0, count: env.actionSpace.size)
        let steps = request.steps > 0 ? request.steps : 2000
        for _ in 0..<steps {
            switch env.actionSpace {
            case .discrete(let n):
                action[0] = Float(policy == "random" ? actionRandom.below(n) : n / 2)
            default:
                for k in action.indices { action[k] = policy == "random" ? Float(actionRandom.uniform(-1, 1)) : 0 }
            }
            let outcome = action.withUnsafeBufferPointer { env.step($0, using: &g) }
            path.append((env.x, env.y))
            if outcome.terminated { crashed = true; break }
        }
        let svg = topView(env.map, path: path, crashed: crashed, flown: env.distanceFlown, task: request.task.id.description)
        try writeTextFile(svg, to: request.out, what: "the drawing")
        print("\(request.task.id) map \(env.map.name): flew \(String(format: "%.1f", env.distanceFlown)) m in \(path.count - 1) steps\(crashed ? " before crashing" : ""); wrote \(request.out)\(request.camera.map { " and \($0)" } ?? "")")
    }

    /// The camera image: RGB on the left, depth (white far, black near) on the right, each pixel
    /// drawn as an 8×8 block.
    static func cameraImage(_ env: IndoorNavigation) -> RasterImage {
        let p = env.parameters
        let w = p.cameraWidth, h = p.cameraHeight, plane = w * h, k = 8
        var camera = p
        camera.observation = "camera"
        camera.channels = "depth_rgb"
        var view = env
        if p.observation != "camera" || p.channels != "depth_rgb", var full = try? IndoorNavigation(parameters: camera) {
            try? full.setState([env.x, env.y, env.yaw, env.z])
            view = full
        }
        var obs = [Float](repeating: 0, count: 4 * plane)
        obs.withUnsafeMutableBufferPointer { view.observe(into: $0) }
        var image = RasterImage(width: (2 * w + 1) * k, height: h * k)
        for y in 0..<(h * k) {
            for x in 0..<(image.width) {
                let c = x / k, r = y / k
                if c < w {
                    let i = r * w + c
                    image.set(x, y, obs[plane + i], obs[2 * plane + i], obs[3 * plane + i])
                } else if c > w {
                    let d = obs[r * w + (c - w - 1)]
                    image.set(x, y, d, d, d)
                } else {
                    image.set(x, y, 1, 1, 1)
                }
            }
        }
        return image
    }

    /// The top view: floor, walls and furniture in their colours, start poses, the path and the crash.
    static func topView(_ map: IndoorMap, path: [(Double, Double)], crashed: Bool, flown: Double, task: String) -> String {
        let xs = map.boundary.map(\.x), ys = map.boundary.map(\.y)
        let minX = (xs.min() ?? 0) - 1, maxX = (xs.max() ?? 1) + 1, minY = (ys.min() ?? 0) - 1, maxY = (ys.max() ?? 1) + 1
        let scale = min(1200 / (maxX - minX), 900 / (maxY - minY))
        let width = (maxX - minX) * scale, height = (maxY - minY) * scale + 30
        func px(_ x: Double) -> String { String(format: "%.1f", (x - minX) * scale) }
        func py(_ y: Double) -> String { String(format: "%.1f", (maxY - y) * scale + 30) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"#202020\"/>\n"
        s += "<text x=\"8\" y=\"20\" font-family=\"sans-serif\" font-size=\"15\" fill=\"#ffffff\">\(task) · map \(map.name) · flew \(String(format: "%.1f", flown)) m\(crashed ? " · crash" : "")</text>\n"
        let floor = map.boundary.map { "\(px($0.x)),\(py($0.y))" }.joined(separator: " ")
        s += "<polygon points=\"\(floor)\" fill=\"\(map.floorColor.hex)\"/>\n"
        for o in map.obstacles {
            let full = map.isFullHeight(o)
            switch o.shape {
            case let .segment(ax, ay, bx, by):
                s += "<line x1=\"\(px(ax))\" y1=\"\(py(ay))\" x2=\"\(px(bx))\" y2=\"\(py(by))\" stroke=\"\(o.color.hex)\" stroke-width=\"\(full ? 4 : 2)\" stroke-linecap=\"round\"\(full ? "" : " stroke-dasharray=\"4 2\"")/>\n"
            case let .cylinder(cx, cy, r):
                s += "<circle cx=\"\(px(cx))\" cy=\"\(py(cy))\" r=\"\(String(format: "%.1f", r * scale))\" fill=\"\(o.color.hex)\"\(full ? "" : " fill-opacity=\"0.6\"")/>\n"
            }
        }
        for p in map.starts {
            let tip = (p.x + 0.8 * cos(p.yaw), p.y + 0.8 * sin(p.yaw))
            s += "<circle cx=\"\(px(p.x))\" cy=\"\(py(p.y))\" r=\"4\" fill=\"#40a0ff\"/><line x1=\"\(px(p.x))\" y1=\"\(py(p.y))\" x2=\"\(px(tip.0))\" y2=\"\(py(tip.1))\" stroke=\"#40a0ff\" stroke-width=\"2\"/>\n"
        }
        let line = path.map { "\(px($0.0)),\(py($0.1))" }.joined(separator: " ")
        s += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"#ff3030\" stroke-width=\"2\"/>\n"
        if crashed, let last = path.last {
            s += "<text x=\"\(px(last.0))\" y=\"\(py(last.1))\" font-family=\"sans-serif\" font-size=\"18\" fill=\"#ff3030\" text-anchor=\"middle\" dominant-baseline=\"central\">✕</text>\n"
        }
        return s + "</svg>\n"
    }
}
