/// A uniform grid over a map's obstacles: cell `(i, j)` lists every obstacle whose bounds touch
/// it, so a ray visits only the obstacles of the cells it crosses (Amanatides & Woo 1987 traversal
/// in ``IndoorMap/castRay(x:y:angle:maxDistance:)``).
public struct ObstacleGrid: Sendable {
    public let originX: Double
    public let originY: Double
    /// Side of a square cell (metres).
    public let cellSize: Double
    public let columns: Int
    public let rows: Int
    /// `cellStart[k]..<cellStart[k + 1]` indexes `cellItems` for cell `k = j·columns + i`.
    let cellStart: [Int32]
    let cellItems: [Int32]

    /// Buckets `obstacles` into cells of side `cellSize` covering `bounds` (minX, minY, maxX, maxY).
    public init(obstacles: [Obstacle], bounds: (Double, Double, Double, Double), cellSize: Double = 1) {
        let margin = cellSize
        originX = bounds.0 - margin
        originY = bounds.1 - margin
        self.cellSize = cellSize
        columns = max(1, Int(((bounds.2 - bounds.0 + 2 * margin) / cellSize).rounded(.up)))
        rows = max(1, Int(((bounds.3 - bounds.1 + 2 * margin) / cellSize).rounded(.up)))
        var lists = [[Int32]](repeating: [], count: columns * rows)
        for (index, o) in obstacles.enumerated() {
            let b = o.bounds
            let i0 = max(0, Int(((b.0 - originX) / cellSize).rounded(.down)))
            let i1 = min(columns - 1, Int(((b.2 - originX) / cellSize).rounded(.down)))
            let j0 = max(0, Int(((b.1 - originY) / cellSize).rounded(.down)))
            let j1 = min(rows - 1, Int(((b.3 - originY) / cellSize).rounded(.down)))
            if i0 > i1 || j0 > j1 { continue }
            for j in j0...j1 {
                for i in i0...i1 where Self.touches(o, cellX: originX + Double(i) * cellSize, cellY: originY + Double(j) * cellSize, size: cellSize) {
                    lists[j * columns + i].append(Int32(index))
                }
            }
        }
        var start: [Int32] = [0]
        var items: [Int32] = []
        for l in lists { items += l; start.append(Int32(items.count)) }
        cellStart = start
        cellItems = items
    }

    /// Conservative test: the obstacle may touch the square cell (a segment is tested against the
    /// cell inflated by a hair, so grazing rays never miss it).
    static func touches(_ o: Obstacle, cellX: Double, cellY: Double, size: Double) -> Bool {
        switch o.shape {
        case let .cylinder(cx, cy, r):
            let qx = min(max(cx, cellX), cellX + size), qy = min(max(cy, cellY), cellY + size)
            return (qx - cx) * (qx - cx) + (qy - cy) * (qy - cy) <= r * r + 1e-9
        case let .segment(ax, ay, bx, by):
            // Distance from the cell centre to the segment against the half diagonal.
            let h = size / 2
            let d2 = pointSegmentDistanceSquared(px: cellX + h, py: cellY + h, ax: ax, ay: ay, bx: bx, by: by)
            return d2 <= 2 * h * h + 1e-6
        }
    }
}
