import Envs
import Foundation

/// Draws the classic-control tasks as SVG, in Gymnasium's conventions: the pendulum (θ = 0
/// upright), the cart-pole and its swing-up (θ = 0 upright, positive to the right; the track
/// ends at ±x_threshold), the acrobot (θ1 = 0 hanging down, the goal line one link above the
/// pivot). One episode from `--seed` is rolled out with `--policy random` (the default) or
/// `zero` (no force or torque): faint poses every few steps, the dashed path of the tip, and
/// the last pose solid, with its state beneath.
enum ClassicControlRenderer: TaskRenderer {
    static func canRender(_ id: TaskID) -> Bool {
        ["pendulum", "cart-pole", "acrobot"].contains(id.family)
    }

    /// A pose in metres (x right, y up): the segments to draw, the tip whose path is traced,
    /// and a cart position for cart-poles.
    struct Pose {
        var segments: [(a: (Double, Double), b: (Double, Double))]
        var tip: (Double, Double)
        var cart: Double?
    }

    /// What one rollout gives: the poses, the last state and action in words, and how it ended.
    struct Rollout {
        var poses: [Pose]
        /// The tip at every step.
        var path: [(Double, Double)]
        var state: String
        var ended: String
    }

    static func render(_ request: RenderRequest) throws {
        guard request.steps >= 0 else { throw CLIError("--steps must be at least 0, got \(request.steps)") }
        let random: Bool
        switch request.policy ?? "random" {
        case "random": random = true
        case "zero": random = false
        case let other: throw CLIError("classic-control pictures take --policy random or zero, not '\(other)'")
        }
        let task = request.task, id = task.id.description
        let context = "task \(task.id)"
        let svg: String
        if task is Task<PendulumBatch> {
            let p = try decodeParameters(Pendulum.Parameters.self, from: request.parameters, context: context)
            var env = try Pendulum(parameters: p)
            let r = roll(&env, request, random: random, pose: { e in
                let (s, c) = (sin(e.state.theta), cos(e.state.theta))
                return Pose(segments: [((0, 0), (-p.length * s, p.length * c))], tip: (-p.length * s, p.length * c))
            }, describe: { e, a in "θ = \(f3(angleNormalize(e.state.theta))) rad (0 is upright), θ̇ = \(f3(e.state.thetaDot)) rad/s, torque \(f3(Double(a[0]))) N·m" })
            let reach = p.length * 1.3
            svg = drawing(r, title: "\(id) — length \(formatJSONNumber(p.length)) m, mass \(formatJSONNumber(p.mass)) kg, g \(formatJSONNumber(p.gravity))",
                          request: request, random: random, lo: (-reach, -reach), hi: (reach, reach), style: .pendulum)
        } else if task is Task<CartPoleBatch> || task is Task<ContinuousCartPoleVector> || task is Task<CartPoleSwingUpVector> {
            let p = try decodeParameters(CartPole.Parameters.self, from: request.parameters, context: context)
            let swingUp = task is Task<CartPoleSwingUpVector>
            if task is Task<CartPoleBatch> && !random {
                throw CLIError("\(id) has no zero action (it always pushes left or right); use --policy random")
            }
            let pole = 2 * p.poleHalfLength
            func pose(_ s: CartPole.State) -> Pose {
                let pivot = (s.x, 0.0), tip = (s.x + pole * sin(s.theta), pole * cos(s.theta))
                return Pose(segments: [(pivot, tip)], tip: tip, cart: s.x)
            }
            func describe(_ s: CartPole.State, _ a: [Float]) -> String {
                let push = task is Task<CartPoleBatch> ? (a[0] == 0 ? "push left" : "push right") : "force \(f3(Double(a[0]))) N"
                return "x = \(f3(s.x)) m, ẋ = \(f3(s.xDot)) m/s, θ = \(f3(angleNormalize(s.theta))) rad (0 is upright), θ̇ = \(f3(s.thetaDot)) rad/s, \(push)"
            }
            let r: Rollout
            if task is Task<CartPoleBatch> {
                var env = try CartPole(parameters: p)
                r = roll(&env, request, random: random, pose: { pose($0.state) }, describe: { describe($0.state, $1) })
            } else if swingUp {
                var env = try CartPoleSwingUp(parameters: p)
                r = roll(&env, request, random: random, pose: { pose($0.state) }, describe: { describe($0.state, $1) })
            } else {
                var env = try ContinuousCartPole(parameters: p)
                r = roll(&env, request, random: random, pose: { pose($0.state) }, describe: { describe($0.state, $1) })
            }
            let xMax = max(p.xThreshold, r.poses.compactMap(\.cart).map(abs).max() ?? 0) + max(0.6, pole * 0.6)
            svg = drawing(r, title: "\(id) — pole \(formatJSONNumber(pole)) m, pole mass \(formatJSONNumber(p.poleMass)) kg, cart \(formatJSONNumber(p.cartMass)) kg",
                          request: request, random: random, lo: (-xMax, swingUp ? -pole - 0.35 : -0.45), hi: (xMax, pole + 0.3),
                          style: .cartPole(xThreshold: p.xThreshold, thetaThreshold: swingUp ? nil : p.thetaThreshold))
        } else if task is Task<AcrobotBatch> {
            let p = try decodeParameters(Acrobot.Parameters.self, from: request.parameters, context: context)
            var env = try Acrobot(parameters: p)
            let r = roll(&env, request, random: random, pose: { e in
                let s = e.state
                let p1 = (p.linkLength1 * sin(s[0]), -p.linkLength1 * cos(s[0]))
                let p2 = (p1.0 + p.linkLength2 * sin(s[0] + s[1]), p1.1 - p.linkLength2 * cos(s[0] + s[1]))
                return Pose(segments: [((0, 0), p1), (p1, p2)], tip: p2)
            }, describe: { e, a in
                let s = e.state
                let torque = ["−1", "0", "+1"][min(2, max(0, Int(a[0])))]
                return "θ1 = \(f3(s[0])) rad (0 hangs down), θ2 = \(f3(s[1])) rad, θ̇1 = \(f3(s[2])), θ̇2 = \(f3(s[3])) rad/s, torque \(torque)"
            }, zeroAction: [1])
            let reach = p.linkLength1 + p.linkLength2 + 0.3
            svg = drawing(r, title: "\(id) — links \(formatJSONNumber(p.linkLength1)) m and \(formatJSONNumber(p.linkLength2)) m, masses \(formatJSONNumber(p.linkMass1)) and \(formatJSONNumber(p.linkMass2)) kg",
                          request: request, random: random, lo: (-reach, -reach), hi: (reach, max(reach, 1.3)), style: .acrobot(unitLinks: p.linkLength1 == 1 && p.linkLength2 == 1))
        } else {
            throw CLIError("task \(task.id) uses a physics the classic-control pictures do not know")
        }
        do { try svg.write(toFile: request.out, atomically: true, encoding: .utf8) } catch {
            throw CLIError("cannot write \(request.out): \(error.localizedDescription)")
        }
    }

