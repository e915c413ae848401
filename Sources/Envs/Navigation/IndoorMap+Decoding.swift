import Foundation

/// The map file format (`Assets/maps/indoor/*.json`). Lengths in metres, angles in degrees
/// (counter-clockwise from +x), colours `#rrggbb`:
///
/// ```json
/// {
///   "name": "long", "summary": "a long corridor",
///   "floor_z": 0, "ceiling_z": 3,
///   "colors": {"wall": "#c8b89a", "floor": "#6b5a48", "ceiling": "#e8e4da"},
///   "light": {"level": 0.9, "azimuth_degrees": 30, "falloff": 14},
///   "boundary": [[0, 0], [60, 0], [60, 4], [0, 4], [0, 0]],
///   "walls": [{"from": [10, 0], "to": [10, 1], "color": "#aa9977"}],
///   "polygons": [{"points": [[20, 1], [22, 1], [22, 2], [20, 1]], "height": 1.0}],
///   "boxes": [{"center": [30, 3], "size": [2, 0.6], "angle_degrees": 0, "height": 0.8, "color": "#553322"}],
///   "cylinders": [{"center": [40, 2], "radius": 0.3, "color": "#336633"}],
///   "start_poses": [{"x": 2, "y": 2, "yaw_degrees": 0, "z": 1.5}]
/// }
/// ```
///
/// `boundary` and every polygon must be closed (the last vertex repeats the first); `walls`,
/// `polygons`, `boxes` and `cylinders` are optional; `color` defaults to the wall colour and
/// `height` to the ceiling. Every start pose must lie inside the boundary with
/// ``IndoorMap/startClearance`` metres free around it. Unknown keys are errors.
///
/// Limits: coordinates within ±``IndoorMap/coordinateLimit`` m; the boundary a simple polygon
/// (no edge crossing or touching another) of at most ``IndoorMap/boundaryPointLimit`` points;
/// every wall end, polygon point, box corner and cylinder centre inside the boundary or on it;
/// and the obstacle grid the boundary implies (a cell every 2 m) within ``MemoryBudget``.
extension IndoorMap {
    /// Largest absolute coordinate (m) of any point of a map file.
    public static let coordinateLimit = 100_000.0
    /// Most points a boundary may have (its self-intersection check is quadratic).
    public static let boundaryPointLimit = 4096

    /// Free space (m) a start pose needs around it.
    public static let startClearance = 0.25

