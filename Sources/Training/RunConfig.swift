import Envs
import Foundation

/// Everything a training run needs, fully resolved: written as `config.json` in the run
/// directory, so that the run can be repeated (`shoal train --config RUN/config.json`).
/// Keys are snake_case; decoding is strict (see ``RunConfig/decode(_:context:)``).
public struct RunConfig: Codable, Sendable, Equatable {
    /// `a2c`, `siac` or `reinforce`.
    public var algorithm = "a2c"
    /// `decentralised` (one learner per agent, a graph and a strategy), `centralised` (one learner
    /// whose batch holds every task) or `specialised` (one learner per task, no communication).
    public var architecture = "decentralised"
    /// The communication strategy of a decentralised run: `diffusion-atc`, `diffusion-cta`,
    /// `consensus`, `central`, `none`.
    public var strategy = "diffusion-atc"
    /// A task set (`acrobot-extreme-25`) — or empty, with ``task`` naming one task.
    public var taskSet = ""
    /// One task id when ``taskSet`` is empty (every agent then runs this task).
    public var task = ""
    /// Parameter overrides applied to every task.
    public var parameters: [String: Double] = [:]
    /// Agents of a decentralised run (0: one per task); agent k runs task k mod tasks.
    public var agents = 0
    /// Environment copies per task in each learner's batch.
    public var copiesPerTask = 1
    /// Graph: `ring`, `complete`, `star`, `grid`, `regular`, `random`, `erdos-renyi`.
    public var topology = "ring"
    /// Average degree of `random`, degree of `regular`.
    public var degree = 4.2
    /// Edge probability of `erdos-renyi`.
    public var edgeProbability = 0.2
    /// Mixing weights: `hastings`, `lazy-metropolis`, `uniform`, `maximum-degree`.
    public var weights = "hastings"
    /// Probability that a directed link drops its message in a round.
    public var linkDrop = 0.0
    /// Standard deviation of Gaussian noise added to received parameters.
    public var linkNoise = 0.0
    /// Rounds (one collect-and-update cycle of every learner, then one exchange).
    public var rounds = 100
    /// Stop early once this many environment steps were taken in total (0: no limit).
    public var maxEnvironmentSteps = 0
    /// Stop early after this many seconds of wall-clock (0: no limit); the run is still complete.
    public var maxWallSeconds = 0.0
    /// Stop early once every agent has finished `return_window` training episodes and the mean
    /// training return (``returnWindow`` last episodes per agent, averaged over agents) reaches
    /// this value (nil: never).
    public var targetReturn: Double?
    public var seed: UInt64 = 0
    /// Threads the learners (or, centralised, the environment copies) are spread over.
    public var threads = 2
    /// Rounds between checkpoints; each checkpoint also starts a new segment (episodes restart),
    /// which is what makes a resumed run equal an uninterrupted one.
    public var checkpointEvery = 100
    /// Rounds between metric lines.
    public var logEvery = 10
    /// Test episodes per task at the end of the run (0: none).
    public var evalEpisodes = 10
    /// Test episodes take the most likely action (true) or sample the policy (false).
    public var evalGreedy = true
    /// Training episodes per agent that make up "mean training return" (the last N).
    public var returnWindow = 20
    /// Algorithm settings as JSON objects, decoded by the algorithm (keys of `A2CConfig`, …).
    public var a2c: JSONObjectBox = JSONObjectBox()
    public var siac: JSONObjectBox = JSONObjectBox()
    public var reinforce: JSONObjectBox = JSONObjectBox()

    public init() {}

    enum CodingKeys: String, CodingKey {
        case algorithm, architecture, strategy, task, parameters, agents, topology, degree, weights, rounds, seed, threads
        case taskSet = "task_set", copiesPerTask = "copies_per_task", edgeProbability = "edge_probability"
        case linkDrop = "link_drop", linkNoise = "link_noise", maxEnvironmentSteps = "max_environment_steps"
        case maxWallSeconds = "max_wall_seconds", targetReturn = "target_return", checkpointEvery = "checkpoint_every", logEvery = "log_every"
        case evalEpisodes = "eval_episodes", evalGreedy = "eval_greedy", returnWindow = "return_window"
        case a2c, siac, reinforce
    }

