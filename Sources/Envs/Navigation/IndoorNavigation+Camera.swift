#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ray-cast front camera: one horizontal ray per image column; every pixel's depth is then
/// `min(wall, floor or ceiling)` of its column and row, or the furniture in front when the pixel's
/// ray passes below the furniture top. Per-column results are stored plane by plane (structure of
/// arrays) so that the per-row loops are branch-free selects the compiler vectorises. Nothing here
/// allocates.
extension IndoorNavigation {
    /// Planes of ``columns`` (each `width` floats).
    enum ColumnPlane {
        static let wallDepth = 0, wallRed = 1, lowDepth = 4, lowTop = 5, lowRed = 6, count = 9
    }

    /// Casts the columns' rays from the current pose and shades walls, furniture, floor and ceiling.
    mutating func render() {
        let m = map
        let cy = cos(yaw), sy = sin(yaw)
        let range = parameters.depthRange
        let w = width, h = height
        let zRel = z, x = self.x, y = self.y
        columnCos.withUnsafeBufferPointer { cosines in
        columnSin.withUnsafeBufferPointer { sines in
        columns.withUnsafeMutableBufferPointer { col in
            for c in 0..<w {
                let ca = cosines[c], sa = sines[c]
                // Ray direction: the heading rotated by the column's angle.
                let dx = cy * ca - sy * sa, dy = sy * ca + cy * sa
                let hit = m.castRay(x: x, y: y, dx: dx, dy: dy, maxDistance: (range + 1) / ca)
                col[c] = Float(hit.distance * ca)
                var wall = RGB(0, 0, 0)
                if hit.obstacle >= 0 {
                    let o = m.obstacles[Int(hit.obstacle)]
                    let light = Self.surfaceLight(m, o, index: Int(hit.obstacle), hitX: x + hit.distance * dx, hitY: y + hit.distance * dy)
                    let s = m.shade(light, distance: hit.distance)
                    wall = RGB(o.color.r * s, o.color.g * s, o.color.b * s)
                }
                col[w + c] = wall.r; col[2 * w + c] = wall.g; col[3 * w + c] = wall.b
                if hit.lowObstacle >= 0 {
                    let o = m.obstacles[Int(hit.lowObstacle)]
                    let light = Self.surfaceLight(m, o, index: Int(hit.lowObstacle), hitX: x + hit.lowDistance * dx, hitY: y + hit.lowDistance * dy)
                    let s = m.shade(light, distance: hit.lowDistance)
                    col[4 * w + c] = Float(hit.lowDistance * ca)
                    col[5 * w + c] = Float(m.floorZ + o.height - zRel)
                    col[6 * w + c] = o.color.r * s; col[7 * w + c] = o.color.g * s; col[8 * w + c] = o.color.b * s
                } else {
                    col[4 * w + c] = .infinity
                    col[5 * w + c] = 0
                    col[6 * w + c] = 0; col[7 * w + c] = 0; col[8 * w + c] = 0
                }
            }
        }
        }
        }
        let below = Float(zRel - m.floorZ), above = Float(m.ceilingZ - zRel)
        rowSlope.withUnsafeBufferPointer { slope in
        rows.withUnsafeMutableBufferPointer { row in
            for r in 0..<h {
                let s = slope[r]
                let limit: Float = s > 0 ? above / s : (s < 0 ? below / -s : .infinity)
                let color = s > 0 ? m.ceilingColor : m.floorColor
                let k = m.shade(s > 0 ? 0.8 : 1, distance: Double(limit))
                row[r] = limit
                row[h + r] = color.r * k; row[2 * h + r] = color.g * k; row[3 * h + r] = color.b * k
            }
        }
        }
    }

    /// Ambient + Lambert brightness of an obstacle's surface at a hit point.
    @inline(__always)
    static func surfaceLight(_ map: IndoorMap, _ o: Obstacle, index: Int, hitX: Double, hitY: Double) -> Float {
        switch o.shape {
        case .segment: return map.segmentLight[index]
        case let .cylinder(cx, cy, r):
            let cosine = ((hitX - cx) * cos(map.lightAzimuth) + (hitY - cy) * sin(map.lightAzimuth)) / r
            return Float(diffuseLight(cosine))
        }
    }