    /// Reads and decodes a map file; errors name the file (and line and column for syntax errors).
    public static func load(contentsOf url: URL) throws(IndoorMapError) -> IndoorMap {
        let file = url.lastPathComponent
        let text: String
        do { text = try TextFile.read(url.path) } catch {
            throw IndoorMapError("cannot read map file \(error.path): \(error.reason)")
        }
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw IndoorMapError("map file \(file) is not valid JSON: \(error)") }
        return try decode(json, file: file)
    }

    /// Decodes a parsed map document strictly; `file` starts every error message.
    public static func decode(_ json: JSONValue, file: String) throws(IndoorMapError) -> IndoorMap {
        let top = MapReader(json, path: "", file: file)
        try top.allow(["name", "summary", "floor_z", "ceiling_z", "colors", "light", "boundary", "walls", "polygons",
                       "boxes", "cylinders", "start_poses"])
        let name = try top.string("name")
        let summary = try top.optional("summary") { r throws(IndoorMapError) in try r.asString() } ?? ""
        let floorZ = try top.number("floor_z")
        let ceilingZ = try top.number("ceiling_z")
        guard ceilingZ - floorZ >= 1 else { throw top.error("ceiling_z", "must be at least 1 m above floor_z") }

        let colors = try top.child("colors")
        try colors.allow(["wall", "floor", "ceiling"])
        let wall = try colors.color("wall"), floor = try colors.color("floor"), ceiling = try colors.color("ceiling")

        let light = try top.child("light")
        try light.allow(["level", "azimuth_degrees", "falloff"])
        let level = try light.number("level", in: 0...1)
        let azimuth = try light.number("azimuth_degrees") * .pi / 180
        let falloff = try light.number("falloff", in: 0.1...1000)

        var obstacles: [Obstacle] = []
        var solids: [(points: [(x: Double, y: Double)], height: Double)] = []
        let boundaryReader = try top.child("boundary")
        let boundary = try boundaryReader.closedPolygon()
        guard boundary.count <= IndoorMap.boundaryPointLimit else {
            throw boundaryReader.error(nil, "has \(boundary.count) points; at most \(IndoorMap.boundaryPointLimit) are allowed")
        }
        if let crossing = firstSelfIntersection(boundary) {
            throw boundaryReader.error(nil, "intersects itself: edge \(crossing.0) crosses edge \(crossing.1); a boundary must be a simple polygon")
        }
        let outline = boundary.map { (x: $0.0, y: $0.1) }
        /// Throws unless `point` lies inside the boundary or on it.
        func requireInside(_ point: (Double, Double), _ reader: MapReader, _ what: String) throws(IndoorMapError) {
            guard pointInPolygon(x: point.0, y: point.1, outline) || distanceToPolygon(point, boundary) <= 1e-9 else {
                throw reader.error(nil, "\(what) (\(formatJSONNumber(point.0)), \(formatJSONNumber(point.1))) lies outside the boundary")
            }
        }
        // The obstacle grid has a cell every 2 m over the map: its size is checked before it is built.
        let xs = boundary.map(\.0), ys = boundary.map(\.1)
        let cells = ((xs.max()! - xs.min()! + 8) / 2).rounded(.up) * ((ys.max()! - ys.min()! + 8) / 2).rounded(.up)
        do {
            try MemoryBudget.standard.check(cells * 64, for: "map file \(file): a boundary of \(formatJSONNumber(xs.max()! - xs.min()!)) × \(formatJSONNumber(ys.max()! - ys.min()!)) m (\(Int(cells)) grid cells)")
        } catch { throw IndoorMapError(error.description) }
        for e in polygonEdges(boundary) { obstacles.append(Obstacle(.segment(ax: e.0, ay: e.1, bx: e.2, by: e.3), color: wall)) }

        for w in try top.list("walls") {
            try w.allow(["from", "to", "color", "height"])
            let a = try w.point("from"), b = try w.point("to")
            guard a != b else { throw w.error("to", "must differ from 'from' (a wall needs a length)") }
            try requireInside(a, w, "its end 'from'")
            try requireInside(b, w, "its end 'to'")
            let height = try w.optional("height") { r throws(IndoorMapError) in try r.asNumber(in: 0.05...1000) } ?? .infinity
            obstacles.append(Obstacle(.segment(ax: a.0, ay: a.1, bx: b.0, by: b.1), height: height, color: try w.optionalColor("color") ?? wall))
        }
        for p in try top.list("polygons") {
            try p.allow(["points", "color", "height"])
            let points = try p.child("points").closedPolygon()
            for point in points { try requireInside(point, p, "the point") }
            let height = try p.optional("height") { r throws(IndoorMapError) in try r.asNumber(in: 0.05...1000) } ?? .infinity
            let color = try p.optionalColor("color") ?? wall
            solids.append((points.map { (x: $0.0, y: $0.1) }, height))
            for e in polygonEdges(points) { obstacles.append(Obstacle(.segment(ax: e.0, ay: e.1, bx: e.2, by: e.3), height: height, color: color)) }
        }
        for b in try top.list("boxes") {
            try b.allow(["center", "size", "angle_degrees", "height", "color"])
            let c = try b.point("center")
            let size = try b.point("size")
            guard size.0 > 0, size.1 > 0 else { throw b.error("size", "must be [width, depth] with both positive") }
            let angle = (try b.optional("angle_degrees") { r throws(IndoorMapError) in try r.asNumber() } ?? 0) * .pi / 180
            let height = try b.optional("height") { r throws(IndoorMapError) in try r.asNumber(in: 0.05...1000) } ?? .infinity
            let color = try b.optionalColor("color") ?? wall
            let ux = cos(angle), uy = sin(angle)
            let hw = size.0 / 2, hd = size.1 / 2
            let corners = [(-hw, -hd), (hw, -hd), (hw, hd), (-hw, hd)].map { (c.0 + $0.0 * ux - $0.1 * uy, c.1 + $0.0 * uy + $0.1 * ux) }
            for corner in corners { try requireInside(corner, b, "the corner") }
            solids.append((corners.map { (x: $0.0, y: $0.1) }, height))
            for k in 0..<4 {
                let a = corners[k], e = corners[(k + 1) % 4]
                obstacles.append(Obstacle(.segment(ax: a.0, ay: a.1, bx: e.0, by: e.1), height: height, color: color))
            }
        }
        for c in try top.list("cylinders") {
            try c.allow(["center", "radius", "height", "color"])
            let p = try c.point("center")
            let r = try c.number("radius", in: 0.01...100)
            try requireInside(p, c, "the centre")
            let height = try c.optional("height") { r throws(IndoorMapError) in try r.asNumber(in: 0.05...1000) } ?? .infinity
            obstacles.append(Obstacle(.cylinder(cx: p.0, cy: p.1, radius: r), height: height, color: try c.optionalColor("color") ?? wall))
        }

        var starts: [Pose] = []
        let startReaders = try top.list("start_poses")
        guard !startReaders.isEmpty else { throw top.error("start_poses", "must list at least one start pose") }
        let poly = boundary.map { (x: $0.0, y: $0.1) }
        for s in startReaders {
            try s.allow(["x", "y", "yaw_degrees", "z"])
            let pose = Pose(x: try s.number("x"), y: try s.number("y"), yaw: try s.number("yaw_degrees") * .pi / 180,
                            z: try s.optional("z") { r throws(IndoorMapError) in try r.asNumber() } ?? (floorZ + ceilingZ) / 2)
            starts.append(pose)
        }
        let map = IndoorMap(name: name, summary: summary, boundary: poly, obstacles: obstacles, floorZ: floorZ, ceilingZ: ceilingZ,
                            floorColor: floor, ceilingColor: ceiling, lightLevel: level, lightAzimuth: azimuth,
                            lightFalloff: falloff, starts: starts, solids: solids)
        for (k, s) in starts.enumerated() {
            let at = "(\(formatJSONNumber(s.x)), \(formatJSONNumber(s.y)), z \(formatJSONNumber(s.z)))"
            guard map.isInside(x: s.x, y: s.y) else {
                throw IndoorMapError("map file \(file): field start_poses[\(k)]: the pose \(at) lies outside the boundary")
            }
            guard !map.collides(x: s.x, y: s.y, z: s.z, radius: startClearance), !map.isInsideSolid(x: s.x, y: s.y, z: s.z) else {
                throw IndoorMapError("map file \(file): field start_poses[\(k)]: the pose \(at) lies inside an obstacle (or within \(formatJSONNumber(startClearance)) m of one, the floor or the ceiling)")
            }
        }
        return map
    }
}