    /// Rolls one episode from `request.seed`: uniform random actions (a random index for a
    /// discrete space) or `zeroAction`; keeps about a dozen poses and the tip at every step.
    static func roll<E: Environment>(_ env: inout E, _ request: RenderRequest, random: Bool, pose: (E) -> Pose,
                                     describe: (E, [Float]) -> String, zeroAction: [Float]? = nil) -> Rollout {
        var g = RandomGenerator(seed: request.seed)
        env.reset(using: &g)
        var policy = RandomGenerator(seed: request.seed, index: 1)
        var action = zeroAction ?? [Float](repeating: 0, count: env.actionSpace.size)
        var poses = [pose(env)], tips = [poses[0].tip]
        let steps = env.maxEpisodeSteps > 0 ? min(request.steps, env.maxEpisodeSteps) : request.steps
        let every = max(1, steps / 10)
        var ended = "\(steps) steps"
        for k in 0..<steps {
            if random {
                switch env.actionSpace {
                case .discrete(let n): action = [Float(Int(policy.uniform(0, Double(n))) % n)]
                case .box(let box): for i in action.indices { action[i] = Float(policy.uniform(Double(box.low[i]), Double(box.high[i]))) }
                }
            }
            let outcome = action.withUnsafeBufferPointer { env.step($0, using: &g) }
            let now = pose(env)
            tips.append(now.tip)
            if (k + 1) % every == 0 || k == steps - 1 || outcome.terminated { poses.append(now) }
            if outcome.terminated {
                ended = "terminated after \(k + 1) steps"
                break
            }
            if k == steps - 1 && steps == env.maxEpisodeSteps { ended = "truncated after \(steps) steps (the time limit)" }
        }
        return Rollout(poses: poses, path: tips, state: describe(env, action), ended: ended)
    }

    enum Style {
        case pendulum
        case cartPole(xThreshold: Double, thetaThreshold: Double?)
        case acrobot(unitLinks: Bool)
    }

