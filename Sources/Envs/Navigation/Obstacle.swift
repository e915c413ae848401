/// One solid thing in an indoor map, as the ray caster sees it: a wall segment (walls, box faces,
/// polygon edges) or a vertical cylinder, standing on the floor up to `height`.
public struct Obstacle: Sendable, Equatable {
    public enum Shape: Sendable, Equatable {
        /// A vertical wall from `a` to `b` (zero thickness; boxes and polygons are their edges).
        case segment(ax: Double, ay: Double, bx: Double, by: Double)
        /// A vertical cylinder (pillars, plants, lamps).
        case cylinder(cx: Double, cy: Double, radius: Double)
    }

    public var shape: Shape
    /// Height of the top above the floor (metres); `.infinity` reaches the ceiling.
    public var height: Double
    /// Linear RGB in [0, 1] before shading.
    public var color: RGB

    public init(_ shape: Shape, height: Double = .infinity, color: RGB) {
        self.shape = shape
        self.height = height
        self.color = color
    }

    /// The axis-aligned bounds `(minX, minY, maxX, maxY)`.
    public var bounds: (Double, Double, Double, Double) {
        switch shape {
        case let .segment(ax, ay, bx, by): return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
        case let .cylinder(cx, cy, r): return (cx - r, cy - r, cx + r, cy + r)
        }
    }
}

/// A colour with three channels in [0, 1].
public struct RGB: Sendable, Equatable {
    public var r: Float, g: Float, b: Float
    public init(_ r: Float, _ g: Float, _ b: Float) { self.r = r; self.g = g; self.b = b }

    /// `#rrggbb`; nil if the text is not of that form.
    public init?(hex: String) {
        guard hex.count == 7, hex.first == "#", let v = UInt32(hex.dropFirst(), radix: 16) else { return nil }
        self.init(Float((v >> 16) & 255) / 255, Float((v >> 8) & 255) / 255, Float(v & 255) / 255)
    }

    /// `#rrggbb`.
    public var hex: String {
        func h(_ x: Float) -> String {
            let v = Int((min(max(x, 0), 1) * 255).rounded())
            return (v < 16 ? "0" : "") + String(v, radix: 16)
        }
        return "#" + h(r) + h(g) + h(b)
    }
}