    public static let algorithms = ["a2c", "siac", "reinforce"]
    public static let architectures = ["decentralised", "centralised", "specialised"]
    public static let strategies = ["diffusion-atc", "diffusion-cta", "consensus", "central", "none"]

    /// The first incompatible or out-of-range choice, as one sentence, or nil.
    public func validationProblem() -> String? {
        func oneOf(_ v: String, _ name: String, _ valid: [String]) -> String? {
            guard !valid.contains(v) else { return nil }
            var m = "\(name) '\(v)' is not known"
            if let g = closestName(to: v, among: valid) { m += "; did you mean '\(g)'?" }
            return m + " Valid: \(valid.joined(separator: ", "))."
        }
        if let p = oneOf(algorithm, "algorithm", Self.algorithms) { return p }
        if let p = oneOf(architecture, "architecture", Self.architectures) { return p }
        if let p = oneOf(strategy, "strategy", Self.strategies) { return p }
        if taskSet.isEmpty == task.isEmpty { return "give exactly one of task_set (a task set name) or task (one task id)" }
        if architecture != "decentralised" && strategy != "none" && strategy != "diffusion-atc" {
            return "the \(architecture) architecture does not communicate, so strategy '\(strategy)' makes no sense; use the decentralised architecture or strategy none"
        }
        if architecture != "decentralised" && agents != 0 { return "agents applies to the decentralised architecture only (the \(architecture) one has \(architecture == "centralised" ? "one learner" : "one learner per task"))" }
        if algorithm == "siac" && ["central", "consensus"].contains(strategy) {
            return "SiAC learners update at the end of episodes with Adam; strategy '\(strategy)' applies steps every round and is meant for policy-gradient learners (reinforce) — use diffusion-atc, diffusion-cta or none"
        }
        if agents < 0 { return "agents must be 0 (one per task) or positive, got \(agents)" }
        if copiesPerTask < 1 { return "copies_per_task must be at least 1, got \(copiesPerTask)" }
        if rounds < 1 { return "rounds must be at least 1, got \(rounds)" }
        if !(0...1).contains(linkDrop) { return "link_drop must lie in [0, 1], got \(linkDrop)" }
        if linkNoise < 0 { return "link_noise must be 0 or positive, got \(linkNoise)" }
        if threads < 1 { return "threads must be at least 1, got \(threads)" }
        if checkpointEvery < 1 { return "checkpoint_every must be at least 1, got \(checkpointEvery)" }
        if logEvery < 1 { return "log_every must be at least 1, got \(logEvery)" }
        if evalEpisodes < 0 { return "eval_episodes must be 0 or positive, got \(evalEpisodes)" }
        if returnWindow < 1 { return "return_window must be at least 1, got \(returnWindow)" }
        if maxEnvironmentSteps < 0 || maxWallSeconds < 0 { return "max_environment_steps and max_wall_seconds must be 0 (no limit) or positive" }
        return nil
    }

    /// Decodes a configuration strictly: unknown keys are errors with a suggestion, a wrong type
    /// names the key and the expected type; missing keys keep their defaults.
    public static func decode(_ json: JSONValue, context: String, base: RunConfig = RunConfig()) throws -> RunConfig {
        guard let pairs = json.objectPairs else { throw TrainingError("\(context): a configuration is a JSON object") }
        let valid = CodingKeys.allKeys
        for (k, _) in pairs where !valid.contains(k) {
            var m = "\(context): unknown key '\(k)'"
            if let g = closestName(to: k, among: valid) { m += "; did you mean '\(g)'?" }
            throw TrainingError(m + " Valid keys: \(valid.joined(separator: ", ")).")
        }
        var merged = try encodeJSON(base)
        for (k, v) in pairs { merged = merged.setting(k, to: v) }
        do {
            return try JSONDecoder().decode(RunConfig.self, from: Data(merged.description.utf8))
        } catch let DecodingError.typeMismatch(type, ctx), let DecodingError.valueNotFound(type, ctx) {
            let key = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            throw TrainingError("\(context): '\(key)' has the wrong type; it must be \(describe(type))")
        } catch let DecodingError.dataCorrupted(ctx) {
            let key = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            throw TrainingError("\(context): '\(key)' is not valid: \(ctx.debugDescription)")
        } catch {
            throw TrainingError("\(context): \(error)")
        }
    }
}

