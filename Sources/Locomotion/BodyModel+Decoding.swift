import AssetsData
import Envs
import Foundation

extension BodyModel {
    /// Loads a bundled body file (`Assets/bodies/<name>.json`).
    public static func bundled(_ name: String) throws(BodyModelError) -> BodyModel {
        guard let folder = AssetsData.directory("bodies") else {
            throw BodyModelError("the bundled body files are missing (resource bundle not found next to the program)")
        }
        return try load(folder.appendingPathComponent("\(name).json"))
    }

    /// Loads and validates a body file.
    public static func load(_ url: URL) throws(BodyModelError) -> BodyModel {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw BodyModelError("cannot read body file \(url.lastPathComponent): \(error.localizedDescription)")
        }
        return try parse(text, file: url.lastPathComponent)
    }

    /// Decodes a body file's text strictly: a syntax error names the line and column; an unknown
    /// field, a wrong type, a joint naming a missing body, a non-positive mass or a zero-length
    /// capsule names the file and the field.
    public static func parse(_ text: String, file: String) throws(BodyModelError) -> BodyModel {
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw BodyModelError("body file \(file): \(error)") }
        let top = BodyFileReader(json, at: "body file \(file)")
        try top.allow(["name", "planar", "gravity", "contact", "limits", "bodies", "joints", "actuators"])

        let contactReader = try top.object("contact")
        try contactReader.allow(["erp", "cfm", "margin", "slip"])
        let contact = Contact(erp: try contactReader.number("erp", in: 1e-6...1),
                              cfm: try contactReader.number("cfm", in: 0...1),
                              margin: try contactReader.number("margin", in: 0...1, default: 0),
                              slip: try contactReader.number("slip", in: 0...1, default: 0))

        var limits = Limits(erp: 0.2, cfm: 1e-10)   // ODE's world defaults
        if top.json["limits"] != nil {
            let r = try top.object("limits")
            try r.allow(["erp", "cfm"])
            limits = Limits(erp: try r.number("erp", in: 1e-6...1), cfm: try r.number("cfm", in: 0...1))
        }

        var bodies: [Body] = []
        for (i, b) in try top.array("bodies").enumerated() {
            let name = b.json["name"]?.stringValue ?? "#\(i)"
            let r = BodyFileReader(b.json, at: "\(top.path), body \(name)")
            try r.allow(["name", "density", "mass", "geoms", "friction"])
            _ = try r.string("name")
            guard !bodies.contains(where: { $0.name == name }) else { throw BodyModelError("\(r.path): the name is used twice") }
            let mass: Double? = r.json["mass"] == nil ? nil : try r.number("mass", in: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)
            if let mass, mass <= 0 { throw BodyModelError("\(r.path): field mass: \(formatJSONNumber(mass)) is not a positive mass (kg)") }
            if mass != nil { _ = try r.number("mass", in: BodyModel.massRange, unit: "kg") }
            let density = try r.number("density", in: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude, default: 1000)
            guard density > 0 else { throw BodyModelError("\(r.path): field density: \(formatJSONNumber(density)) is not a positive density (kg/m³)") }
            _ = try r.number("density", in: BodyModel.densityRange, default: 1000, unit: "kg/m³")
            var geoms: [Geom] = []
            for (k, g) in try r.array("geoms").enumerated() {
                let gr = BodyFileReader(g.json, at: "\(r.path), geom \(k)")
                let kind = try gr.string("type")
                let radius = try gr.number("radius", in: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)
                guard radius > 0 else { throw BodyModelError("\(gr.path): field radius: \(formatJSONNumber(radius)) is not a positive radius (m)") }
                _ = try gr.number("radius", in: BodyModel.sizeRange, unit: "m")
                switch kind {
                case "capsule":
                    try gr.allow(["type", "from", "to", "radius"])
                    let from = try gr.vector("from"), to = try gr.vector("to")
                    guard length(to - from) > 1e-9 else {
                        throw BodyModelError("\(gr.path): the capsule has zero length (from and to are the same point); use a sphere")
                    }
                    geoms.append(.capsule(from: from, to: to, radius: radius))
                case "sphere":
                    try gr.allow(["type", "center", "radius"])
                    geoms.append(.sphere(center: try gr.vector("center"), radius: radius))
                default:
                    throw BodyModelError("\(gr.path): field type: '\(kind)' is not a geom type (valid: capsule, sphere)")
                }
            }
            guard !geoms.isEmpty else { throw BodyModelError("\(r.path): field geoms: a body needs at least one geom") }
            bodies.append(Body(name: name, density: density, mass: mass, geoms: geoms,
                               friction: try r.number("friction", in: 0...100, default: 1)))
        }
        guard !bodies.isEmpty else { throw BodyModelError("\(top.path): field bodies: a robot needs at least one body") }

        func bodyIndex(_ r: BodyFileReader, _ key: String) throws(BodyModelError) -> Int {
            let name = try r.string(key)
            guard let i = bodies.firstIndex(where: { $0.name == name }) else {
                var message = "\(r.path): field \(key): no body is named '\(name)'"
                if let g = closestName(to: name, among: bodies.map(\.name)) { message += "; did you mean '\(g)'?" }
                throw BodyModelError(message + " Bodies: \(bodies.map(\.name).joined(separator: ", ")).")
            }
            return i
        }

        var joints: [Joint] = []
        var hasParent = [Bool](repeating: false, count: bodies.count)
        for (i, j) in try top.array("joints").enumerated() {
            let name = j.json["name"]?.stringValue ?? "#\(i)"
            let r = BodyFileReader(j.json, at: "\(top.path), joint \(name)")
            try r.allow(["name", "parent", "child", "anchor", "axis", "range", "damping", "armature"])
            _ = try r.string("name")
            guard !joints.contains(where: { $0.name == name }) else { throw BodyModelError("\(r.path): the name is used twice") }
            let parent = try bodyIndex(r, "parent"), child = try bodyIndex(r, "child")
            guard child != 0 else { throw BodyModelError("\(r.path): field child: the root body \(bodies[0].name) cannot be a joint's child") }
            guard parent != child else { throw BodyModelError("\(r.path): a joint cannot connect body \(bodies[child].name) to itself") }
            guard !hasParent[child] else { throw BodyModelError("\(r.path): field child: body \(bodies[child].name) already has a parent joint") }
            hasParent[child] = true
            let axis = try r.vector("axis")
            guard length(axis) > 1e-9 else { throw BodyModelError("\(r.path): field axis: the axis has zero length") }
            var range: ClosedRange<Double>?
            if let value = r.json["range"] {
                guard let pair = value.arrayValue, pair.count == 2, let lo = pair[0].doubleValue, let hi = pair[1].doubleValue,
                      lo.isFinite, hi.isFinite, lo <= hi, lo > -180, hi < 180 else {
                    throw BodyModelError("\(r.path): field range: expected [low, high] in degrees with −180 < low ≤ high < 180")
                }
                range = (lo * .pi / 180)...(hi * .pi / 180)
            }
            joints.append(Joint(name: name, parent: parent, child: child, anchor: try r.vector("anchor"), axis: axis / length(axis),
                                range: range, damping: try r.number("damping", in: 0...1e6, default: 0),
                                armature: try r.number("armature", in: 0...1e6, default: 0)))
        }
        for b in 1..<bodies.count where !hasParent[b] {
            throw BodyModelError("\(top.path): body \(bodies[b].name) is not attached: no joint names it as its child")
        }
        // Every body must hang from the root (no cycles): walk up from each body.
        for b in bodies.indices {
            var at = b, steps = 0
            while at != 0 {
                guard let j = joints.first(where: { $0.child == at }), steps <= bodies.count else {
                    throw BodyModelError("\(top.path): body \(bodies[b].name) does not hang from the root \(bodies[0].name) (the joints form a cycle)")
                }
                at = j.parent
                steps += 1
            }
        }

        var actuators: [Actuator] = []
        for (i, a) in try top.array("actuators").enumerated() {
            let r = BodyFileReader(a.json, at: "\(top.path), actuator \(i)")
            try r.allow(["joint", "gear"])
            let name = try r.string("joint")
            guard let j = joints.firstIndex(where: { $0.name == name }) else {
                var message = "\(r.path): field joint: no joint is named '\(name)'"
                if let g = closestName(to: name, among: joints.map(\.name)) { message += "; did you mean '\(g)'?" }
                throw BodyModelError(message)
            }
            actuators.append(Actuator(joint: j, gear: try r.number("gear", in: 0...1e6)))
        }

        return BodyModel(name: try top.string("name"), planar: try top.bool("planar", default: false),
                         gravity: try top.number("gravity", in: 0...1000, default: 9.81), contact: contact, limits: limits,
                         bodies: bodies, joints: joints, actuators: actuators)
    }
}

