#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ray-cast front camera: one horizontal ray per image column; every pixel's depth is then
/// `min(wall, floor or ceiling)` of its column and row, or the furniture in front when the pixel's
/// ray passes below the furniture top. Nothing here allocates.
extension IndoorNavigation {
    /// Casts the columns' rays from the current pose and shades walls, furniture, floor and ceiling.
    
    mutating func render() {
        let m = map
        let cy = cos(yaw), sy = sin(yaw)
        let range = parameters.depthRange
        let w = width, h = height, stride = Self.columnStride
        let zRel = z, x = self.x, y = self.y
        columnAngle.withUnsafeBufferPointer { angles in
        columns.withUnsafeMutableBufferPointer { col in
            for c in 0..<w {
                let a = angles[c]
                let ca = cos(a), sa = sin(a)
                // Ray direction: the heading rotated by the column's angle.
                let dx = cy * ca - sy * sa, dy = sy * ca + cy * sa
                let hit = m.castRay(x: x, y: y, dx: dx, dy: dy, maxDistance: (range + 1) / ca)
                let base = c * stride
                let depth = hit.distance * ca
                col[base] = Float(depth)
                var wall = RGB(0, 0, 0)
                if hit.obstacle >= 0 {
                    let o = m.obstacles[Int(hit.obstacle)]
                    let light = Self.surfaceLight(m, o, index: Int(hit.obstacle), hitX: x + hit.distance * dx, hitY: y + hit.distance * dy)
                    let s = m.shade(light, distance: hit.distance)
                    wall = RGB(o.color.r * s, o.color.g * s, o.color.b * s)
                }
                col[base + 1] = wall.r; col[base + 2] = wall.g; col[base + 3] = wall.b
                if hit.lowObstacle >= 0 {
                    let o = m.obstacles[Int(hit.lowObstacle)]
                    let light = Self.surfaceLight(m, o, index: Int(hit.lowObstacle), hitX: x + hit.lowDistance * dx, hitY: y + hit.lowDistance * dy)
                    let s = m.shade(light, distance: hit.lowDistance)
                    col[base + 4] = Float(hit.lowDistance * ca)
                    col[base + 5] = Float(m.floorZ + o.height - zRel)
                    col[base + 6] = o.color.r * s; col[base + 7] = o.color.g * s; col[base + 8] = o.color.b * s
                } else {
                    col[base + 4] = .infinity
                    col[base + 5] = 0
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
                row[4 * r] = limit
                row[4 * r + 1] = color.r * k; row[4 * r + 2] = color.g * k; row[4 * r + 3] = color.b * k
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

    /// The planar depth (m) of pixel `(r, c)` and what it sees: 0 wall, 1 furniture, 2 floor or ceiling.
    @inline(__always)
    static func pixel(_ col: UnsafeBufferPointer<Float>, _ row: UnsafeBufferPointer<Float>, slope: Float,
                      r: Int, c: Int) -> (depth: Float, surface: Int) {
        let base = c * columnStride
        let wall = col[base], limit = row[4 * r]
        var depth = wall, surface = 0
        if limit < depth { depth = limit; surface = 2 }
        let low = col[base + 4]
        if low < depth && low * slope <= col[base + 5] { depth = low; surface = 1 }
        return (depth, surface)
    }

    /// PEDRA's centre region depth of the current camera image (``pedraRegionDepths(_:height:width:)``).
    
    mutating func centreDepth() -> Float {
        let w = width, h = height
        let scale = Float(1 / parameters.depthRange)
        return rowSlope.withUnsafeBufferPointer { slope in
        columns.withUnsafeBufferPointer { col in
        rows.withUnsafeBufferPointer { row in
        smallest.withUnsafeMutableBufferPointer { buffer in
            var sum: Float = 0
            for r in 0..<h {
                let s = slope[r]
                for c in 0..<w { sum += min(Self.pixel(col, row, slope: s, r: r, c: c).depth * scale, 1) }
            }
            let b = pedraRegionBounds(meanDepth: Double(sum) / Double(w * h), height: h, width: w)
            let count = b.rows.count * b.centre.count
            guard count > 0 else { return 0 }
            let k = pedraSmallestCount(count)
            var filled = 0
            var anyNonZero = false
            for r in b.rows {
                let s = slope[r]
                for c in b.centre {
                    let v = min(Self.pixel(col, row, slope: s, r: r, c: c).depth * scale, 1)
                    if v != 0 { anyNonZero = true }
                    keepSmallest(v, buffer.baseAddress!, filled: &filled, k: k)
                }
            }
            guard anyNonZero else { return 0 }
            var total: Float = 0
            for i in 0..<k { total += buffer[i] }
            return total / Float(k)
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
        let colorBase = depthOn ? plane : 0
        rowSlope.withUnsafeBufferPointer { slope in
        columns.withUnsafeBufferPointer { col in
        rows.withUnsafeBufferPointer { row in
            for r in 0..<h {
                let s = slope[r]
                for c in 0..<w {
                    let px = Self.pixel(col, row, slope: s, r: r, c: c)
                    let i = r * w + c
                    if depthOn { o[i] = min(px.depth * scale, 1) }
                    if colorOn {
                        let src = px.surface == 2 ? 4 * r + 1 : 0
                        let cb = c * Self.columnStride + (px.surface == 1 ? 6 : 1)
                        if px.surface == 2 {
                            o[colorBase + i] = row[src]; o[colorBase + plane + i] = row[src + 1]; o[colorBase + 2 * plane + i] = row[src + 2]
                        } else {
                            o[colorBase + i] = col[cb]; o[colorBase + plane + i] = col[cb + 1]; o[colorBase + 2 * plane + i] = col[cb + 2]
                        }
                    }
                }
            }
        }
        }
        }
    }

    /// The depth scan: one horizontal ray per angle, normalised planar depth (furniture counts when
    /// its top is above the drone's underside).
    
    func observeScan(into o: UnsafeMutableBufferPointer<Float>) {
        let m = map
        let cy = cos(yaw), sy = sin(yaw)
        let range = parameters.depthRange
        for (k, a) in scanAngle.enumerated() {
            let ca = cos(a), sa = sin(a)
            let dx = cy * ca - sy * sa, dy = sy * ca + cy * sa
            let hit = m.castRay(x: x, y: y, dx: dx, dy: dy, maxDistance: (range + 1) / ca)
            var t = hit.distance
            if hit.lowObstacle >= 0, m.floorZ + m.obstacles[Int(hit.lowObstacle)].height > z - parameters.droneRadius {
                t = hit.lowDistance
            }
            o[k] = Float(min(t * ca / range, 1))
        }
    }
}
