/// An actions file, as `shoal envs rollout --actions-file` reads it: a JSON array of integers
/// for a discrete space, or of arrays of numbers for a box (a bare number for a 1-D box).
public enum ActionsFile {
    /// The actions of `text`, one `[Float]` per step; `path` names the file in errors.
    /// - Throws: ``EnvironmentError/invalid(_:)`` with one sentence naming the file (and the line
    ///   and column of a syntax error, or the index of a bad action).
    public static func parse(_ text: String, space: Space, path: String) throws(EnvironmentError) -> [[Float]] {
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw .invalid("actions file \(path) is not valid JSON: \(error)") }
        guard let items = json.arrayValue else { throw .invalid("actions file \(path) must hold a JSON array of actions") }
        var actions: [[Float]] = []
        actions.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            switch space {
            case .discrete(let n):
                guard case .number(let v, _) = item, v == v.rounded(), v >= 0, v < Double(n) else {
                    throw .invalid("actions file \(path): action \(i) is \(item), but this task takes an integer from 0 to \(n - 1)")
                }
                actions.append([Float(v)])
            case .box(let box):
                let values: [JSONValue]
                if let list = item.arrayValue { values = list } else if box.low.count == 1, item.doubleValue != nil { values = [item] } else {
                    throw .invalid("actions file \(path): action \(i) must be an array of \(box.low.count) numbers")
                }
                guard values.count == box.low.count,
                      values.allSatisfy({ v in v.doubleValue.map { abs($0) <= Double(Float.greatestFiniteMagnitude) } == true }) else {
                    throw .invalid("actions file \(path): action \(i) must be an array of \(box.low.count) finite numbers, got \(item)")
                }
                actions.append(values.map { Float($0.doubleValue!) })
            }
        }
        return actions
    }
}
