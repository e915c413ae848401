#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point or direction in metres (world or body frame).
public typealias Vec3 = SIMD3<Double>

@inlinable @inline(__always)
func dot(_ a: Vec3, _ b: Vec3) -> Double { (a * b).sum() }

@inlinable @inline(__always)
func cross(_ a: Vec3, _ b: Vec3) -> Vec3 {
    Vec3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

/// Component-wise absolute value.
@inlinable @inline(__always)
func absolute(_ a: Vec3) -> Vec3 { Vec3(Swift.abs(a.x), Swift.abs(a.y), Swift.abs(a.z)) }

@inlinable @inline(__always)
func length(_ a: Vec3) -> Double { dot(a, a).squareRoot() }

/// A 3×3 rotation, stored by rows.
public struct Rotation3: Equatable, Sendable {
    public var r0: Vec3, r1: Vec3, r2: Vec3

    public static let identity = Rotation3(r0: Vec3(1, 0, 0), r1: Vec3(0, 1, 0), r2: Vec3(0, 0, 1))

    @inlinable @inline(__always)
    public init(r0: Vec3, r1: Vec3, r2: Vec3) { self.r0 = r0; self.r1 = r1; self.r2 = r2 }

    /// Rodrigues' formula: rotation by `angle` (rad, right-hand rule) about the unit `axis`.
    @inlinable
    public init(axis u: Vec3, angle: Double) {
        let c = cos(angle), s = sin(angle), t = 1 - c
        r0 = Vec3(t * u.x * u.x + c, t * u.x * u.y - s * u.z, t * u.x * u.z + s * u.y)
        r1 = Vec3(t * u.x * u.y + s * u.z, t * u.y * u.y + c, t * u.y * u.z - s * u.x)
        r2 = Vec3(t * u.x * u.z - s * u.y, t * u.y * u.z + s * u.x, t * u.z * u.z + c)
    }

    /// The rotation of the unit quaternion `(w, x, y, z)` (normalised first).
    @inlinable
    public init(quaternion q: SIMD4<Double>) {
        let n = (q * q).sum().squareRoot()
        let w = q[0] / n, x = q[1] / n, y = q[2] / n, z = q[3] / n
        r0 = Vec3(1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y))
        r1 = Vec3(2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x))
        r2 = Vec3(2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y))
    }

    @inlinable @inline(__always)
    public static func * (m: Rotation3, v: Vec3) -> Vec3 { Vec3(dot(m.r0, v), dot(m.r1, v), dot(m.r2, v)) }

    @inlinable
    public static func * (a: Rotation3, b: Rotation3) -> Rotation3 {
        let c0 = Vec3(b.r0.x, b.r1.x, b.r2.x), c1 = Vec3(b.r0.y, b.r1.y, b.r2.y), c2 = Vec3(b.r0.z, b.r1.z, b.r2.z)
        return Rotation3(r0: Vec3(dot(a.r0, c0), dot(a.r0, c1), dot(a.r0, c2)),
                         r1: Vec3(dot(a.r1, c0), dot(a.r1, c1), dot(a.r1, c2)),
                         r2: Vec3(dot(a.r2, c0), dot(a.r2, c1), dot(a.r2, c2)))
    }

    /// The transpose (the inverse rotation).
    @inlinable
    public var transposed: Rotation3 {
        Rotation3(r0: Vec3(r0.x, r1.x, r2.x), r1: Vec3(r0.y, r1.y, r2.y), r2: Vec3(r0.z, r1.z, r2.z))
    }

    /// A rotation whose third column is the unit vector `d` (maps local z onto `d`).
    public static func aligningZ(to d: Vec3) -> Rotation3 {
        let z = d / length(d)
        let helper = abs(z.x) < 0.9 ? Vec3(1, 0, 0) : Vec3(0, 1, 0)
        let x = cross(helper, z) / length(cross(helper, z))
        let y = cross(z, x)
        return Rotation3(r0: Vec3(x.x, y.x, z.x), r1: Vec3(x.y, y.y, z.y), r2: Vec3(x.z, y.z, z.z))
    }
}

/// Mass, body-frame inertia and velocities of one rigid body → ½mv² + ½ωᵀIω.
@inlinable
func kineticEnergy(mass: Double, inertia: Rotation3, velocity: Vec3, angularVelocityLocal w: Vec3) -> Double {
    0.5 * mass * dot(velocity, velocity) + 0.5 * dot(w, inertia * w)
}

/// Half-sizes of the uniform box with the same mass and principal moments (MuJoCo's
/// "inertia box" for fluid forces): `I_xx = m(r_y² + r_z²)/3`, so `r_x² = 3(I_yy + I_zz − I_xx)/(2m)`.
public func equivalentBoxHalfSizes(mass m: Double, inertiaDiagonal i: Vec3) -> Vec3 {
    func half(_ a: Double, _ b: Double, _ c: Double) -> Double { max(0, 3 * (b + c - a) / (2 * m)).squareRoot() }
    return Vec3(half(i.x, i.y, i.z), half(i.y, i.z, i.x), half(i.z, i.x, i.y))
}

/// Drag on a body moving at `v` (body frame, relative to the air), from its inertia box
/// half-sizes `r`: Stokes' viscous term `−3π·β·d·v` with `d = 2·mean(r)` plus the quadratic
/// term `−2ρ·r_j·r_k·|v_i|·v_i` per axis (the blunt-body drag of MuJoCo's inertia-box fluid model,
/// MuJoCo documentation, "Fluid forces"). ρ: air density (kg/m³); β: viscosity (Pa·s).
@inlinable
public func dragForce(velocity v: Vec3, halfSizes r: Vec3, density rho: Double, viscosity beta: Double) -> Vec3 {
    let d = 2 * (r.x + r.y + r.z) / 3
    let viscous = -3 * Double.pi * beta * d * v
    let area = Vec3(r.y * r.z, r.z * r.x, r.x * r.y)
    return viscous - 2 * rho * area * absolute(v) * v
}
