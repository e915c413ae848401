#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An indoor world for ``IndoorNavigation``: a closed outer wall, interior walls, furniture
/// (boxes and cylinders), a palette, a light, the floor and ceiling heights and the start poses.
///
/// Maps are data (`Assets/maps/indoor/*.json`, decoded strictly by
/// ``IndoorMap/decode(_:file:)``); this value is the compiled form: every solid thing as an
/// ``Obstacle`` bucketed into an ``ObstacleGrid`` for ray casting. It is immutable and shared by
/// every copy of a batch (copy-on-write arrays, never written after `init`).
public struct IndoorMap: Sendable {
    /// A start pose: position (m), heading `yaw` (rad, counter-clockwise from +x) and height `z`.
    public struct Pose: Sendable, Equatable {
        public var x: Double, y: Double, yaw: Double, z: Double
        public init(x: Double, y: Double, yaw: Double, z: Double) { self.x = x; self.y = y; self.yaw = yaw; self.z = z }
    }

    /// What a ray met: the nearest full-height obstacle and the nearest lower one in front of it.
    public struct RayHit: Sendable, Equatable {
        /// Distance to the first obstacle reaching the ceiling (`maxDistance` if none within range).
        public var distance: Double
        /// Its index in ``IndoorMap/obstacles`` (−1: nothing within range).
        public var obstacle: Int32
        /// Distance to the nearest lower obstacle (furniture) before `distance` (`.infinity`: none).
        public var lowDistance: Double
        public var lowObstacle: Int32
    }

    public let name: String
    public let summary: String
    /// The outer wall, vertices in order (its edges are also in ``obstacles``).
    public let boundary: [(x: Double, y: Double)]
    public let obstacles: [Obstacle]
    public let grid: ObstacleGrid
    public let floorZ: Double
    public let ceilingZ: Double
    public let floorColor: RGB
    public let ceilingColor: RGB
    /// Overall brightness in [0, 1].
    public let lightLevel: Double
    /// Azimuth the light comes from (rad, counter-clockwise from +x).
    public let lightAzimuth: Double
    /// Distance (m) at which surfaces are shaded to half brightness.
    public let lightFalloff: Double
    public let starts: [Pose]
    /// Closed shapes (boxes, polygons) with their heights: a point inside one is inside an
    /// obstacle even far from its edges (``isInsideSolid(x:y:z:)``).
    public let solids: [(points: [(x: Double, y: Double)], height: Double)]
    /// Per grid entry (parallel to `grid.cellItems`): the obstacle's geometry, `(ax, ay, bx, by)`
    /// or `(cx, cy, r, 0)`, and its kind (bit 1: cylinder, bit 0: lower than the ceiling), so the
    /// ray loop reads contiguous memory and decodes no enum.
    let entryGeometry: [SIMD4<Double>]
    let entryKind: [UInt8]
    /// Per obstacle: ambient + diffuse brightness of a segment (constant along it), `light(n)`.
    let segmentLight: [Float]