/// The edges `(ax, ay, bx, by)` of a closed polygon whose last vertex repeats the first.
/// The first pair of non-adjacent edges of the closed polygon `points` (first point repeated
/// last) that touch or cross, as edge indices; nil for a simple polygon. O(edges²).
func firstSelfIntersection(_ points: [(Double, Double)]) -> (Int, Int)? {
    let edges = polygonEdges(points)
    let m = edges.count
    guard m >= 4 else { return nil }
    func orientation(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, _ cx: Double, _ cy: Double) -> Double {
        (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
    }
    func onSegment(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, _ px: Double, _ py: Double) -> Bool {
        min(ax, bx) <= px && px <= max(ax, bx) && min(ay, by) <= py && py <= max(ay, by)
    }
    for i in 0..<m {
        let e = edges[i]
        for j in (i + 2)..<max(m, i + 2) where !(i == 0 && j == m - 1) {
            let f = edges[j]
            let d1 = orientation(f.0, f.1, f.2, f.3, e.0, e.1), d2 = orientation(f.0, f.1, f.2, f.3, e.2, e.3)
            let d3 = orientation(e.0, e.1, e.2, e.3, f.0, f.1), d4 = orientation(e.0, e.1, e.2, e.3, f.2, f.3)
            if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return (i, j) }
            if d1 == 0 && onSegment(f.0, f.1, f.2, f.3, e.0, e.1) { return (i, j) }
            if d2 == 0 && onSegment(f.0, f.1, f.2, f.3, e.2, e.3) { return (i, j) }
            if d3 == 0 && onSegment(e.0, e.1, e.2, e.3, f.0, f.1) { return (i, j) }
            if d4 == 0 && onSegment(e.0, e.1, e.2, e.3, f.2, f.3) { return (i, j) }
        }
    }
    return nil
}

/// The distance from `p` to the nearest edge of the closed polygon `points`.
func distanceToPolygon(_ p: (Double, Double), _ points: [(Double, Double)]) -> Double {
    var best = Double.infinity
    for e in polygonEdges(points) {
        let ex = e.2 - e.0, ey = e.3 - e.1
        let len2 = ex * ex + ey * ey
        let t = len2 > 0 ? max(0, min(1, ((p.0 - e.0) * ex + (p.1 - e.1) * ey) / len2)) : 0
        let dx = p.0 - (e.0 + t * ex), dy = p.1 - (e.1 + t * ey)
        best = min(best, (dx * dx + dy * dy).squareRoot())
    }
    return best
}

