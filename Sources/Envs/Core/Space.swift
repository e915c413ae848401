/// The set of valid observations or actions of *one* environment copy.
///
/// Batches are flat `[Float]` buffers of `count × size` values. A discrete action is stored as
/// the float of its index (`2.0` for action 2): one buffer type serves every task.
public enum Space: Equatable, Sendable, CustomStringConvertible {
    /// Real vectors (or images, by `shape`) with element-wise bounds; infinite bounds are allowed.
    case box(Box)
    /// The integers `0..<n`.
    case discrete(Int)

    /// A box of the given bounds, shaped as a vector.
    public static func box(low: [Float], high: [Float]) -> Space {
        .box(Box(low: low, high: high))
    }

    /// Floats per row: the product of the box shape, or 1 for a discrete space.
    @inlinable public var size: Int {
        switch self {
        case .box(let box): return box.low.count
        case .discrete: return 1
        }
    }

    public var isDiscrete: Bool {
        if case .discrete = self { return true }
        return false
    }

    /// Whether `row` (of ``size`` floats) lies in the space.
    public func contains(_ row: UnsafeBufferPointer<Float>) -> Bool {
        guard row.count == size else { return false }
        switch self {
        case .discrete(let n):
            let v = row[0]
            return v == v.rounded() && v >= 0 && v < Float(n)
        case .box(let box):
            for i in 0..<row.count where !(row[i] >= box.low[i] && row[i] <= box.high[i]) { return false }
            return true
        }
    }

    public var description: String {
        switch self {
        case .discrete(let n): return "Discrete(\(n))"
        case .box(let box): return "Box(\(box.shape.map(String.init).joined(separator: "×")))"
        }
    }

    /// A JSON-friendly description: `{"type": "discrete", "n": 3}` or
    /// `{"type": "box", "shape": […], "low": […], "high": […]}` (infinite bounds as strings).
    public var jsonObject: [String: Any] {
        switch self {
        case .discrete(let n): return ["type": "discrete", "n": n]
        case .box(let box):
            func enc(_ v: Float) -> Any { v.isFinite ? Double(v) : (v > 0 ? "inf" : "-inf") }
            return ["type": "box", "shape": box.shape, "low": box.low.map(enc), "high": box.high.map(enc)]
        }
    }
}

/// Element-wise bounds of a real-valued space, with a shape for images (row-major).
public struct Box: Equatable, Sendable {
    public var low: [Float]
    public var high: [Float]
    public var shape: [Int]

    public init(low: [Float], high: [Float], shape: [Int]? = nil) {
        precondition(low.count == high.count, "Box bounds of different lengths")
        self.low = low
        self.high = high
        self.shape = shape ?? [low.count]
        precondition(self.shape.reduce(1, *) == low.count, "Box shape does not match its bounds")
    }

    /// A box whose every element has the same bounds.
    public init(shape: [Int], low: Float, high: Float) {
        let n = shape.reduce(1, *)
        self.init(low: [Float](repeating: low, count: n), high: [Float](repeating: high, count: n), shape: shape)
    }
}
