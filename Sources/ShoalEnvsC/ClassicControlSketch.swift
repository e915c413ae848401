import Envs
import Foundation

/// A schematic SVG of a classic-control copy, drawn from its observation alone (what the C
/// interface can see of every batch): the cart and pole, the pendulum, the acrobot's two links.
/// Angles follow Gymnasium's conventions (0 is upright for cart-pole and pendulum, hanging down
/// for the acrobot's first link).
enum ClassicControlSketch {
    static let size = 240.0

    /// The picture, or nil when the task's family is not one this sketch draws.
    static func svg(task: String, observation o: [Float]) -> String? {
        guard let id = TaskID(task) else { return nil }
        let c = size / 2
        var body = ""
        switch (id.family, o.count) {
        case ("cart-pole", 4), ("cart-pole", 5):
            let x = Double(o[0])
            let theta = o.count == 4 ? Double(o[2]) : atan2(Double(o[3]), Double(o[2]))
            let scale = size / 4.8, cartX = c + x * scale, cartY = c + 20, pole = 80.0
            body += line(0, cartY + 12, size, cartY + 12, "#999", 2)
            body += "<rect x=\"\(f(cartX - 20))\" y=\"\(f(cartY - 10))\" width=\"40\" height=\"20\" fill=\"#333\"/>"
            body += line(cartX, cartY, cartX + pole * sin(theta), cartY - pole * cos(theta), "#c83", 6)
        case ("pendulum", 3):
            let theta = atan2(Double(o[1]), Double(o[0]))
            body += line(c, c, c + 90 * sin(theta), c - 90 * cos(theta), "#c33", 10)
            body += "<circle cx=\"\(f(c))\" cy=\"\(f(c))\" r=\"5\" fill=\"#000\"/>"
        case ("acrobot", 6):
            let t1 = atan2(Double(o[1]), Double(o[0])), t2 = atan2(Double(o[3]), Double(o[2]))
            let l = 55.0
            let x1 = c + l * sin(t1), y1 = c + l * cos(t1)
            let x2 = x1 + l * sin(t1 + t2), y2 = y1 + l * cos(t1 + t2)
            body += line(c - 110, c - l, c + 110, c - l, "#999", 1)
            body += line(c, c, x1, y1, "#039", 8) + line(x1, y1, x2, y2, "#039", 8)
            body += "<circle cx=\"\(f(c))\" cy=\"\(f(c))\" r=\"4\" fill=\"#cc0\"/>"
        default:
            return nil
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(size))\" height=\"\(f(size))\" viewBox=\"0 0 \(f(size)) \(f(size))\">"
            + "<title>\(task)</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>" + body + "</svg>"
    }

    private static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ color: String, _ width: Double) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(color)\" stroke-width=\"\(f(width))\" stroke-linecap=\"round\"/>"
    }

    private static func f(_ v: Double) -> String { String(format: "%.2f", v.isFinite ? v : 0) }
}