    /// Writes the normalised depth of one image row (`width` pixels) to `out`: per column, the
    /// wall or the row's floor/ceiling, whichever is nearer, unless furniture is nearer still and the
    /// pixel's ray passes below its top (`low · slope ≤ top − z`).
    @inline(__always)
    static func depthRow(_ col: UnsafePointer<Float>, width w: Int, limit: Float, slope: Float, scale: Float,
                         into out: UnsafeMutablePointer<Float>) {
        var c = 0
        while c + 8 <= w {
            var near = min8(load8(col + c), SIMD8(repeating: limit))
            let low = load8(col + 4 * w + c)
            near.replace(with: low, where: (low .< near) .& (low * slope .<= load8(col + 5 * w + c)))
            store8(min8(near * scale, SIMD8(repeating: 1)), out + c)
            c += 8
        }
        while c < w {
            let near = min(col[c], limit)
            let low = col[4 * w + c]
            let d = (low < near && low * slope <= col[5 * w + c]) ? low : near
            out[c] = min(d * scale, 1)
            c += 1
        }
    }

    /// Writes the R, G and B of one image row: furniture, else floor or ceiling, else wall.
    @inline(__always)
    static func colorRow(_ col: UnsafePointer<Float>, width w: Int, limit: Float, slope: Float, floor: (Float, Float, Float),
                         red: UnsafeMutablePointer<Float>, green: UnsafeMutablePointer<Float>, blue: UnsafeMutablePointer<Float>) {
        var c = 0
        let lim = SIMD8(repeating: limit)
        while c + 8 <= w {
            let wall = load8(col + c)
            let floorHit = lim .< wall
            let near = min8(wall, lim)
            let low = load8(col + 4 * w + c)
            let lowHit = (low .< near) .& (low * slope .<= load8(col + 5 * w + c))
            var r = load8(col + w + c), g = load8(col + 2 * w + c), b = load8(col + 3 * w + c)
            r.replace(with: floor.0, where: floorHit); g.replace(with: floor.1, where: floorHit); b.replace(with: floor.2, where: floorHit)
            r.replace(with: load8(col + 6 * w + c), where: lowHit)
            g.replace(with: load8(col + 7 * w + c), where: lowHit)
            b.replace(with: load8(col + 8 * w + c), where: lowHit)
            store8(r, red + c); store8(g, green + c); store8(b, blue + c)
            c += 8
        }
        while c < w {
            let wall = col[c]
            let floorHit = limit < wall
            let near = floorHit ? limit : wall
            let low = col[4 * w + c]
            let lowHit = low < near && low * slope <= col[5 * w + c]
            red[c] = lowHit ? col[6 * w + c] : (floorHit ? floor.0 : col[w + c])
            green[c] = lowHit ? col[7 * w + c] : (floorHit ? floor.1 : col[2 * w + c])
            blue[c] = lowHit ? col[8 * w + c] : (floorHit ? floor.2 : col[3 * w + c])
            c += 1
        }
    }