/// Strict field access on one JSON object of a body file; every error starts with `path`.
struct BodyFileReader {
    let json: JSONValue
    let path: String

    init(_ json: JSONValue, at path: String) {
        self.json = json
        self.path = path
    }

    func allow(_ keys: [String]) throws(BodyModelError) {
        guard let pairs = json.objectPairs else { throw BodyModelError("\(path): expected a JSON object, found \(json.typeName)") }
        for (k, _) in pairs where !keys.contains(k) {
            var message = "\(path): unknown field '\(k)'"
            if let g = closestName(to: k, among: keys) { message += "; did you mean '\(g)'?" }
            throw BodyModelError(message + " Valid fields: \(keys.joined(separator: ", ")).")
        }
    }

    func value(_ key: String) throws(BodyModelError) -> JSONValue {
        guard json.objectPairs != nil else { throw BodyModelError("\(path): expected a JSON object, found \(json.typeName)") }
        guard let v = json[key] else { throw BodyModelError("\(path): field \(key) is required") }
        return v
    }

    func number(_ key: String, in range: ClosedRange<Double>, default fallback: Double? = nil, unit: String? = nil) throws(BodyModelError) -> Double {
        if json[key] == nil, let fallback { return fallback }
        guard let v = try value(key).doubleValue, v.isFinite else { throw BodyModelError("\(path): field \(key) must be a finite number") }
        guard range.contains(v) else {
            let units = unit.map { " \($0)" } ?? ""
            throw BodyModelError("\(path): field \(key): \(formatJSONNumber(v)) is outside [\(formatJSONNumber(range.lowerBound)), \(formatJSONNumber(range.upperBound))]\(units)"
                + (unit == nil ? "" : ", the range in which the simulation is valid"))
        }
        return v
    }

