import Envs
import Foundation

/// `shoal envs render mpe/…`: a top view of the particle world (SVG): the landmarks, every
/// agent's path from its start (hollow disc) to its last position (filled disc of the agent's
/// radius), over one episode under `--policy random` (the default) or `zero`, from the seed's
/// start state (or `--state`'s, see ``RenderRequest``).
enum ParticleRenderer: TaskRenderer {
    static func canRender(_ id: TaskID) -> Bool { id.family == "mpe" }

    static let colours = ["#3b5bdb", "#e8590c", "#2b8a3e", "#c2255c", "#7048e8", "#1098ad", "#f08c00", "#5c940d"]

    static func render(_ request: RenderRequest) throws {
        guard let task = request.task as? any MultiAgentRegisteredTask else {
            throw CLIError("task \(request.task.id) is not a multi-agent particle task")
        }
        let parameters: SimpleSpread.Parameters
        do {
            parameters = try decodeParameters(SimpleSpread.Parameters.self, from: request.parameters, context: "task \(task.id)")
        } catch { throw CLIError(error.message) }
        let policy = request.policy ?? "random"
        guard policy == "random" || policy == "zero" else {
            throw CLIError("particle tasks render --policy random or zero, not '\(policy)'")
        }
        var env = try task.makeMultiAgentVector([request.parameters], threads: 1)
        var batch = env.reset(seed: request.seed)
        if let state = request.state { try env.setState(try parseStateValues(state), row: 0, into: &batch) }
        let n = parameters.agents, landmarks = parameters.landmarkCount
        var paths = (0..<n).map { i in [(Double(batch.state(0)[4 * i]), Double(batch.state(0)[4 * i + 1]))] }
        var finalState = Array(batch.state(0))
        var g = RandomGenerator(seed: request.seed, index: 1 << 40)
        var returns = [Double](repeating: 0, count: n)
        let steps = request.steps > 0 ? request.steps : 200
        var taken = 0
        for _ in 0..<steps {
            let action = policy == "zero" ? [Float](repeating: 0, count: env.actionCount) : env.actionSpaces.flatMap { sampleAction($0, &g) }
            try env.step(action, into: &batch)
            taken += 1
            let state = Array(batch.ended(0) ? batch.finalState(0) : batch.state(0))
            for i in 0..<n {
                paths[i].append((Double(state[4 * i]), Double(state[4 * i + 1])))
                returns[i] += Double(batch.reward(agent: i, row: 0))
            }
            finalState = state
            if batch.ended(0) { break }
        }
        let landmarkPoints = (0..<landmarks).map { k in (Double(finalState[4 * n + 2 * k]), Double(finalState[4 * n + 2 * k + 1])) }
        let svg = topView(paths: paths, landmarks: landmarkPoints, size: parameters.agentSize, task: task.id.description, steps: taken, returns: returns)
        do { try svg.write(toFile: request.out, atomically: true, encoding: .utf8) } catch {
            throw CLIError("cannot write \(request.out): \(error.localizedDescription)")
        }
        let shown = returns.map { String(format: "%.2f", $0) }.joined(separator: ", ")
        print("\(task.id): \(n) agents, \(landmarks) landmarks, \(taken) steps, returns [\(shown)]; wrote \(request.out)")
    }

    /// The SVG: world coordinates (y up) scaled into a square picture with a margin.
    static func topView(paths: [[(Double, Double)]], landmarks: [(Double, Double)], size: Double, task: String, steps: Int,
                        returns: [Double]) -> String {
        let all = paths.flatMap { $0 } + landmarks
        let extent = max(1.0, all.map { max(abs($0.0), abs($0.1)) }.max() ?? 1) + size + 0.1
        let pixels = 600.0, scale = pixels / (2 * extent)
        func x(_ v: Double) -> String { String(format: "%.2f", (v + extent) * scale) }
        func y(_ v: Double) -> String { String(format: "%.2f", (extent - v) * scale) }
        func r(_ v: Double) -> String { String(format: "%.2f", v * scale) }
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(pixels))" height="\(Int(pixels) + 40)" viewBox="0 0 \(Int(pixels)) \(Int(pixels) + 40)">
        <rect width="\(Int(pixels))" height="\(Int(pixels) + 40)" fill="#ffffff"/>
        <rect x="\(x(-1))" y="\(y(1))" width="\(r(2))" height="\(r(2))" fill="#f8f9fa" stroke="#ced4da" stroke-dasharray="4 4"/>
        <line x1="\(x(-extent))" y1="\(y(0))" x2="\(x(extent))" y2="\(y(0))" stroke="#e9ecef"/>
        <line x1="\(x(0))" y1="\(y(-extent))" x2="\(x(0))" y2="\(y(extent))" stroke="#e9ecef"/>

        """
        for (k, l) in landmarks.enumerated() {
            s += "<circle cx=\"\(x(l.0))\" cy=\"\(y(l.1))\" r=\"\(r(0.1))\" fill=\"none\" stroke=\"#868e96\" stroke-dasharray=\"3 3\"/>\n"
            s += "<g><title>landmark \(k)</title><circle cx=\"\(x(l.0))\" cy=\"\(y(l.1))\" r=\"\(r(0.05))\" fill=\"#343a40\"/></g>\n"
        }
        for (i, path) in paths.enumerated() {
            let c = colours[i % colours.count]
            let points = path.map { "\(x($0.0)),\(y($0.1))" }.joined(separator: " ")
            s += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\" stroke-opacity=\"0.8\"/>\n"
            let start = path[0], end = path[path.count - 1]
            s += "<circle cx=\"\(x(start.0))\" cy=\"\(y(start.1))\" r=\"\(r(size))\" fill=\"none\" stroke=\"\(c)\" stroke-opacity=\"0.6\" stroke-dasharray=\"2 2\"/>\n"
            s += "<g><title>agent_\(i)</title><circle cx=\"\(x(end.0))\" cy=\"\(y(end.1))\" r=\"\(r(size))\" fill=\"\(c)\" fill-opacity=\"0.55\" stroke=\"\(c)\"/></g>\n"
            s += "<text x=\"\(x(end.0))\" y=\"\(y(end.1))\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"middle\" dominant-baseline=\"middle\" fill=\"#ffffff\">\(i)</text>\n"
        }
        let shown = returns.map { String(format: "%.2f", $0) }.joined(separator: ", ")
        s += "<text x=\"10\" y=\"\(Int(pixels) + 16)\" font-family=\"sans-serif\" font-size=\"13\" fill=\"#212529\">\(task): \(paths.count) agents, \(landmarks.count) landmarks, \(steps) steps</text>\n"
        s += "<text x=\"10\" y=\"\(Int(pixels) + 33)\" font-family=\"sans-serif\" font-size=\"13\" fill=\"#212529\">returns [\(shown)]; square: the start area [−1, 1]²; rings: 0.1 around landmarks</text>\n"
        s += "</svg>\n"
        return s
    }
}
