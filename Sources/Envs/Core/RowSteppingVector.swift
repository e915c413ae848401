/// A native vector that steps straight into a window of rows: it implements only
/// ``VectorEnvironment/step(validated:into:)``; validation, ``VectorEnvironment/step(_:into:)``
/// and ``VectorEnvironment/stepsIntoRows`` come from this protocol's extension. ``ParallelVector``
/// then lets each chunk write its own rows of the combined batch.
public protocol RowSteppingVector: VectorEnvironment {}

extension RowSteppingVector {
    public var stepsIntoRows: Bool { true }

    public mutating func step(_ actions: [Float], into batch: inout StepBatch) throws(EnvironmentError) {
        try actionSpace.validate(actions: actions, count: count)
        actions.withUnsafeBufferPointer { act in
            batch.withRows { rows in step(validated: act, into: rows) }
        }
    }
}
