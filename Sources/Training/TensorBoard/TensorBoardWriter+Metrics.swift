import Envs

extension TensorBoardWriter {
    /// Writes one metrics line (a JSON object as `metrics.jsonl` holds) as one event: every key
    /// with a number becomes a tag, except the step keys (`round`, `env_steps`); the step is the
    /// line's `env_steps` unless `step` is given. Nulls (a round without a finished episode) are
    /// left out. With `lists`, arrays of numbers (per agent, per task) become `key/0`, `key/1`, ….
    /// Returns the number of scalars written; a line without `env_steps` and no `step` throws.
    ///
    /// The trainer wires it in with one call after each logged line:
    /// `try board.add(metrics: line); try board.flush()`.
    @discardableResult
    public func add(metrics line: JSONValue, step: Int? = nil, wallTime: Double? = nil, lists: Bool = false) throws -> Int {
        guard let pairs = line.objectPairs else { throw TensorBoardError("a metrics line must be a JSON object, got \(line.typeName)") }
        guard let step = step ?? line["env_steps"]?.doubleValue.map({ Int($0) }) else {
            throw TensorBoardError("the metrics line has no env_steps to use as the TensorBoard step")
        }
        var scalars: [(String, Double)] = []
        for (key, value) in pairs where key != "round" && key != "env_steps" {
            if let v = value.doubleValue {
                scalars.append((key, v))
            } else if lists, let items = value.arrayValue {
                for (k, item) in items.enumerated() { if let v = item.doubleValue { scalars.append(("\(key)/\(k)", v)) } }
            }
        }
        try add(scalars: scalars, step: step, wallTime: wallTime)
        return scalars.count
    }
}
