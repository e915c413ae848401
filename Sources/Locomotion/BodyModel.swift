/// A robot as data: rigid bodies made of capsules and spheres, hinge joints between them,
/// motors on some joints, and contact settings. ``ArticulatedWorld`` turns one into an ODE
/// world, so a new robot is a new JSON file (`Assets/bodies/*.json`, see `docs/locomotion.md`).
///
/// Coordinates are MuJoCo's: metres, z up, every position given in the world at the rest pose
/// (all joint angles 0), where every body frame is aligned with the world. The first body is
/// the root: free in 3-D, or confined to the x–z plane when `planar` is true.
public struct BodyModel: Sendable, Equatable {
    /// One collision and mass primitive of a body.
    public enum Geom: Sendable, Equatable {
        /// A capsule around the segment `from → to` (rest pose, world) with `radius`.
        case capsule(from: Vec3, to: Vec3, radius: Double)
        /// A sphere at `center` (rest pose, world).
        case sphere(center: Vec3, radius: Double)
    }

    public struct Body: Sendable, Equatable {
        public var name: String
        /// Mass density of the geoms (kg/m³); MuJoCo's `inertiafromgeom` default is 1000.
        public var density: Double
        /// A total mass that replaces the geoms' (kg), if given.
        public var mass: Double?
        public var geoms: [Geom]
        /// Coulomb friction of this body against the floor (the pair's maximum, as in MuJoCo).
        public var friction: Double
    }

    public struct Joint: Sendable, Equatable {
        public var name: String
        public var parent: Int
        public var child: Int
        /// Rest-pose world anchor and unit axis; the angle is the child's rotation relative to
        /// the parent about the axis (right-hand rule), 0 at rest.
        public var anchor: Vec3
        public var axis: Vec3
        /// Limits in radians (the file gives degrees), if limited.
        public var range: ClosedRange<Double>?
        /// Viscous joint damping (N·m·s/rad).
        public var damping: Double
        /// Rotor inertia of the joint (kg·m²), MuJoCo's `armature`.
        public var armature: Double
    }

    public struct Actuator: Sendable, Equatable {
        public var joint: Int
        /// Torque at action 1 (N·m); the action is clipped to [−1, 1].
        public var gear: Double
    }

    /// Soft contact with the floor: ODE's contact ERP and CFM, the activation margin (m), and
    /// the force-dependent slip (m/s per N, ODE's `slip1`/`slip2`; 0: none): a tangential force
    /// F lets the contact slide at `slip·F`, the creep of MuJoCo's soft friction.
    public struct Contact: Sendable, Equatable {
        public var erp: Double
        public var cfm: Double
        public var margin: Double
        public var slip: Double

        public init(erp: Double, cfm: Double, margin: Double, slip: Double = 0) {
            self.erp = erp; self.cfm = cfm; self.margin = margin; self.slip = slip
        }
    }

    /// Softness of the joint stops (ODE's stop ERP and CFM at the robot's default substep).
    public struct Limits: Sendable, Equatable {
        public var erp: Double
        public var cfm: Double
    }

    public var name: String
    public var planar: Bool
    /// Magnitude of gravity (m/s², pointing down).
    public var gravity: Double
    public var contact: Contact
    public var limits: Limits
    public var bodies: [Body]
    public var joints: [Joint]
    public var actuators: [Actuator]
}
