/// A concrete (non-generic) batch of one ``Environment`` type: the way to get a specialised
/// stepping loop behind `any VectorEnvironment`.
///
/// Why it exists: a conformance of a *generic* type such as `SerialVector<E>` is instantiated at
/// run time, so a call through `any VectorEnvironment` can reach the unspecialised generic loop,
/// which pays a witness-table call per row, unless the optimiser happened to pre-specialise it.
/// A non-generic type that wraps `SerialVector<E>` has its witnesses compiled for the concrete
/// `E`, so the row loop is specialised and inlined for certain, also across modules. Each
/// environment declares one, in one line:
///
/// ```swift
/// public struct PendulumVector: SpecializedVector {
///     public var base: SerialVector<Pendulum>
///     public init(base: SerialVector<Pendulum>) { self.base = base }
/// }
/// ```
public protocol SpecializedVector: ParametricVector where Parameters == Copy.Parameters {
    associatedtype Copy: Environment
    var base: SerialVector<Copy> { get set }
    init(base: SerialVector<Copy>)
}

extension SpecializedVector {
    @inlinable public init(parameters: [Copy.Parameters], firstIndex: Int) throws(EnvironmentError) {
        self.init(base: try SerialVector<Copy>(parameters: parameters, firstIndex: firstIndex))
    }
    @inlinable public var count: Int { base.count }
    @inlinable public var observationSpace: Space { base.observationSpace }
    @inlinable public var actionSpace: Space { base.actionSpace }
    @inlinable public var episodeMetricName: String? { base.episodeMetricName }
    @inlinable public var stateNames: [String] { base.stateNames }
    @inlinable public mutating func reset(seed: UInt64, into batch: inout StepBatch) { base.reset(seed: seed, into: &batch) }
    @inlinable public mutating func step(_ actions: [Float], into batch: inout StepBatch) throws(EnvironmentError) {
        try base.step(actions, into: &batch)
    }
    @inlinable public mutating func setState(_ values: [Double], row: Int, into batch: inout StepBatch) throws(EnvironmentError) {
        try base.setState(values, row: row, into: &batch)
    }
}
