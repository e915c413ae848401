/// A task as the registry and the command line see it: its identity, documentation and
/// parameters, and a way to build a batch from per-copy parameter assignments.
///
/// Parameters cross this boundary as JSON objects keyed by canonical names, so that data
/// files, `--param` overrides and task sets share one strict decoder; inside, ``Task`` decodes
/// them into the family's typed `Parameters` and builds a specialised vector.
public protocol RegisteredTask: Sendable {
    var id: TaskID { get }
    /// One line: what the task is.
    var summary: String { get }
    /// Where its definition comes from (a paper section, a reference implementation).
    var source: String { get }
    var tags: [String] { get }
    /// Every parameter with its kind and range.
    var parameterFields: [ParameterField] { get }
    /// The task's parameters (its defaults), as a JSON object.
    var defaultParameters: JSONValue { get }
    /// Named presets of this task (`task-1`, `stochastic`, …), each a JSON object of overrides.
    var variants: [(name: String, parameters: JSONValue)] { get }

    /// The task's parameters with `assignment` applied, validated strictly, as a full JSON object.
    func resolve(_ assignment: JSONValue, context: String) throws(ParameterError) -> JSONValue
    /// A batch with one copy per assignment (each applied on top of the task's parameters),
    /// split over `threads` threads.
    func makeVector(_ assignments: [JSONValue], threads: Int) throws -> any VectorEnvironment
    /// A batch of `count` copies of one assignment, decoded once (O(count) with a small constant).
    func makeVector(repeating assignment: JSONValue, count: Int, threads: Int) throws -> any VectorEnvironment
    /// A new task with this one's physics under another id, with `preset` applied to its
    /// parameters and `variants` as its named presets (used by family data files).
    func derived(id: TaskID, summary: String?, preset: JSONValue, variants: [(name: String, parameters: JSONValue)], context: String) throws(ParameterError) -> any RegisteredTask
}

extension RegisteredTask {
    public func makeVector(repeating assignment: JSONValue, count: Int, threads: Int) throws -> any VectorEnvironment {
        try makeVector([JSONValue](repeating: assignment, count: count), threads: threads)
    }

    /// The overrides of the named variant; an unknown name gets the list of valid ones.
    public func variant(_ name: String) throws(RegistryError) -> JSONValue {
        if let v = variants.first(where: { $0.name == name }) { return v.parameters }
        let names = variants.map(\.name)
        var message = "task \(id) has no variant '\(name)'"
        if let guess = closestName(to: name, among: names) { message += "; did you mean '\(guess)'?" }
        message += names.isEmpty ? " It has no variants." : " Valid variants: \(names.joined(separator: ", "))."
        throw RegistryError(message)
    }
}

/// A task whose batches are made of the concrete vector type `V`: the one implementation of
/// ``RegisteredTask``. Built-in tasks are one line each in `TaskRegistry+Standard.swift`.
public struct Task<V: ParametricVector>: RegisteredTask {
    public let id: TaskID
    public let summary: String
    public let source: String
    public let tags: [String]
    /// The task's typed parameters.
    public let parameters: V.Parameters
    /// Named presets, typed.
    public let presets: [(name: String, parameters: V.Parameters)]

    public init(_ id: String, summary: String, source: String, tags: [String] = [], parameters: V.Parameters = .init(),
                presets: [(name: String, parameters: V.Parameters)] = []) {
        guard let parsed = TaskID(id) else { preconditionFailure("built-in task id '\(id)' is malformed") }
        self.id = parsed
        self.summary = summary
        self.source = source
        self.tags = tags
        self.parameters = parameters
        self.presets = presets
    }

    public var parameterFields: [ParameterField] { V.Parameters.fields }

    public var defaultParameters: JSONValue { (try? encodeParameters(parameters)) ?? .object([]) }

    public var variants: [(name: String, parameters: JSONValue)] {
        presets.map { preset in
            // Only the fields that differ from the task's parameters, so a variant reads as overrides.
            let full = (try? encodeParameters(preset.parameters))?.objectPairs ?? []
            let base = defaultParameters
            return (preset.name, .object(full.filter { base[$0.key] != $0.value }))
        }
    }

    /// Decodes one assignment into typed parameters.
    public func typedParameters(_ assignment: JSONValue, context: String) throws(ParameterError) -> V.Parameters {
        try decodeParameters(V.Parameters.self, from: assignment, base: parameters, context: context)
    }

    public func resolve(_ assignment: JSONValue, context: String) throws(ParameterError) -> JSONValue {
        try encodeParameters(try typedParameters(assignment, context: context))
    }

    /// A typed batch (the specialised path for code that knows the task's type).
    public func makeTypedVector(_ parameters: [V.Parameters], threads: Int) throws(EnvironmentError) -> ParallelVector<V> {
        guard !parameters.isEmpty else { throw .invalid("a batch needs at least one copy") }
        var chunks: [V] = []
        for range in chunkRanges(count: parameters.count, threads: threads) {
            chunks.append(try V(parameters: Array(parameters[range]), firstIndex: range.lowerBound))
        }
        return try ParallelVector(chunks: chunks, threads: threads)
    }

    public func makeVector(_ assignments: [JSONValue], threads: Int) throws -> any VectorEnvironment {
        var typed: [V.Parameters] = []
        typed.reserveCapacity(assignments.count)
        // Task sets repeat each assignment over consecutive copies: decode a run once.
        var previous: (assignment: JSONValue, parameters: V.Parameters)?
        for (i, a) in assignments.enumerated() {
            if let previous, previous.assignment == a { typed.append(previous.parameters); continue }
            let p = try typedParameters(a, context: "task \(id), copy \(i)")
            previous = (a, p)
            typed.append(p)
        }
        return try makeVector(typed: typed, threads: threads)
    }

    public func makeVector(repeating assignment: JSONValue, count: Int, threads: Int) throws -> any VectorEnvironment {
        let p = try typedParameters(assignment, context: "task \(id)")
        return try makeVector(typed: [V.Parameters](repeating: p, count: count), threads: threads)
    }

    private func makeVector(typed: [V.Parameters], threads: Int) throws -> any VectorEnvironment {
        if threads <= 1 {
            return try V(parameters: typed, firstIndex: 0)
        }
        return try makeTypedVector(typed, threads: threads)
    }

    public func derived(id: TaskID, summary: String?, preset: JSONValue, variants: [(name: String, parameters: JSONValue)],
                        context: String) throws(ParameterError) -> any RegisteredTask {
        let base = try typedParameters(preset, context: context)
        var typedVariants: [(name: String, parameters: V.Parameters)] = []
        for v in variants {
            typedVariants.append((v.name, try decodeParameters(V.Parameters.self, from: v.parameters, base: base, context: "\(context), variant \(v.name)")))
        }
        return Task(id.description, summary: summary ?? self.summary, source: context, tags: tags, parameters: base, presets: typedVariants)
    }
}
