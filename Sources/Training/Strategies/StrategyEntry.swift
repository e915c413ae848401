import Communication
import Envs

/// A registered strategy with its settings type erased: what ``StrategyRegistry`` lists.
public struct StrategyEntry: Sendable {
    public let name: String
    public let summary: String
    public let communicates: Bool
    public let usesGraph: Bool
    public let localStep: LocalStepPlacement
    public let inputs: StrategyInputs
    /// The default settings as JSON (empty object for strategies without settings).
    public let defaults: JSONValue
    let resolveBlock: @Sendable (JSONValue, String) throws -> JSONValue
    let build: @Sendable (JSONValue, StrategyContext) throws -> any CommunicationStrategy

    public init<S: StrategySettings>(_ type: S.Type) {
        name = S.name
        summary = S.summary
        communicates = S.communicates
        usesGraph = S.usesGraph
        localStep = S.localStep
        inputs = S.inputs
        defaults = (try? encodeJSON(S())) ?? .object([])
        resolveBlock = { block, context in
            let s = try resolveSettings(S.self, from: block, defaults: S(), context: context)
            if let p = s.validationProblem() { throw TrainingError("\(context): \(p)") }
            return try encodeJSON(s)
        }
        build = { block, strategyContext in
            try resolveSettings(S.self, from: block, defaults: S(), context: "\(S.name) settings").makeStrategy(strategyContext)
        }
    }

    /// Whether the strategy takes any settings.
    public var hasSettings: Bool { !(defaults.objectPairs?.isEmpty ?? true) }

    /// The strategy's settings with every default filled in, checked (one sentence on error).
    public func resolve(_ block: JSONValue) throws -> JSONValue {
        try resolveBlock(block, "\(name) settings")
    }

    /// The strategy for one run segment from resolved settings.
    public func makeStrategy(settings: JSONValue, context: StrategyContext) throws -> any CommunicationStrategy {
        try build(settings, context)
    }
}

/// Every communication strategy a run can name, by name (DESIGN §10).
public struct StrategyRegistry: Sendable {
    public let entries: [StrategyEntry]

    public init(_ entries: [StrategyEntry]) { self.entries = entries }

    /// Every strategy of `Communication`.
    public static let standard = StrategyRegistry([
        StrategyEntry(NoCommunicationSettings.self),
        StrategyEntry(CentralAveragingSettings.self),
        StrategyEntry(DiffusionAdaptThenCombineSettings.self),
        StrategyEntry(DiffusionCombineThenAdaptSettings.self),
        StrategyEntry(ConsensusSettings.self),
        StrategyEntry(LazyAggregationSettings.self),
        StrategyEntry(EvolutionStrategiesSettings.self),
        StrategyEntry(ProbabilisticEvolutionStrategiesSettings.self),
        StrategyEntry(EventTriggeredSettings.self),
        StrategyEntry(ADMMSettings.self),
    ])

    public var names: [String] { entries.map(\.name) }

    /// The strategy called `name`, or one sentence with a suggestion and the valid names.
    public func entry(named name: String) throws -> StrategyEntry {
        if let e = entries.first(where: { $0.name == name }) { return e }
        throw TrainingError(unknownNameMessage("strategy", name, among: names))
    }
}
