import CODE

/// One robot in its own ODE world: the seam between a ``BodyModel`` and the Open Dynamics Engine.
///
/// Design (environments spec §5.3 and §9; anchors §6), chosen so that a vector of copies steps
/// on any number of threads and stays bit-identical per seed:
/// - **One world per copy**, with its own single-threaded stepping implementation (ODE says
///   worlds stepped in parallel must not share one).
/// - **No ODE collision.** Debian's libode keeps process-global collision caches; instead every
///   capsule end and sphere centre is a contact point tested against the floor here, and the
///   contact joints are filled in by hand.
/// - **`dWorldStep`** (the Dantzig LCP) rather than QuickStep, whose constraint reordering draws
///   from ODE's process-global random generator.
/// - **Per-thread data** is allocated on whichever thread poses or steps the world.
/// - **Centre of mass at the body origin**: each body sits at its mass centre; geoms are offsets.
///
/// Coordinates inside are ODE's. A 3-D robot uses MuJoCo's frame unchanged (z up). A planar
/// robot maps MuJoCo's x–z sagittal plane onto ODE's x–y plane, `(x, y, z) ↦ (x, z, −y)` (a
/// proper rotation), so that `dJointCreatePlane2D` keeps the root in the plane; a MuJoCo hinge
/// about (0, −1, 0) becomes a hinge about +z with the same angle sign.
///
/// **Armature** (MuJoCo's rotor inertia A, added to the joint's diagonal in joint space) is a
/// velocity motor about each hinge's axis whose target is the joint's current rate, with
/// unbounded force (an unbounded LCP row, which the Dantzig solver handles without pivoting)
/// and constraint-force mixing `h/A`: the LCP then solves `J·v' = q̇ − (h/A)·λ`, that is
/// `λ = −A·(q̇' − q̇)/h`, the rotor's implicit inertial torque (ODE's `J·v' = c − CFM·λ`).
/// The motor is a separate one-axis angular motor (`dJointCreateAMotor`, user mode) between
/// the same two bodies, not the hinge's own motor: ODE merges a hinge's motor and its stop into
/// one row and, at a stop, applies the motor's maximum force outright, so the hinge's own motor
/// would have to be switched off at the stops — where the joints of both robots start (the
/// hopper's thigh and leg rest on their upper stop, the ant's ankles start outside their range)
/// and the rotor's inertia matters most. With its own row the rotor acts everywhere, as in MuJoCo.
///
/// Gaps to MuJoCo, documented rather than hidden: first-order
/// semi-implicit integration instead of RK4, ODE's LCP contacts instead of MuJoCo's soft
/// convex solver, floor contacts only (no self-collision).
public final class ArticulatedWorld {
    public let model: BodyModel
    /// The mass scale applied to every body (1: the file's masses).
    public let massScale: Double

    @usableFromInline let world: OpaquePointer
    @usableFromInline let contactGroup: OpaquePointer
    let threading: OpaquePointer
    @usableFromInline var bodyIDs: [OpaquePointer]
    @usableFromInline var jointIDs: [OpaquePointer]
    /// The rotor (armature) motor of each joint, nil where the joint has no armature.
    @usableFromInline var rotorIDs: [OpaquePointer?]

    // Rest pose, ODE frame.
    @usableFromInline var restCentre: [Vec3]
    @usableFromInline var jointAnchor: [Vec3]
    @usableFromInline var jointAxis: [Vec3]
    /// Joints ordered so that a parent's joint comes before its children's.
    @usableFromInline var jointOrder: [Int]

    /// Body masses (kg, scaled) and body-frame inertia (scaled).
    public private(set) var masses: [Double]
    @usableFromInline var inertia: [Rotation3]
    /// Half-sizes of each body's equivalent inertia box (unscaled masses: scaling the mass
    /// changes the density, not the shape).
    @usableFromInline var boxHalfSizes: [Vec3]

    // Floor contact points: body, body-frame offset, radius, friction.
    @usableFromInline var contactBody: [Int32]
    @usableFromInline var contactLocal: [Vec3]
    @usableFromInline var contactRadius: [Double]
    @usableFromInline var contactFriction: [Double]
    @usableFromInline let feedback: UnsafeMutablePointer<dJointFeedback>

