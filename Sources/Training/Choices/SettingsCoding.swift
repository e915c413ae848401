import Envs
import Foundation

/// Decodes a settings block (`{"learning_rate": 0.001}`) over `defaults`, strictly: an unknown
/// key is an error with a suggestion, and every value must have the JSON kind of its default
/// (an integer where the default is an integer, …). The result is every setting, resolved.
public func resolveSettings<T: Codable>(_ type: T.Type, from block: JSONValue, defaults: T, context: String) throws -> T {
    guard let pairs = block.objectPairs else { throw TrainingError("\(context): settings are a JSON object, got \(block.typeName)") }
    let template = try encodeJSON(defaults)
    let keys = template.objectPairs?.map(\.key) ?? []
    // A real setting whose default is a whole number (1.0) encodes like an integer; a fraction
    // given for it is accepted if the type decodes it, and refused as "must be an integer" if not.
    var fractional: [(key: String, problem: String)] = []
    for (k, v) in pairs {
        guard let d = template[k] else {
            var m = "\(context): unknown key '\(k)'"
            if let g = closestName(to: k, among: keys) { m += "; did you mean '\(g)'?" } else { m += "." }
            throw TrainingError(m + (keys.isEmpty ? " It takes no settings." : " Valid keys: \(keys.joined(separator: ", "))."))
        }
        if let problem = kindMismatch(v, like: d) {
            if case .number(_, isInteger: true) = d, case .number(let x, _) = v, x.isFinite {
                fractional.append((k, problem))
                continue
            }
            throw TrainingError("\(context): '\(k)' \(problem)")
        }
    }
    var merged = template
    for (k, v) in pairs { merged = merged.setting(k, to: v) }
    do {
        return try JSONDecoder().decode(T.self, from: Data(merged.description.utf8))
    } catch let error as DecodingError where !fractional.isEmpty {
        let path: [CodingKey]
        switch error {
        case .dataCorrupted(let c), .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c): path = c.codingPath
        @unknown default: path = []
        }
        let key = path.first?.stringValue
        let bad = fractional.first { $0.key == key } ?? fractional[0]
        throw TrainingError("\(context): '\(bad.key)' \(bad.problem)")
    } catch let error as TrainingError {
        throw TrainingError("\(context): \(error.message)")
    } catch let DecodingError.dataCorrupted(ctx) {
        let key = ctx.codingPath.map(\.stringValue).joined(separator: ".")
        throw TrainingError("\(context): '\(key)' is not valid: \(ctx.debugDescription)")
    } catch {
        throw TrainingError("\(context): \(error)")
    }
}

/// Why `value` cannot stand where `template` stands, as the end of a sentence, or nil.
func kindMismatch(_ value: JSONValue, like template: JSONValue) -> String? {
    func shown(_ v: JSONValue) -> String {
        if case .number(let d, _) = v, !d.isFinite { return "\(d)" }
        return v.description
    }
    switch template {
    case .number(_, isInteger: true):
        guard case .number(let d, _) = value, d.isFinite, d == d.rounded(), abs(d) < 9.0e15 else {
            return "must be an integer, got \(shown(value))"
        }
    case .number:
        guard case .number(let d, _) = value, d.isFinite else { return "must be a finite number, got \(shown(value))" }
    case .string:
        guard case .string = value else { return "must be a string, got \(shown(value))" }
    case .bool:
        guard case .bool = value else { return "must be true or false, got \(shown(value))" }
    case .array(let items):
        guard case .array(let given) = value else { return "must be an array, got \(shown(value))" }
        if let first = items.first {
            for (i, item) in given.enumerated() {
                if let p = kindMismatch(item, like: first) { return "item \(i) \(p)" }
            }
        }
    case .object:
        guard case .object = value else { return "must be an object, got \(shown(value))" }
    case .null:
        return nil
    }
    return nil
}