    static func drawing(_ r: Rollout, title: String, request: RenderRequest, random: Bool, lo: (Double, Double), hi: (Double, Double), style: Style) -> String {
        let maxWidth = 820.0, maxHeight = 520.0
        let scale = min(maxWidth / (hi.0 - lo.0), maxHeight / (hi.1 - lo.1))
        let plotW = (hi.0 - lo.0) * scale, plotH = (hi.1 - lo.1) * scale
        let width = max(plotW + 20, 720), top = 40.0
        let offsetX = (width - plotW) / 2
        func px(_ p: (Double, Double)) -> (Double, Double) { (offsetX + (p.0 - lo.0) * scale, top + (hi.1 - p.1) * scale) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func line(_ a: (Double, Double), _ b: (Double, Double), _ colour: String, _ w: Double, opacity: Double = 1, dash: String? = nil) -> String {
            let (ax, ay) = px(a), (bx, by) = px(b)
            return "<line x1=\"\(f(ax))\" y1=\"\(f(ay))\" x2=\"\(f(bx))\" y2=\"\(f(by))\" stroke=\"\(colour)\" stroke-width=\"\(f(w))\" stroke-opacity=\"\(f(opacity))\" stroke-linecap=\"round\"" + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>\n"
        }
        func circle(_ c: (Double, Double), _ radius: Double, _ fill: String, opacity: Double = 1) -> String {
            let (cx, cy) = px(c)
            return "<circle cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"\(f(radius))\" fill=\"\(fill)\" fill-opacity=\"\(f(opacity))\"/>\n"
        }
        let height = top + plotH + 78
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        s += text(title, x: 10, y: 24, size: 15, weight: "bold")
        // The scene.
        let segmentColour: String, segmentWidth: Double
        switch style {
        case .pendulum:
            segmentColour = "#cc4d4d"; segmentWidth = 14
        case .cartPole(let xThreshold, let thetaThreshold):
            segmentColour = "#ca9865"; segmentWidth = 10
            s += line((lo.0, 0), (hi.0, 0), "#444444", 1.5)
            for side in [-1.0, 1.0] {
                s += line((side * xThreshold, -0.12), (side * xThreshold, 0.12), "#d7301f", 3)
            }
            s += text("track limit ±\(formatJSONNumber(xThreshold)) m", x: px((xThreshold, 0)).0 - 4, y: px((0, -0.12)).1 + 16, size: 11, anchor: "end", fill: "#d7301f")
            if let thetaThreshold, let cart = r.poses.last?.cart {
                let reach = (hi.1 - 0.1)
                for side in [-1.0, 1.0] {
                    s += line((cart, 0), (cart + reach * sin(side * thetaThreshold), reach * cos(thetaThreshold)), "#d7301f", 1, opacity: 0.6, dash: "4 4")
                }
            }
        case .acrobot(let unitLinks):
            segmentColour = "#00a0a0"; segmentWidth = 12
            s += line((lo.0, 1), (hi.0, 1), "#444444", 1.5, dash: "6 4")
            // The termination test, −cos θ1 − cos(θ1 + θ2) > 1, is the tip above this line only for unit links.
            let goal = unitLinks ? "goal: the tip above this line" : "goal: −cos θ1 − cos(θ1 + θ2) > 1 (the tip above this line for 1 m links)"
            s += text(goal, x: px((hi.0, 1)).0 - 6, y: px((0, 1)).1 - 6, size: 11, anchor: "end")
        }
        // The tip's path, the poses (faint to solid), the joints.
        if r.path.count > 1 {
            let points = r.path.map { p -> String in let (x, y) = px(p); return "\(f(x)),\(f(y))" }.joined(separator: " ")
            s += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"#777777\" stroke-width=\"1.2\" stroke-dasharray=\"3 3\"/>\n"
        }
        for (k, pose) in r.poses.enumerated() {
            let last = k == r.poses.count - 1
            let opacity = last ? 1.0 : 0.1 + 0.25 * Double(k) / Double(max(1, r.poses.count))
            if let cart = pose.cart {
                let (cx, cy) = px((cart, 0))
                s += "<rect x=\"\(f(cx - 30))\" y=\"\(f(cy - 17))\" width=\"60\" height=\"34\" rx=\"3\" fill=\"#333333\" fill-opacity=\"\(f(opacity))\"/>\n"
            }
            for seg in pose.segments { s += line(seg.a, seg.b, segmentColour, segmentWidth, opacity: opacity) }
            if last {
                for seg in pose.segments { s += circle(seg.a, segmentWidth * 0.35, "#8a8ad0") }
                if case .acrobot = style { s += circle(pose.tip, 4, "#333333") }
            }
        }
        // Caption.
        let policy = random ? "random actions" : "zero actions"
        s += text("seed \(request.seed), \(policy), \(r.ended) (faint: earlier poses; dashed: path of the tip)", x: 10, y: top + plotH + 24, size: 12)
        s += text("last state: \(r.state)", x: 10, y: top + plotH + 44, size: 12)
        return s + "</svg>\n"
    }

    static func text(_ s: String, x: Double, y: Double, size: Double, anchor: String = "start", weight: String = "normal", fill: String = "#111111") -> String {
        let escaped = s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        return "<text x=\"\(String(format: "%.1f", x))\" y=\"\(String(format: "%.1f", y))\" font-size=\"\(Int(size))\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" fill=\"\(fill)\">\(escaped)</text>\n"
    }

    static func f3(_ v: Double) -> String {
        let s = String(format: "%.3f", v)
        return s.hasPrefix("-") ? "−" + s.dropFirst() : s
    }
}