    // Scratch for posing (no allocation in steady state).
    @usableFromInline var poseRotation: [Rotation3]
    @usableFromInline var poseTranslation: [Vec3]
    @usableFromInline var poseOmega: [Vec3]
    @usableFromInline var poseVelocity: [Vec3]

    /// ODE-frame up axis (y for planar robots, z otherwise).
    public let up: Vec3

    /// Air (kg/m³), viscosity (Pa·s) and wind velocity (ODE frame, m/s) for drag; zero: no drag.
    public var airDensity = 0.0
    public var airViscosity = 0.0
    public var wind = Vec3(0, 0, 0)

    /// After a step with `measureContacts`: Σ over bodies and the six wrench components
    /// [torque about the robot's mass centre, force] of clip(component, −1, 1)² — the surrogate of
    /// `Σ clip(cfrc_ext, −1, 1)²` in Gymnasium's Ant contact cost.
    public private(set) var clippedContactWrenchSquared = 0.0
    /// After a step with `measureContacts`: each body's floor-contact wrench, 6 values per body in
    /// body order, [torque about the robot's mass centre, force] in MuJoCo's frame (unclipped) —
    /// the surrogate of MuJoCo's com-based `cfrc_ext` rows; zeros for a body without contact.
    public private(set) var contactWrench: [Double]

    /// The masses (kg) a body may have once scaled: outside, ODE's solver loses its accuracy and
    /// near-zero masses abort inside ODE.
    public static let massRange: ClosedRange<Double> = 1e-3...1e6
    /// A body farther than this from the origin (m) has run away: the step reports divergence.
    public static let positionLimit = 1e4