    public init(name: String, summary: String, boundary: [(x: Double, y: Double)], obstacles: [Obstacle],
                floorZ: Double, ceilingZ: Double, floorColor: RGB, ceilingColor: RGB,
                lightLevel: Double, lightAzimuth: Double, lightFalloff: Double, starts: [Pose],
                solids: [(points: [(x: Double, y: Double)], height: Double)] = []) {
        self.solids = solids
        self.name = name
        self.summary = summary
        self.boundary = boundary
        self.obstacles = obstacles
        self.floorZ = floorZ
        self.ceilingZ = ceilingZ
        self.floorColor = floorColor
        self.ceilingColor = ceilingColor
        self.lightLevel = lightLevel
        self.lightAzimuth = lightAzimuth
        self.lightFalloff = lightFalloff
        self.starts = starts
        var b = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
        for o in obstacles {
            let ob = o.bounds
            b = (min(b.0, ob.0), min(b.1, ob.1), max(b.2, ob.2), max(b.3, ob.3))
        }
        if !b.0.isFinite { b = (0, 0, 1, 1) }
        grid = ObstacleGrid(obstacles: obstacles, bounds: b, cellSize: 2)
        let fullHeight = ceilingZ - floorZ
        var geometry: [SIMD4<Double>] = [], kinds: [UInt8] = []
        for index in grid.cellItems {
            let o = obstacles[Int(index)]
            let low: UInt8 = o.height >= fullHeight ? 0 : 1
            switch o.shape {
            case let .segment(ax, ay, bx, by): geometry.append(SIMD4(ax, ay, bx, by)); kinds.append(low)
            case let .cylinder(cx, cy, r): geometry.append(SIMD4(cx, cy, r, 0)); kinds.append(2 | low)
            }
        }
        entryGeometry = geometry
        entryKind = kinds
        let lx = cos(lightAzimuth), ly = sin(lightAzimuth)
        segmentLight = obstacles.map { o in
            guard case let .segment(ax, ay, bx, by) = o.shape else { return 1 }
            let ex = bx - ax, ey = by - ay
            let len = (ex * ex + ey * ey).squareRoot()
            let lambert = len > 0 ? abs((-ey * lx + ex * ly) / len) : 0
            return Float(diffuseLight(lambert))
        }
    }

    /// Whether an obstacle reaches the ceiling (walls) rather than standing below it (furniture).
    @inline(__always)
    public func isFullHeight(_ o: Obstacle) -> Bool { o.height >= ceilingZ - floorZ }

    /// Casts a horizontal ray from `(x, y)` along the unit direction `(dx, dy)`.
    ///
    /// Walks the grid cells the ray crosses (Amanatides & Woo 1987) and tests the obstacles listed
    /// in each; stops at the first full-height hit that lies inside the current cell, or past
    /// `maxDistance`. Allocates nothing.
    
    public func castRay(x: Double, y: Double, dx: Double, dy: Double, maxDistance: Double) -> RayHit {
        var hit = RayHit(distance: maxDistance, obstacle: -1, lowDistance: .infinity, lowObstacle: -1)
        let g = grid
        let cs = g.cellSize
        var i = Int(((x - g.originX) / cs).rounded(.down))
        var j = Int(((y - g.originY) / cs).rounded(.down))
        guard i >= 0, j >= 0, i < g.columns, j < g.rows else { return hit }
        let stepI = dx > 0 ? 1 : -1, stepJ = dy > 0 ? 1 : -1
        var tMaxX = dx != 0 ? ((g.originX + Double(i + (dx > 0 ? 1 : 0)) * cs) - x) / dx : .infinity
        var tMaxY = dy != 0 ? ((g.originY + Double(j + (dy > 0 ? 1 : 0)) * cs) - y) / dy : .infinity
        let tDeltaX = dx != 0 ? cs / abs(dx) : .infinity
        let tDeltaY = dy != 0 ? cs / abs(dy) : .infinity
        g.cellStart.withUnsafeBufferPointer { start in
        entryGeometry.withUnsafeBufferPointer { geometry in
        entryKind.withUnsafeBufferPointer { kinds in
            while true {
                let k = j * g.columns + i
                for n in Int(start[k])..<Int(start[k + 1]) {
                    let e = geometry[n], kind = kinds[n]
                    let t: Double
                    if kind & 2 == 0 {
                        // raySegmentDistance with one division, taken only for a hit.
                        let ex = e.z - e.x, ey = e.w - e.y
                        let denom = dx * ey - dy * ex
                        let wx = e.x - x, wy = e.y - y
                        let tn = wx * ey - wy * ex, sn = wx * dy - wy * dx
                        if denom > 0 {
                            if tn < 0 || sn < 0 || sn > denom { continue }
                        } else if denom < 0 {
                            if tn > 0 || sn > 0 || sn < denom { continue }
                        } else {
                            continue
                        }
                        t = tn / denom
                    } else {
                        t = rayCircleDistance(ox: x, oy: y, dx: dx, dy: dy, cx: e.x, cy: e.y, r: e.z)
                    }
                    if kind & 1 == 0 {
                        if t < hit.distance { hit.distance = t; hit.obstacle = g.cellItems[n] }
                    } else if t < hit.lowDistance {
                        hit.lowDistance = t; hit.lowObstacle = g.cellItems[n]
                    }
                }
                let tExit = min(tMaxX, tMaxY)
                if hit.distance <= tExit || tExit >= maxDistance { break }
                if tMaxX < tMaxY { i += stepI; tMaxX += tDeltaX } else { j += stepJ; tMaxY += tDeltaY }
                if i < 0 || j < 0 || i >= g.columns || j >= g.rows { break }
            }
        }
        }
        }
        if hit.lowDistance >= hit.distance { hit.lowDistance = .infinity; hit.lowObstacle = -1 }
        return hit
    }

