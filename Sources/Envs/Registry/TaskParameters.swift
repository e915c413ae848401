import Foundation

/// Every tunable number of a task family, as one value: masses, lengths, time limits, maps.
///
/// Conforming types list their fields (canonical snake_case names, valid ranges, defaults via
/// the type's `init()`), so that data files and `--param NAME=VALUE` overrides are decoded
/// strictly: an unknown name, a wrong type, an out-of-range or non-finite value is an error that
/// names the field and the valid range (see ``decodeParameters(_:from:base:context:)``).
public protocol TaskParameters: Codable, Sendable, Equatable {
    /// The defaults of the family's reference task.
    init()
    /// Every field, in a stable order (the order of `describe` and of grid task sets).
    static var fields: [ParameterField] { get }
    /// Keys that set several fields to one value (for example `link_mass` → both link masses).
    static var shorthands: [String: [String]] { get }
    /// A rule that spans fields (beyond each field's range); nil when the value is valid.
    func validationProblem() -> String?
}

extension TaskParameters {
    public static var shorthands: [String: [String]] { [:] }
    public func validationProblem() -> String? { nil }
}

/// One tunable of a family: its canonical name, kind and valid range, and a short description.
public struct ParameterField: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A finite real number in the closed range.
        case real(ClosedRange<Double>)
        /// An integer in the closed range.
        case integer(ClosedRange<Int>)
        case boolean
        /// A string, one of `allowed` (any string if empty).
        case text(allowed: [String])
        /// Structured JSON (arrays, objects), validated by the family itself.
        case structured(String)
    }

    public var name: String
    public var kind: Kind
    public var summary: String

    public init(_ name: String, _ kind: Kind, _ summary: String) {
        self.name = name
        self.kind = kind
        self.summary = summary
    }

    /// The valid values, as a phrase for error messages and `describe`.
    public var validRange: String {
        switch kind {
        case .real(let r): return "a number in [\(formatJSONNumber(r.lowerBound)), \(formatJSONNumber(r.upperBound))]"
        case .integer(let r): return "an integer in [\(r.lowerBound), \(r.upperBound)]"
        case .boolean: return "true or false"
        case .text(let allowed): return allowed.isEmpty ? "a string" : "one of " + allowed.joined(separator: ", ")
        case .structured(let what): return what
        }
    }

    /// Checks one value against the field; returns the problem as a sentence fragment.
    public func problem(with value: JSONValue) -> String? {
        switch (kind, value) {
        case let (.real(range), .number(v, _)):
            return range.contains(v) ? nil : "\(formatJSONNumber(v)) is outside the valid range: \(name) must be \(validRange)"
        case let (.integer(range), .number(v, _)):
            guard v == v.rounded(), let i = Int(exactly: v) else { return "\(formatJSONNumber(v)) is not an integer: \(name) must be \(validRange)" }
            return range.contains(i) ? nil : "\(i) is outside the valid range: \(name) must be \(validRange)"
        case (.boolean, .bool): return nil
        case let (.text(allowed), .string(s)):
            return allowed.isEmpty || allowed.contains(s) ? nil : "'\(s)' is not valid: \(name) must be \(validRange)"
        case (.structured, _): return nil
        default: return "\(value.typeName) is the wrong type: \(name) must be \(validRange)"
        }
    }
}

/// A parameter value that is not valid for its family, or a malformed data file.
public struct ParameterError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Decodes `assignment` (an object of field name → value) on top of `base`, strictly.
///
/// - An unknown key is an error that suggests the closest field name.
/// - A value of the wrong type, out of range or not finite is an error naming the field and the
///   valid range. Shorthand keys set every field they stand for.
/// - `context` (for example `file pendulum.json, task set pendulum-25`) starts every message.
public func decodeParameters<P: TaskParameters>(
    _ type: P.Type, from assignment: JSONValue, base: P = P(), context: String
) throws(ParameterError) -> P {
    guard let pairs = assignment.objectPairs else {
        throw ParameterError("\(context): parameters must be a JSON object of name → value, not \(assignment.typeName)")
    }
    let fields = Dictionary(uniqueKeysWithValues: P.fields.map { ($0.name, $0) })
    var merged = try encodeParameters(base)
    for (key, value) in pairs {
        let targets = P.shorthands[key] ?? [key]
        for target in targets {
            guard let field = fields[target] else {
                let names = P.fields.map(\.name) + P.shorthands.keys.sorted()
                var message = "\(context): unknown parameter '\(key)'"
                if let guess = closestName(to: key, among: names) { message += "; did you mean '\(guess)'?" }
                message += " Valid parameters: \(names.joined(separator: ", "))."
                throw ParameterError(message)
            }
            if let problem = field.problem(with: value) { throw ParameterError("\(context): parameter \(target): \(problem)") }
            merged = merged.setting(target, to: value)
        }
    }
    let decoded: P
    do {
        decoded = try JSONDecoder().decode(P.self, from: Data(merged.description.utf8))
    } catch {
        throw ParameterError("\(context): the parameters do not decode: \(error)")
    }
    if let problem = decoded.validationProblem() { throw ParameterError("\(context): \(problem)") }
    return decoded
}

/// The parameters as a JSON object keyed by canonical field names.
public func encodeParameters<P: TaskParameters>(_ parameters: P) throws(ParameterError) -> JSONValue {
    do {
        let data = try JSONEncoder().encode(parameters)
        return try JSONValue.parse(String(decoding: data, as: UTF8.self))
    } catch {
        throw ParameterError("parameters of \(P.self) do not encode: \(error)")
    }
}

/// Parses `NAME=VALUE` (a `--param` argument) into a key and a JSON value: numbers, `true`,
/// `false`, JSON arrays and objects are read as JSON, anything else is a string.
public func parseAssignment(_ text: String) throws(ParameterError) -> (key: String, value: JSONValue) {
    guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
        throw ParameterError("'\(text)' is not a parameter assignment: write NAME=VALUE, for example mass=1.2")
    }
    let key = String(text[..<eq])
    let raw = String(text[text.index(after: eq)...])
    if let value = try? JSONValue.parse(raw) {
        return (key, value)
    }
    if raw.lowercased() == "nan" || raw.lowercased().contains("inf") {
        throw ParameterError("parameter \(key): '\(raw)' is not a finite number")
    }
    return (key, .string(raw))
}

extension JSONValue {
    /// This object with `key` set to `value` (added at the end if missing).
    public func setting(_ key: String, to value: JSONValue) -> JSONValue {
        guard var pairs = objectPairs else { return self }
        if let i = pairs.firstIndex(where: { $0.key == key }) { pairs[i].value = value } else { pairs.append((key, value)) }
        return .object(pairs)
    }

    /// This object with every pair of `other` set on it.
    public func merging(_ other: JSONValue) -> JSONValue {
        var result = self
        for (k, v) in other.objectPairs ?? [] { result = result.setting(k, to: v) }
        return result
    }
}