    /// Builds the world in its rest pose; `massScale` multiplies every body's mass and inertia.
    public init(model: BodyModel, massScale: Double = 1) throws(BodyModelError) {
        guard massScale.isFinite, massScale > 0 else {
            throw BodyModelError("body \(model.name): the mass scale must be a positive number, got \(massScale)")
        }
        ODERuntime.prepareThread()
        // Masses first, before any ODE object exists: a body outside the valid range is an error.
        for b in model.bodies {
            var total = dMass()
            dMassSetZero(&total)
            for geom in b.geoms {
                var m = dMass()
                switch geom {
                case let .capsule(from, to, radius): dMassSetCapsule(&m, b.density, 3, radius, length(to - from))
                case let .sphere(_, radius): dMassSetSphere(&m, b.density, radius)
                }
                dMassAdd(&total, &m)
            }
            let mass = (b.mass ?? total.mass) * massScale
            guard mass >= ArticulatedWorld.massRange.lowerBound, mass <= ArticulatedWorld.massRange.upperBound else {
                throw BodyModelError("body \(model.name): body \(b.name) weighs \(mass) kg (its density × volume, or mass, × mass scale), "
                    + "outside [\(ArticulatedWorld.massRange.lowerBound), \(ArticulatedWorld.massRange.upperBound)] kg, the range in which ODE's simulation is valid")
            }
        }
        self.model = model
        self.massScale = massScale
        let planar = model.planar
        @inline(__always) func map(_ v: Vec3) -> Vec3 { planar ? Vec3(v.x, v.z, -v.y) : v }
        up = planar ? Vec3(0, 1, 0) : Vec3(0, 0, 1)

        world = dWorldCreate()
        contactGroup = dJointGroupCreate(0)
        threading = dThreadingAllocateSelfThreadedImplementation()
        dWorldSetStepThreadingImplementation(world, dThreadingImplementationGetFunctions(threading), threading)
        let g = -model.gravity * up
        dWorldSetGravity(world, g.x, g.y, g.z)

        bodyIDs = []; jointIDs = []; rotorIDs = []; restCentre = []; masses = []; inertia = []; boxHalfSizes = []
        contactBody = []; contactLocal = []; contactRadius = []; contactFriction = []
        for (bi, b) in model.bodies.enumerated() {
            // Mass of the geoms about the rest-pose origin, then moved so the centre is at 0.
            var total = dMass()
            dMassSetZero(&total)
            for geom in b.geoms {
                var m = dMass()
                switch geom {
                case let .capsule(from, to, radius):
                    let a = map(from), c = map(to)
                    dMassSetCapsule(&m, b.density, 3, radius, length(c - a))
                    var r = odeMatrix(Rotation3.aligningZ(to: c - a))
                    withUnsafePointer(to: &r) { p in p.withMemoryRebound(to: dReal.self, capacity: 12) { dMassRotate(&m, $0) } }
                    let mid = 0.5 * (a + c)
                    dMassTranslate(&m, mid.x, mid.y, mid.z)
                case let .sphere(center, radius):
                    let c = map(center)
                    dMassSetSphere(&m, b.density, radius)
                    dMassTranslate(&m, c.x, c.y, c.z)
                }
                dMassAdd(&total, &m)
            }
            let centre = Vec3(total.c.0, total.c.1, total.c.2)
            dMassTranslate(&total, -centre.x, -centre.y, -centre.z)
            if let m = b.mass { dMassAdjust(&total, m) }
            let unscaledInertia = inertiaMatrix(total)
            boxHalfSizes.append(equivalentBoxHalfSizes(
                mass: total.mass, inertiaDiagonal: Vec3(unscaledInertia.r0.x, unscaledInertia.r1.y, unscaledInertia.r2.z)))
            dMassAdjust(&total, total.mass * massScale)
            masses.append(total.mass)
            inertia.append(inertiaMatrix(total))

            let body = dBodyCreate(world)!
            dBodySetPosition(body, centre.x, centre.y, centre.z)
            dBodySetMass(body, &total)
            bodyIDs.append(body)
            restCentre.append(centre)

            for geom in b.geoms {
                switch geom {
                case let .capsule(from, to, radius):
                    for p in [map(from), map(to)] {
                        contactBody.append(Int32(bi)); contactLocal.append(p - centre)
                        contactRadius.append(radius); contactFriction.append(b.friction)
                    }
                case let .sphere(center, radius):
                    contactBody.append(Int32(bi)); contactLocal.append(map(center) - centre)
                    contactRadius.append(radius); contactFriction.append(b.friction)
                }
            }
        }
        if planar {
            let plane = dJointCreatePlane2D(world, nil)
            dJointAttach(plane, bodyIDs[0], nil)
        }

        jointAnchor = []; jointAxis = []
        for j in model.joints {
            let id = dJointCreateHinge(world, nil)!
            // Body 1 is the child: the angle is the child's rotation relative to the parent.
            dJointAttach(id, bodyIDs[j.child], bodyIDs[j.parent])
            let a = map(j.anchor), u = map(j.axis)
            dJointSetHingeAnchor(id, a.x, a.y, a.z)
            dJointSetHingeAxis(id, u.x, u.y, u.z)
            if let r = j.range {
                dJointSetHingeParam(id, Int32(dParamLoStop), r.lowerBound)
                dJointSetHingeParam(id, Int32(dParamHiStop), r.upperBound)
                // Soft stops (MuJoCo's limits are soft too): ERP and CFM from the body file.
                dJointSetHingeParam(id, Int32(dParamStopERP), model.limits.erp)
                dJointSetHingeParam(id, Int32(dParamStopCFM), model.limits.cfm)
            }
            jointIDs.append(id)
            if j.armature > 0 {
                let rotor = dJointCreateAMotor(world, nil)!
                dJointAttach(rotor, bodyIDs[j.child], bodyIDs[j.parent])
                dJointSetAMotorMode(rotor, Int32(dAMotorUser))
                dJointSetAMotorNumAxes(rotor, 1)
                // Relative to the child (body 1), whose frame is the world's at the rest pose.
                dJointSetAMotorAxis(rotor, 0, 1, u.x, u.y, u.z)
                dJointSetAMotorParam(rotor, Int32(dParamFMax), .infinity)
                rotorIDs.append(rotor)
            } else {
                rotorIDs.append(nil)
            }
            jointAnchor.append(a)
            jointAxis.append(u)
        }
        var order: [Int] = []
        var placed = [Bool](repeating: false, count: model.bodies.count)
        placed[0] = true
        while order.count < model.joints.count {
            for (k, j) in model.joints.enumerated() where !order.contains(k) && placed[j.parent] {
                order.append(k)
                placed[j.child] = true
            }
        }
        jointOrder = order
        feedback = .allocate(capacity: max(1, contactLocal.count))
        feedback.initialize(repeating: dJointFeedback(), count: max(1, contactLocal.count))
        let n = model.bodies.count
        poseRotation = .init(repeating: .identity, count: n)
        poseTranslation = .init(repeating: .zero, count: n)
        poseOmega = .init(repeating: .zero, count: n)
        poseVelocity = .init(repeating: .zero, count: n)
        contactWrench = .init(repeating: 0, count: 6 * n)
    }