    /// Whether a drone (a sphere of `radius` at height `z`, seen from above as a disc) touches an
    /// obstacle's edge, the floor or the ceiling. Furniture below `z − radius` is flown over.
    
    public func collides(x: Double, y: Double, z: Double, radius: Double) -> Bool {
        if z - radius < floorZ || z + radius > ceilingZ { return true }
        let g = grid
        let cs = g.cellSize
        let i0 = max(0, Int(((x - radius - g.originX) / cs).rounded(.down)))
        let i1 = min(g.columns - 1, Int(((x + radius - g.originX) / cs).rounded(.down)))
        let j0 = max(0, Int(((y - radius - g.originY) / cs).rounded(.down)))
        let j1 = min(g.rows - 1, Int(((y + radius - g.originY) / cs).rounded(.down)))
        if i0 > i1 || j0 > j1 { return true }
        let r2 = radius * radius
        for j in j0...j1 {
            for i in i0...i1 {
                let k = j * g.columns + i
                for n in Int(g.cellStart[k])..<Int(g.cellStart[k + 1]) {
                    let o = obstacles[Int(g.cellItems[n])]
                    if z - radius >= floorZ + o.height { continue }
                    switch o.shape {
                    case let .segment(ax, ay, bx, by):
                        if pointSegmentDistanceSquared(px: x, py: y, ax: ax, ay: ay, bx: bx, by: by) < r2 { return true }
                    case let .cylinder(cx, cy, r):
                        let ddx = x - cx, ddy = y - cy
                        if ddx * ddx + ddy * ddy < (r + radius) * (r + radius) { return true }
                    }
                }
            }
        }
        return false
    }

    /// Whether a point at height `z` lies inside a box or polygon (flight cannot enter one without
    /// touching an edge, which ``collides(x:y:z:radius:)`` detects; this is for placed poses).
    public func isInsideSolid(x: Double, y: Double, z: Double) -> Bool {
        solids.contains { z < floorZ + $0.height && pointInPolygon(x: x, y: y, $0.points) }
    }

    /// Whether `(x, y)` lies inside the outer wall.
    public func isInside(x: Double, y: Double) -> Bool { pointInPolygon(x: x, y: y, boundary) }

    /// Brightness of a surface at `distance` metres whose diffuse factor is `light`:
    /// `level · light / (1 + (distance / falloff)²)`.
    @inline(__always)
    public func shade(_ light: Float, distance: Double) -> Float {
        let q = distance / lightFalloff
        return Float(lightLevel / (1 + q * q)) * light
    }
}

/// Ambient plus Lambert diffuse brightness of a vertical surface, `0.45 + 0.55·|n·l|`, where
/// `|n·l|` is the cosine between the surface normal and the horizontal light direction.
@inline(__always)
public func diffuseLight(_ cosine: Double) -> Double { 0.45 + 0.55 * min(max(cosine, 0), 1) }