func polygonEdges(_ points: [(Double, Double)]) -> [(Double, Double, Double, Double)] {
    (0..<(points.count - 1)).map { (points[$0].0, points[$0].1, points[$0 + 1].0, points[$0 + 1].1) }
}

/// A cursor into a map document that knows its path (`boxes[2].size`) for error messages.
struct MapReader {
    let value: JSONValue
    let path: String
    let file: String

    init(_ value: JSONValue, path: String, file: String) { self.value = value; self.path = path; self.file = file }

    func sub(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String?, _ problem: String) -> IndoorMapError {
        let field = key.map(sub) ?? path
        return IndoorMapError("map file \(file): field \(field.isEmpty ? "(top level)" : field) \(problem)")
    }

    func allow(_ keys: [String]) throws(IndoorMapError) {
        guard let pairs = value.objectPairs else { throw error(nil, "must be a JSON object, not \(value.typeName)") }
        for (k, _) in pairs where !keys.contains(k) {
            var message = "is unknown"
            if let g = closestName(to: k, among: keys) { message += "; did you mean '\(g)'?" }
            throw error(k, message + " Valid fields here: \(keys.joined(separator: ", ")).")
        }
    }

    func child(_ key: String) throws(IndoorMapError) -> MapReader {
        guard let v = value[key] else { throw error(key, "is required") }
        return MapReader(v, path: sub(key), file: file)
    }

    func optional<T>(_ key: String, _ read: (MapReader) throws(IndoorMapError) -> T) throws(IndoorMapError) -> T? {
        guard let v = value[key] else { return nil }
        return try read(MapReader(v, path: sub(key), file: file))
    }

    func list(_ key: String) throws(IndoorMapError) -> [MapReader] {
        guard let v = value[key] else { return [] }
        guard let items = v.arrayValue else { throw error(key, "must be a list, not \(v.typeName)") }
        return items.enumerated().map { MapReader($0.element, path: "\(sub(key))[\($0.offset)]", file: file) }
    }

    func asNumber(in range: ClosedRange<Double>? = nil) throws(IndoorMapError) -> Double {
        guard let v = value.doubleValue, v.isFinite else { throw error(nil, "must be a number, not \(value.typeName)") }
        if let range, !range.contains(v) {
            throw error(nil, "is \(formatJSONNumber(v)), outside [\(formatJSONNumber(range.lowerBound)), \(formatJSONNumber(range.upperBound))]")
        }
        return v
    }

    func asString() throws(IndoorMapError) -> String {
        guard let s = value.stringValue else { throw error(nil, "must be a string, not \(value.typeName)") }
        return s
    }

    func number(_ key: String, in range: ClosedRange<Double>? = nil) throws(IndoorMapError) -> Double {
        try child(key).asNumber(in: range)
    }

    func string(_ key: String) throws(IndoorMapError) -> String { try child(key).asString() }

    func asPoint() throws(IndoorMapError) -> (Double, Double) {
        let limit = IndoorMap.coordinateLimit
        guard let a = value.arrayValue, a.count == 2, let x = a[0].doubleValue, let y = a[1].doubleValue, x.isFinite, y.isFinite,
              abs(x) <= limit, abs(y) <= limit else {
            throw error(nil, "must be a pair of numbers [x, y] within ±\(formatJSONNumber(limit)) m")
        }
        return (x, y)
    }

    func point(_ key: String) throws(IndoorMapError) -> (Double, Double) { try child(key).asPoint() }

    func color(_ key: String) throws(IndoorMapError) -> RGB {
        let s = try string(key)
        guard let c = RGB(hex: s) else { throw error(key, "is '\(s)', not a colour of the form #rrggbb") }
        return c
    }

    func optionalColor(_ key: String) throws(IndoorMapError) -> RGB? {
        value[key] == nil ? nil : try color(key)
    }

    /// A list of at least four points whose last repeats the first.
    func closedPolygon() throws(IndoorMapError) -> [(Double, Double)] {
        guard let items = value.arrayValue else { throw error(nil, "must be a list of points [x, y]") }
        var points: [(Double, Double)] = []
        for (k, item) in items.enumerated() { points.append(try MapReader(item, path: "\(path)[\(k)]", file: file).asPoint()) }
        guard points.count >= 4 else { throw error(nil, "needs at least three corners and the first repeated at the end (got \(points.count) points)") }
        let first = points[0], last = points[points.count - 1]
        guard first == last else {
            throw error(nil, "is open: its last point (\(formatJSONNumber(last.0)), \(formatJSONNumber(last.1))) does not return to its first (\(formatJSONNumber(first.0)), \(formatJSONNumber(first.1)))")
        }
        return points
    }
}