    deinit {
        ODERuntime.prepareThread()
        dJointGroupDestroy(contactGroup)
        dWorldSetStepThreadingImplementation(world, nil, nil)
        dWorldDestroy(world)
        dThreadingFreeImplementation(threading)
        feedback.deallocate()
    }

    /// Sum of the body masses (kg).
    public var totalMass: Double { masses.reduce(0, +) }

    /// Maps a MuJoCo-frame vector into this world's frame.
    @inline(__always)
    public func toWorld(_ v: Vec3) -> Vec3 { model.planar ? Vec3(v.x, v.z, -v.y) : v }
    /// Maps a vector of this world's frame back to MuJoCo's frame.
    @inline(__always)
    public func fromWorld(_ v: Vec3) -> Vec3 { model.planar ? Vec3(v.x, -v.z, v.y) : v }

    // MARK: Reading the state

    @inline(__always)
    public func position(_ b: Int) -> Vec3 { vec(dBodyGetPosition(bodyIDs[b])!) }
    @inline(__always)
    public func velocity(_ b: Int) -> Vec3 { vec(dBodyGetLinearVel(bodyIDs[b])!) }
    @inline(__always)
    public func angularVelocity(_ b: Int) -> Vec3 { vec(dBodyGetAngularVel(bodyIDs[b])!) }
    /// Orientation quaternion (w, x, y, z), ODE frame.
    @inline(__always)
    public func quaternion(_ b: Int) -> SIMD4<Double> {
        let q = dBodyGetQuaternion(bodyIDs[b])!
        return SIMD4(q[0], q[1], q[2], q[3])
    }
    @inline(__always)
    public func rotation(_ b: Int) -> Rotation3 {
        let r = dBodyGetRotation(bodyIDs[b])!
        return Rotation3(r0: Vec3(r[0], r[1], r[2]), r1: Vec3(r[4], r[5], r[6]), r2: Vec3(r[8], r[9], r[10]))
    }
    /// Hinge angle of joint `j` (rad, MuJoCo's sign).
    @inline(__always)
    public func jointAngle(_ j: Int) -> Double { dJointGetHingeAngle(jointIDs[j]) }
    @inline(__always)
    public func jointRate(_ j: Int) -> Double { dJointGetHingeAngleRate(jointIDs[j]) }

    /// Kinetic plus gravitational potential energy (J), the floor at height 0.
    public var mechanicalEnergy: Double {
        var e = 0.0
        for b in bodyIDs.indices {
            let w = rotation(b).transposed * angularVelocity(b)
            e += kineticEnergy(mass: masses[b], inertia: inertia[b], velocity: velocity(b), angularVelocityLocal: w)
            e += masses[b] * model.gravity * dot(position(b), up)
        }
        return e
    }

    /// World-frame capsule segments and spheres of the current pose, MuJoCo frame (for drawing):
    /// `(a, b, radius)` with `a == b` for a sphere.
    public func geometry() -> [(body: Int, a: Vec3, b: Vec3, radius: Double)] {
        var out: [(body: Int, a: Vec3, b: Vec3, radius: Double)] = []
        for (bi, body) in model.bodies.enumerated() {
            let r = rotation(bi), p = position(bi), c = restCentre[bi]
            for geom in body.geoms {
                switch geom {
                case let .capsule(from, to, radius):
                    out.append((bi, fromWorld(p + r * (toWorld(from) - c)), fromWorld(p + r * (toWorld(to) - c)), radius))
                case let .sphere(center, radius):
                    let q = fromWorld(p + r * (toWorld(center) - c))
                    out.append((bi, q, q, radius))
                }
            }
        }
        return out
    }

    // MARK: Posing

