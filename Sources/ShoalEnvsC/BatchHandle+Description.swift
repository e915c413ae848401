import Envs

extension BatchHandle {
    /// The batch as the JSON object that `shoal_batch_info` returns (documented in the header).
    var descriptionJSON: JSONValue {
        .object([
            ("task", .string(task)),
            ("count", .integer(count)),
            ("observation_size", .integer(observationSpace.size)),
            ("action_size", .integer(actionSpace.size)),
            ("observation_space", Self.json(observationSpace)),
            ("action_space", Self.json(actionSpace)),
            ("state_names", .array(stateNames.map { .string($0) })),
            ("episode_metric", episodeMetricName.map { .string($0) } ?? .null),
            ("parameters", .array(parameterRuns.map { run in
                .object([("rows", .array([.integer(run.rows.lowerBound), .integer(run.rows.upperBound)])), ("parameters", run.parameters)])
            })),
        ])
    }

    /// A space as JSON, with its dtype as numpy names it; infinite bounds as "inf" / "-inf".
    static func json(_ space: Space) -> JSONValue {
        switch space {
        case .discrete(let n):
            return .object([("type", .string("discrete")), ("n", .integer(n)), ("shape", .array([])), ("dtype", .string("int64"))])
        case .box(let box):
            func bound(_ v: Float) -> JSONValue { v.isFinite ? .real(Double(v)) : .string(v > 0 ? "inf" : "-inf") }
            return .object([
                ("type", .string("box")), ("shape", .array(box.shape.map { .integer($0) })),
                ("low", .array(box.low.map(bound))), ("high", .array(box.high.map(bound))), ("dtype", .string("float32")),
            ])
        }
    }
}
