import Envs
import NeuralNets

/// A ``Learner`` built on a ``PolicyValueModel`` and one optimiser kind: everything but the
/// collect-and-compute-gradient phase comes from this protocol's extension (parameter rows,
/// acting, applying or proposing the step, checkpoints).
public protocol PolicyValueLearner: Learner {
    associatedtype ModelOptimizer: Optimizer
    var model: PolicyValueModel { get set }
    var optimizers: ModelOptimizers<ModelOptimizer> { get set }
    /// Gives `body` the model and the optimisers at once (stored properties of the conforming
    /// type, so the two accesses do not overlap): `try body(&model, &optimizers)`.
    mutating func withModelAndOptimizers<R>(_ body: (inout PolicyValueModel, inout ModelOptimizers<ModelOptimizer>) throws -> R) rethrows -> R
}

extension PolicyValueLearner {
    public var parameterCount: Int { model.parameterCount }
    public func copyParameters(into row: inout [Float]) { model.copyParameters(into: &row) }
    public mutating func loadParameters(from row: [Float]) throws { try model.loadParameters(from: row) }

    public mutating func act(_ observations: [Float], count: Int, greedy: Bool, generator: inout RandomGenerator,
                             into actions: inout [Float]) throws {
        var raw: [Float] = []
        try model.reserve(rows: count)
        try observations.withUnsafeBufferPointer {
            try model.act($0, rows: count, greedy: greedy, generator: &generator, raw: &raw, actions: &actions)
        }
    }

    /// Clips the accumulated gradients to `maxNorm` and applies them (or writes the step into
    /// `step`), recording the outcome in `report`; a non-finite gradient changes nothing and
    /// proposes a zero step.
    public mutating func applyGradients(maxNorm: Float, step: UnsafeMutableBufferPointer<Float>?, report: inout LearnerReport) throws {
        if let norm = try withModelAndOptimizers({ model, optimizers in try optimizers.apply(to: &model, maxNorm: maxNorm, step: step) }) {
            report.updated = true
            report.scalars.append(("grad/norm", Double(norm)))
        } else {
            report.rejectedNonFinite = true
            if let step { for i in 0..<step.count { step[i] = 0 } }
        }
    }

    public func checkpointTensors() -> [(name: String, values: [Float])] {
        var row: [Float] = []
        model.copyParameters(into: &row)
        return [("parameters", row)] + optimizers.stateTensors()
    }

    public mutating func restore(from tensors: [String: [Float]]) throws {
        guard let row = tensors["parameters"] else { throw TrainingError("the checkpoint holds no parameters tensor") }
        try model.loadParameters(from: row)
        optimizers.restoreState(from: tensors)
    }
}