/// A free-form JSON object carried inside a ``RunConfig`` (algorithm settings).
public struct JSONObjectBox: Codable, Sendable, Equatable {
    public var value: JSONValue
    public init(_ value: JSONValue = .object([])) { self.value = value }
    public init(from decoder: Decoder) throws {
        // Re-encode whatever is there through Foundation and parse it again, keeping key order.
        let any = try decoder.singleValueContainer().decode(AnyJSON.self)
        guard case .object = any.value else {
            throw DecodingError.typeMismatch([String: String].self, .init(codingPath: decoder.codingPath, debugDescription: "an object"))
        }
        value = any.value
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(AnyJSON(value))
    }
}

/// Codable bridge for ``JSONValue``.
struct AnyJSON: Codable {
    var value: JSONValue
    init(_ value: JSONValue) { self.value = value }
    init(from decoder: Decoder) throws {
        if var a = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !a.isAtEnd { items.append(try a.decode(AnyJSON.self).value) }
            value = .array(items)
        } else if let o = try? decoder.container(keyedBy: DynamicKey.self) {
            value = .object(try o.allKeys.sorted { $0.stringValue < $1.stringValue }.map { ($0.stringValue, try o.decode(AnyJSON.self, forKey: $0).value) })
        } else {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { value = .null } else if let b = try? c.decode(Bool.self) { value = .bool(b) } else if let i = try? c.decode(Int.self) {
                value = .integer(i)
            } else if let d = try? c.decode(Double.self) { value = .real(d) } else { value = .string(try c.decode(String.self)) }
        }
    }
    func encode(to encoder: Encoder) throws {
        switch value {
        case .null: var c = encoder.singleValueContainer(); try c.encodeNil()
        case .bool(let b): var c = encoder.singleValueContainer(); try c.encode(b)
        case .number(let d, let isInteger):
            var c = encoder.singleValueContainer()
            if isInteger, let i = Int(exactly: d) { try c.encode(i) } else { try c.encode(d) }
        case .string(let s): var c = encoder.singleValueContainer(); try c.encode(s)
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for i in items { try c.encode(AnyJSON(i)) }
        case .object(let pairs):
            var c = encoder.container(keyedBy: DynamicKey.self)
            for (k, v) in pairs { try c.encode(AnyJSON(v), forKey: DynamicKey(stringValue: k)!) }
        }
    }
}

struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension RunConfig.CodingKeys: CaseIterable {
    static var allKeys: [String] { allCases.map(\.rawValue) }
}

/// A Codable value as a ``JSONValue`` (keys in encoding order are not guaranteed by Foundation).
public func encodeJSON<T: Encodable>(_ value: T) throws -> JSONValue {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(value)
    return try JSONValue.parse(String(decoding: data, as: UTF8.self))
}

/// Decodes a Codable value from a JSON object strictly: unknown keys are errors.
public func decodeStrictly<T: Codable>(_ type: T.Type, from json: JSONValue, defaults: T, allowedKeys: [String], context: String) throws -> T {
    guard let pairs = json.objectPairs else { throw TrainingError("\(context): settings are a JSON object") }
    for (k, _) in pairs where !allowedKeys.contains(k) {
        var m = "\(context): unknown key '\(k)'"
        if let g = closestName(to: k, among: allowedKeys) { m += "; did you mean '\(g)'?" }
        throw TrainingError(m + " Valid keys: \(allowedKeys.joined(separator: ", ")).")
    }
    var merged = try encodeJSON(defaults)
    for (k, v) in pairs { merged = merged.setting(k, to: v) }
    do {
        return try JSONDecoder().decode(T.self, from: Data(merged.description.utf8))
    } catch let DecodingError.typeMismatch(type, ctx), let DecodingError.valueNotFound(type, ctx) {
        throw TrainingError("\(context): '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type; it must be \(describe(type))")
    } catch let DecodingError.dataCorrupted(ctx) {
        throw TrainingError("\(context): '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))' is not valid: \(ctx.debugDescription)")
    } catch {
        throw TrainingError("\(context): \(error)")
    }
}

func describe(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type, is UInt64.Type: return "an integer"
    case is Double.Type, is Float.Type: return "a number"
    case is String.Type: return "a string"
    case is Bool.Type: return "true or false"
    default: return "\(type)"
    }
}