    func string(_ key: String) throws(BodyModelError) -> String {
        guard let s = try value(key).stringValue else { throw BodyModelError("\(path): field \(key) must be a string") }
        return s
    }

    func bool(_ key: String, default fallback: Bool) throws(BodyModelError) -> Bool {
        guard let v = json[key] else { return fallback }
        guard case .bool(let b) = v else { throw BodyModelError("\(path): field \(key) must be true or false") }
        return b
    }

    func vector(_ key: String) throws(BodyModelError) -> Vec3 {
        guard let a = try value(key).arrayValue, a.count == 3,
              let x = a[0].doubleValue, let y = a[1].doubleValue, let z = a[2].doubleValue,
              x.isFinite, y.isFinite, z.isFinite, abs(x) <= BodyModel.coordinateLimit, abs(y) <= BodyModel.coordinateLimit,
              abs(z) <= BodyModel.coordinateLimit else {
            throw BodyModelError("\(path): field \(key) must be a list of three numbers [x, y, z] within ±\(formatJSONNumber(BodyModel.coordinateLimit)) m")
        }
        return Vec3(x, y, z)
    }

    func object(_ key: String) throws(BodyModelError) -> BodyFileReader {
        BodyFileReader(try value(key), at: "\(path), \(key)")
    }

    func array(_ key: String) throws(BodyModelError) -> [BodyFileReader] {
        guard let a = try value(key).arrayValue else { throw BodyModelError("\(path): field \(key) must be a list") }
        return a.map { BodyFileReader($0, at: path) }
    }
}

extension BodyModel {
    /// Densities a body file may give (kg/m³): from a light foam to twice osmium. Lighter or
    /// heavier bodies make ODE's mass matrix ill-conditioned (near-zero masses abort inside ODE).
    public static let densityRange: ClosedRange<Double> = 1...50_000
    /// Explicit body masses (kg).
    public static let massRange: ClosedRange<Double> = 1e-3...1e4
    /// Geom radii (m).
    public static let sizeRange: ClosedRange<Double> = 1e-3...10
    /// Largest absolute coordinate of a point or axis in a body file (m).
    public static let coordinateLimit = 100.0
}