    /// Places every body from the root's pose and velocity (ODE frame; angular velocity in the
    /// world frame) and the joint angles and rates, by forward kinematics over the joint tree.
    /// Clears the force accumulators and the measured contact wrenches (a new pose has no
    /// contacts measured yet).
    public func setPose(rootPosition: Vec3, rootRotation: Rotation3, rootVelocity: Vec3, rootAngularVelocity: Vec3,
                        jointAngle: (Int) -> Double, jointRate: (Int) -> Double) {
        ODERuntime.prepareThread()
        for i in contactWrench.indices { contactWrench[i] = 0 }
        clippedContactWrenchSquared = 0
        poseRotation[0] = rootRotation
        poseTranslation[0] = rootPosition - rootRotation * restCentre[0]
        poseOmega[0] = rootAngularVelocity
        poseVelocity[0] = rootVelocity
        var positionOf0 = rootPosition
        place(0, position: &positionOf0)
        for k in jointOrder {
            let p = model.joints[k].parent, c = model.joints[k].child
            let q = jointAngle(k), qd = jointRate(k)
            let u = jointAxis[k], a = jointAnchor[k]
            let rq = Rotation3(axis: u, angle: q)
            let rp = poseRotation[p]
            poseRotation[c] = rp * rq
            poseTranslation[c] = rp * (a - rq * a) + poseTranslation[p]
            let axisWorld = rp * u
            let anchorWorld = rp * a + poseTranslation[p]
            let pc = poseRotation[c] * restCentre[c] + poseTranslation[c]
            let pp = poseRotation[p] * restCentre[p] + poseTranslation[p]
            poseOmega[c] = poseOmega[p] + axisWorld * qd
            poseVelocity[c] = poseVelocity[p] + cross(poseOmega[p], pc - pp) + cross(axisWorld * qd, pc - anchorWorld)
            var pcv = pc
            place(c, position: &pcv)
        }
    }

    @usableFromInline
    func place(_ b: Int, position p: inout Vec3) {
        let id = bodyIDs[b]
        dBodySetPosition(id, p.x, p.y, p.z)
        var m = odeMatrix(poseRotation[b])
        withUnsafePointer(to: &m) { ptr in ptr.withMemoryRebound(to: dReal.self, capacity: 12) { dBodySetRotation(id, $0) } }
        let v = poseVelocity[b], w = poseOmega[b]
        dBodySetLinearVel(id, v.x, v.y, v.z)
        dBodySetAngularVel(id, w.x, w.y, w.z)
        dBodySetForce(id, 0, 0, 0)
        dBodySetTorque(id, 0, 0, 0)
    }

    // MARK: Stepping

    /// Advances `substeps` ODE steps of `h` seconds with the motors at `gear·clip(action, −1, 1)`
    /// (actuator order) minus joint damping, floor contacts and drag re-applied every substep.
    /// Returns false (and stops early) if the state leaves the finite, bounded range
    /// (|v| or |ω| above 1e4, or a body beyond ``positionLimit``), so ODE never sees a
    /// non-finite number.
    public func step(_ action: UnsafeBufferPointer<Float>, substeps: Int, h: Double, measureContacts: Bool = false) -> Bool {
        ODERuntime.prepareThread()
        let drag = airDensity > 0 || airViscosity > 0
        for s in 0..<substeps {
            for (k, actuator) in model.actuators.enumerated() {
                let a = min(max(Double(action[k]), -1), 1)
                dJointAddHingeTorque(jointIDs[actuator.joint], actuator.gear * a)
            }
            for (k, joint) in model.joints.enumerated() where joint.damping > 0 || joint.armature > 0 {
                let rate = dJointGetHingeAngleRate(jointIDs[k])
                if joint.damping > 0 { dJointAddHingeTorque(jointIDs[k], -joint.damping * rate) }
                if let rotor = rotorIDs[k] {
                    dJointSetAMotorParam(rotor, Int32(dParamVel), rate)
                    dJointSetAMotorParam(rotor, Int32(dParamCFM), h / joint.armature)
                }
            }
            if drag { applyDrag() }
            let last = measureContacts && s == substeps - 1
            let contacts = addFloorContacts(feedback: last)
            if dWorldStep(world, h) == 0 { dJointGroupEmpty(contactGroup); return false }
            if last { measureContactWrench(contacts) }
            dJointGroupEmpty(contactGroup)
            for b in bodyIDs.indices {
                let v = velocity(b), w = angularVelocity(b), x = position(b)
                let speed = max(absolute(v).max(), absolute(w).max())
                if !(speed < 1e4) || !(absolute(x).max() < ArticulatedWorld.positionLimit) { return false }
            }
        }
        return true
    }

