/// A registered task whose copies hold several agents: the registry and the command line build
/// its batches with ``makeMultiAgentVector(_:threads:)``. Its single-agent
/// ``RegisteredTask/makeVector(_:threads:)`` throws, naming the multi-agent call.
public protocol MultiAgentRegisteredTask: RegisteredTask {
    /// A batch with one copy per assignment (each applied on top of the task's parameters),
    /// split over `threads` threads.
    func makeMultiAgentVector(_ assignments: [JSONValue], threads: Int) throws -> any MultiAgentVectorEnvironment
}

/// A multi-agent task whose batches are made of the concrete vector type `V`: the counterpart of
/// ``Task`` (same parameters, variants, strict decoding and family-file derivation).
public struct MultiAgentTask<V: ParametricMultiAgentVector>: MultiAgentRegisteredTask {
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
        self.tags = tags.contains("multi-agent") ? tags : tags + ["multi-agent"]
        self.parameters = parameters
        self.presets = presets
    }

    public var parameterFields: [ParameterField] { V.Parameters.fields }

    public var defaultParameters: JSONValue { (try? encodeParameters(parameters)) ?? .object([]) }

    public var variants: [(name: String, parameters: JSONValue)] {
        presets.map { preset in
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
    public func makeTypedVector(_ parameters: [V.Parameters], threads: Int) throws(EnvironmentError) -> ParallelMultiAgentVector<V> {
        guard !parameters.isEmpty else { throw .invalid("a batch needs at least one copy") }
        var chunks: [V] = []
        for range in chunkRanges(count: parameters.count, threads: threads) {
            chunks.append(try V(parameters: Array(parameters[range]), firstIndex: range.lowerBound))
        }
        return try ParallelMultiAgentVector(chunks: chunks, threads: threads)
    }

    public func makeMultiAgentVector(_ assignments: [JSONValue], threads: Int) throws -> any MultiAgentVectorEnvironment {
        var typed: [V.Parameters] = []
        typed.reserveCapacity(assignments.count)
        var cache: [String: V.Parameters] = [:]
        for (i, a) in assignments.enumerated() {
            let key = a.description
            if let p = cache[key] { typed.append(p); continue }
            let p = try typedParameters(a, context: "task \(id), copy \(i)")
            cache[key] = p
            typed.append(p)
        }
        if threads <= 1 { return try V(parameters: typed, firstIndex: 0) }
        return try makeTypedVector(typed, threads: threads)
    }

    public func makeVector(_ assignments: [JSONValue], threads: Int) throws -> any VectorEnvironment {
        throw RegistryError("task \(id) is a multi-agent task: build its batches with makeMultiAgentVector (TaskRegistry.makeMultiAgent)")
    }

    public func derived(id: TaskID, summary: String?, preset: JSONValue, variants: [(name: String, parameters: JSONValue)],
                        context: String) throws(ParameterError) -> any RegisteredTask {
        let base = try typedParameters(preset, context: context)
        var typedVariants: [(name: String, parameters: V.Parameters)] = []
        for v in variants {
            typedVariants.append((v.name, try decodeParameters(V.Parameters.self, from: v.parameters, base: base, context: "\(context), variant \(v.name)")))
        }
        return MultiAgentTask(id.description, summary: summary ?? self.summary, source: context, tags: tags, parameters: base, presets: typedVariants)
    }
}

extension MultiAgentTask: TabularTask where V.Parameters: TabularParameters {
    public func tabularModel(_ assignment: JSONValue, context: String) throws -> TabularModel {
        try typedParameters(assignment, context: context).tabularModel()
    }
}

extension TaskRegistry {
    /// Looks a multi-agent task up by id text; a single-agent task gets an error saying so.
    public func multiAgentTask(_ text: String) throws(RegistryError) -> any MultiAgentRegisteredTask {
        let t = try task(text)
        guard let m = t as? any MultiAgentRegisteredTask else {
            throw RegistryError("task \(t.id) is a single-agent task: build its batches with TaskRegistry.make")
        }
        return m
    }

    /// A multi-agent batch of `count` copies of one task, with an optional variant and overrides.
    public func makeMultiAgent(_ id: String, count: Int, variant: String? = nil, overrides: JSONValue = .object([]),
                               threads: Int = 1) throws -> any MultiAgentVectorEnvironment {
        guard count >= 1 else { throw RegistryError("the number of copies must be at least 1, got \(count)") }
        guard threads >= 1 else { throw RegistryError("the number of threads must be at least 1, got \(threads)") }
        let task = try multiAgentTask(id)
        var assignment = JSONValue.object([])
        if let variant { assignment = try task.variant(variant) }
        assignment = assignment.merging(overrides)
        let resolved = try task.resolve(assignment, context: "task \(task.id)")
        return try task.makeMultiAgentVector([JSONValue](repeating: resolved, count: count), threads: threads)
    }
}