    /// PEDRA's centre region depth of the current camera image (``pedraRegionDepths(_:height:width:)``).
    mutating func centreDepth() -> Float {
        let w = width, h = height
        let scale = Float(1 / parameters.depthRange)
        return rowSlope.withUnsafeBufferPointer { slope in
        columns.withUnsafeBufferPointer { col in
        rows.withUnsafeBufferPointer { row in
        scratch.withUnsafeMutableBufferPointer { buffer in
            let line = buffer.baseAddress!, sums = line + w, smallest = line + 2 * w
            let c0 = col.baseAddress!
            for c in 0..<w { sums[c] = 0 }
            for r in 0..<h {
                Self.depthRow(c0, width: w, limit: row[r], slope: slope[r], scale: scale, into: line)
                for c in 0..<w { sums[c] += line[c] }
            }
            var total: Float = 0
            for c in 0..<w { total += sums[c] }
            let b = pedraRegionBounds(meanDepth: Double(total) / Double(w * h), height: h, width: w)
            let count = b.rows.count * b.centre.count
            guard count > 0 else { return 0 }
            let k = pedraSmallestCount(count)
            var filled = 0
            var anyNonZero = false
            for r in b.rows {
                Self.depthRow(c0, width: w, limit: row[r], slope: slope[r], scale: scale, into: line)
                for c in b.centre {
                    let v = line[c]
                    if v != 0 { anyNonZero = true }
                    keepSmallest(v, smallest, filled: &filled, k: k)
                }
            }
            guard anyNonZero else { return 0 }
            var sum: Float = 0
            for i in 0..<k { sum += smallest[i] }
            return sum / Float(k)
        }
        }
        }
        }
    }

    public func observe(into o: UnsafeMutableBufferPointer<Float>) {
        if scanMode { return observeScan(into: o) }
        let w = width, h = height, plane = w * h
        let scale = Float(1 / parameters.depthRange)
        let depthOn = writesDepth, colorOn = writesColor
        let out = o.baseAddress!
        let colorOut = out + (depthOn ? plane : 0)
        rowSlope.withUnsafeBufferPointer { slope in
        columns.withUnsafeBufferPointer { colBuffer in
        rows.withUnsafeBufferPointer { row in
            let col = colBuffer.baseAddress!
            for r in 0..<h {
                let s = slope[r], limit = row[r]
                if depthOn { Self.depthRow(col, width: w, limit: limit, slope: s, scale: scale, into: out + r * w) }
                guard colorOn else { continue }
                let red = colorOut + r * w
                Self.colorRow(col, width: w, limit: limit, slope: s, floor: (row[h + r], row[2 * h + r], row[3 * h + r]),
                              red: red, green: red + plane, blue: red + 2 * plane)
            }
        }
        }
        }
    }

    /// The depth scan: one horizontal ray per angle, normalised planar depth (furniture counts when
    /// its top is above the drone's underside). With `scan_channels` `depth_rgb` the R, G and B
    /// planes follow: the surface the ray stops at, shaded as the camera shades it (palette ×
    /// light × distance falloff), black where nothing is within `depth_range`.
    func observeScan(into o: UnsafeMutableBufferPointer<Float>) {
        let m = map
        let cy = cos(yaw), sy = sin(yaw)
        let range = parameters.depthRange
        let n = scanAngle.count
        for (k, a) in scanAngle.enumerated() {
            let ca = cos(a), sa = sin(a)
            let dx = cy * ca - sy * sa, dy = sy * ca + cy * sa
            let hit = m.castRay(x: x, y: y, dx: dx, dy: dy, maxDistance: (range + 1) / ca)
            var t = hit.distance
            var surface = Int(hit.obstacle)
            if hit.lowObstacle >= 0, m.floorZ + m.obstacles[Int(hit.lowObstacle)].height > z - parameters.droneRadius {
                t = hit.lowDistance
                surface = Int(hit.lowObstacle)
            }
            o[k] = Float(min(t * ca / range, 1))
            guard scanColor else { continue }
            var color = RGB(0, 0, 0)
            if surface >= 0, t * ca <= range {
                let s = m.shade(Self.surfaceLight(m, m.obstacles[surface], index: surface, hitX: x + t * dx, hitY: y + t * dy), distance: t)
                let c = m.obstacles[surface].color
                color = RGB(c.r * s, c.g * s, c.b * s)
            }
            o[n + k] = color.r
            o[2 * n + k] = color.g
            o[3 * n + k] = color.b
        }
    }
}

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self) }

/// Lane-wise minimum (the standard library's generic `pointwiseMin` is not inlined).
@inline(__always)
func min8(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, where: b .< a) }