    @usableFromInline
    func applyDrag() {
        for b in bodyIDs.indices {
            let r = rotation(b)
            let local = r.transposed * (velocity(b) - wind)
            let f = r * dragForce(velocity: local, halfSizes: boxHalfSizes[b], density: airDensity, viscosity: airViscosity)
            dBodyAddForce(bodyIDs[b], f.x, f.y, f.z)
        }
    }

    /// One contact joint per contact point within the margin of the floor; returns how many.
    @usableFromInline
    func addFloorContacts(feedback withFeedback: Bool) -> Int {
        var n = 0
        let margin = model.contact.margin
        let slipMode = model.contact.slip > 0 ? Int32(dContactSlip1 | dContactSlip2) : 0
        for i in contactLocal.indices {
            let b = Int(contactBody[i])
            let body = bodyIDs[b]
            let p = position(b) + rotation(b) * contactLocal[i]
            let gap = dot(p, up) - contactRadius[i]
            guard gap < margin else { continue }
            var c = dContact()
            c.surface.mode = Int32(dContactApprox1 | dContactSoftERP | dContactSoftCFM) | slipMode
            c.surface.slip1 = model.contact.slip
            c.surface.slip2 = model.contact.slip
            c.surface.mu = contactFriction[i]
            c.surface.soft_erp = model.contact.erp
            c.surface.soft_cfm = model.contact.cfm
            let q = p - contactRadius[i] * up
            c.geom.pos = (q.x, q.y, q.z, 0)
            c.geom.normal = (up.x, up.y, up.z, 0)
            c.geom.depth = max(0, -gap)
            let joint = dJointCreateContact(world, contactGroup, &c)
            dJointAttach(joint, body, nil)
            if withFeedback {
                dJointSetFeedback(joint, feedback + n)
                contactBodyScratch(n, b)
            }
            n += 1
        }
        return n
    }

    @usableFromInline
    func contactBodyScratch(_ slot: Int, _ body: Int) {
        feedback[slot].f2.3 = Double(body)   // the unused 4th lane carries the body index
    }

    @usableFromInline
    func measureContactWrench(_ count: Int) {
        // Robot mass centre.
        var c = Vec3(0, 0, 0), m = 0.0
        for b in bodyIDs.indices { c += masses[b] * position(b); m += masses[b] }
        c /= m
        var total = 0.0
        // Wrench per body: sum its contacts' feedback (at most a few contacts per body).
        for b in bodyIDs.indices {
            var force = Vec3(0, 0, 0), torque = Vec3(0, 0, 0)
            var touched = false
            for k in 0..<count where Int(feedback[k].f2.3) == b {
                let f = Vec3(feedback[k].f1.0, feedback[k].f1.1, feedback[k].f1.2)
                let t = Vec3(feedback[k].t1.0, feedback[k].t1.1, feedback[k].t1.2)
                force += f
                torque += t + cross(position(b) - c, f)
                touched = true
            }
            let f = fromWorld(force), t = fromWorld(torque)
            contactWrench[6 * b] = t.x; contactWrench[6 * b + 1] = t.y; contactWrench[6 * b + 2] = t.z
            contactWrench[6 * b + 3] = f.x; contactWrench[6 * b + 4] = f.y; contactWrench[6 * b + 5] = f.z
            if touched {
                let cf = f.clamped(lowerBound: Vec3(repeating: -1), upperBound: Vec3(repeating: 1))
                let ct = t.clamped(lowerBound: Vec3(repeating: -1), upperBound: Vec3(repeating: 1))
                total += dot(cf, cf) + dot(ct, ct)
            }
        }
        clippedContactWrenchSquared = total
    }
}

@inlinable @inline(__always)
func vec(_ p: UnsafePointer<dReal>) -> Vec3 { Vec3(p[0], p[1], p[2]) }

/// ODE's `dMatrix3`: 3 rows of 4 (the 4th column is padding).
@usableFromInline
typealias ODEMatrix = (Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double)

@inlinable @inline(__always)
func odeMatrix(_ r: Rotation3) -> ODEMatrix {
    (r.r0.x, r.r0.y, r.r0.z, 0, r.r1.x, r.r1.y, r.r1.z, 0, r.r2.x, r.r2.y, r.r2.z, 0)
}

func inertiaMatrix(_ m: dMass) -> Rotation3 {
    let i = m.I
    return Rotation3(r0: Vec3(i.0, i.1, i.2), r1: Vec3(i.4, i.5, i.6), r2: Vec3(i.8, i.9, i.10))
}
