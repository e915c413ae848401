import NeuralNets

/// One optimiser per tensor group of a ``PolicyValueModel`` (actor, log-std, critic, and the
/// encoders of the actor and of the critic when the model has them), all of one kind. Element-wise optimisers (SGD, RMSProp, Adam) applied per group equal one optimiser
/// over the concatenation; global-norm clipping is done jointly before the step.
public struct ModelOptimizers<O: Optimizer> {
    public var actor: O
    public var logStd: O
    public var critic: O
    public var encoder: O
    public var criticEncoder: O

    public init(make: () -> O) {
        actor = make(); logStd = make(); critic = make(); encoder = make(); criticEncoder = make()
    }

    /// Separate optimisers for the actor (and its log-std) and the critic, e.g. Adam with the
    /// learning rates 0.001 and 0.01 of Diff-SiAC.
    public init(actor: O, critic: O) {
        self.actor = actor
        logStd = actor
        self.critic = critic
        encoder = actor
        criticEncoder = critic
    }

    /// The actor's learning rate at its next step.
    public var learningRate: Float { actor.schedule.value(atStep: actor.stepCount) }

    /// Clips the model's gradients to `maxNorm` jointly (0: no clipping), then either applies the
    /// step (`step == nil`) or writes `θ_new − θ` into `step` and leaves the parameters unchanged.
    /// Returns the pre-clip norm, or nil when the gradient was not finite (nothing changes then).
    public mutating func apply(to model: inout PolicyValueModel, maxNorm: Float,
                               step: UnsafeMutableBufferPointer<Float>?) throws -> Float? {
        let (norm, finite) = model.gradientNorm()
        guard finite else { return nil }
        if maxNorm > 0, norm > maxNorm { model.scaleGradients(by: maxNorm / norm) }
        var before: [Float] = []
        if step != nil { model.copyParameters(into: &before) }
        // Finite and clipped jointly above: the lean step (no second finiteness or norm pass).
        try actor.stepCheckedGradient(&model.actor.parameters, gradient: model.actorGradient)
        if model.logStd != nil { try logStd.stepCheckedGradient(&model.logStd!, gradient: model.logStdGradient!) }
        if model.critic != nil { try critic.stepCheckedGradient(&model.critic!.parameters, gradient: model.criticGradient!) }
        if model.encoder != nil { try encoder.stepCheckedGradient(&model.encoder!.parameters, gradient: model.encoderGradient!) }
        if model.criticEncoder != nil { try criticEncoder.stepCheckedGradient(&model.criticEncoder!.parameters, gradient: model.criticEncoderGradient!) }
        if let step {
            var after: [Float] = []
            model.copyParameters(into: &after)
            for i in 0..<after.count { step[i] = after[i] - before[i] }
            try model.loadParameters(from: before)
        }
        return norm
    }

    /// Optimiser state as named tensors (for checkpoints): `optimizer.actor.first_moment`, …;
    /// `optimizer.encoder.…` and `optimizer.critic_encoder.…` only for a model with encoders.
    public func stateTensors(encoders: Bool = false) -> [(name: String, values: [Float])] {
        let own = actor.stateTensors().map { ("optimizer.actor.\($0.name)", $0.values) }
            + logStd.stateTensors().map { ("optimizer.log_std.\($0.name)", $0.values) }
            + critic.stateTensors().map { ("optimizer.critic.\($0.name)", $0.values) }
        guard encoders else { return own }
        return own + encoder.stateTensors().map { ("optimizer.encoder.\($0.name)", $0.values) }
            + criticEncoder.stateTensors().map { ("optimizer.critic_encoder.\($0.name)", $0.values) }
    }

    /// Restores the state written by ``stateTensors(encoders:)``.
    public mutating func restoreState(from tensors: [String: [Float]], encoders: Bool = false) throws {
        func group(_ prefix: String) -> [String: [Float]] {
            var out: [String: [Float]] = [:]
            for (k, v) in tensors where k.hasPrefix(prefix) { out[String(k.dropFirst(prefix.count))] = v }
            return out
        }
        do {
            try actor.restoreState(from: group("optimizer.actor."))
            try logStd.restoreState(from: group("optimizer.log_std."))
            try critic.restoreState(from: group("optimizer.critic."))
            if encoders {
                try encoder.restoreState(from: group("optimizer.encoder."))
                try criticEncoder.restoreState(from: group("optimizer.critic_encoder."))
            }
        } catch {
            throw TrainingError("the checkpoint's optimiser state is incomplete: \(error)")
        }
    }
}
