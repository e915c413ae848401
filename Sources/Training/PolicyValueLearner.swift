import Envs
import NeuralNets

/// A ``Learner`` built on a ``PolicyValueModel``, one optimiser kind and a
/// ``LearnerEnvironment``: everything but the collect-and-compute-gradient phase comes from
/// this protocol's extension (parameter rows, acting, restarts, applying or proposing the step,
/// checkpoints with per-layer tensor names).
public protocol PolicyValueLearner: Learner {
    associatedtype ModelOptimizer: Optimizer
    var model: PolicyValueModel { get set }
    var optimizers: ModelOptimizers<ModelOptimizer> { get set }
    var experience: LearnerEnvironment { get set }
    /// Gives `body` the model and the optimisers at once (stored properties of the conforming
    /// type, so the two accesses do not overlap): `try body(&model, &optimizers)`.
    mutating func withModelAndOptimizers<R>(_ body: (inout PolicyValueModel, inout ModelOptimizers<ModelOptimizer>) throws -> R) rethrows -> R
}

extension PolicyValueLearner {
    public var parameterCount: Int { model.parameterCount }
    public func copyParameters(into row: inout [Float]) { model.copyParameters(into: &row) }
    public mutating func loadParameters(from row: [Float]) throws { try model.loadParameters(from: row) }

    public mutating func restart(seed: UInt64) { experience.restart(seed: seed) }

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
        report.diagnostics.record(.learningRate, Double(optimizers.learningRate))
        let clock = model.profile.start()
        let applied = try withModelAndOptimizers { model, optimizers in try optimizers.apply(to: &model, maxNorm: maxNorm, step: step) }
        model.profile.stop(.optimiser, since: clock)
        if let norm = applied {
            report.updated = true
            report.diagnostics.record(.gradientNorm, Double(norm))
        } else {
            report.rejectedNonFinite = true
            if let step { for i in 0..<step.count { step[i] = 0 } }
        }
    }

    /// The networks tensor by tensor (`actor.layers.0.weight` with shape [out, in], as PyTorch
    /// lays out `nn.Linear`; `actor.log_std`; `critic.layers.…`), then the optimiser state.
    public func checkpointTensors() -> [CheckpointTensor] {
        var out: [CheckpointTensor] = []
        func add(_ prefix: String, _ p: ParameterVector) {
            for slice in p.layout.slices {
                out.append(CheckpointTensor(name: prefix + slice.name, shape: slice.shape, values: Array(p.values(of: slice.name) ?? [])))
            }
        }
        add("actor.", model.actor.parameters)
        if let l = model.logStd { out.append(CheckpointTensor(name: "actor.log_std", shape: [l.count], values: l.values)) }
        if let c = model.critic { add("critic.", c.parameters) }
        if let e = model.encoder { add("actor.encoder.", e.parameters) }
        if let e = model.criticEncoder { add("critic.encoder.", e.parameters) }
        return out + optimizers.stateTensors(encoders: model.encoder != nil).map { CheckpointTensor(name: $0.name, shape: [$0.values.count], values: $0.values) }
    }

    public mutating func restore(from tensors: [String: [Float]]) throws {
        var row: [Float] = []
        func take(_ prefix: String, _ p: ParameterVector) throws {
            for slice in p.layout.slices {
                guard let v = tensors[prefix + slice.name], v.count == slice.count else {
                    throw TrainingError("the checkpoint lacks a tensor '\(prefix + slice.name)' of \(slice.count) values, or it has another shape")
                }
                row += v
            }
        }
        try take("actor.", model.actor.parameters)
        if let l = model.logStd {
            guard let v = tensors["actor.log_std"], v.count == l.count else { throw TrainingError("the checkpoint lacks a tensor 'actor.log_std' of \(l.count) values") }
            row += v
        }
        if let c = model.critic { try take("critic.", c.parameters) }
        if let e = model.encoder { try take("actor.encoder.", e.parameters) }
        if let e = model.criticEncoder { try take("critic.encoder.", e.parameters) }
        if let bad = row.first(where: { !$0.isFinite }) { throw TrainingError("the checkpoint's network holds a non-finite value (\(bad))") }
        try model.loadParameters(from: row)
        try optimizers.restoreState(from: tensors, encoders: model.encoder != nil)
    }

    /// The network shape for checkpoint metadata.
    public var networkDescription: [String: String] {
        var d = ["policy": model.kind.rawValue, "observation_size": String(model.observationSize), "action_size": String(model.actionSize),
                 "actor_sizes": model.actor.sizes.map(String.init).joined(separator: ","),
                 "actor_activations": model.actor.layers.map(\.activation.rawValue).joined(separator: ",")]
        if let c = model.critic { d["critic_sizes"] = c.sizes.map(String.init).joined(separator: ",") }
        if let e = model.encoder {
            d["encoder"] = "conv"
            d["encoder_sizes"] = e.sizes.map(String.init).joined(separator: ",")
        }
        return d
    }
}
