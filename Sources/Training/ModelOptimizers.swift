import NeuralNets

/// One optimiser per tensor group of a ``PolicyValueModel`` (actor, log-std, critic), all of
/// one kind. Element-wise optimisers (SGD, RMSProp, Adam) applied per group equal one optimiser
/// over the concatenation; global-norm clipping is done jointly before the step.
public struct ModelOptimizers<O: Optimizer> {
    public var actor: O
    public var logStd: O
    public var critic: O

    public init(make: () -> O) {
        actor = make(); logStd = make(); critic = make()
    }

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
        _ = try actor.step(&model.actor.parameters, gradient: &model.actorGradient)
        if model.logStd != nil { _ = try logStd.step(&model.logStd!, gradient: &model.logStdGradient!) }
        if model.critic != nil { _ = try critic.step(&model.critic!.parameters, gradient: &model.criticGradient!) }
        if let step {
            var after: [Float] = []
            model.copyParameters(into: &after)
            for i in 0..<after.count { step[i] = after[i] - before[i] }
            try model.loadParameters(from: before)
        }
        return norm
    }

    /// Optimiser state as named tensors (for checkpoints).
    public func stateTensors() -> [(name: String, values: [Float])] {
        func tensors(_ prefix: String, _ o: O) -> [(String, [Float])] {
            if let r = o as? RMSProp { return [("\(prefix).square_average", r.squareAverage), ("\(prefix).step", [Float(r.stepCount)])] }
            if let h = o as? HeavyBallMomentum { return [("\(prefix).velocity", h.velocity)] }
            if let a = o as? Adam {
                return [("\(prefix).first_moment", a.firstMoment), ("\(prefix).second_moment", a.secondMoment), ("\(prefix).step", [Float(a.stepCount)])]
            }
            return []
        }
        return tensors("optimizer.actor", actor) + tensors("optimizer.log_std", logStd) + tensors("optimizer.critic", critic)
    }
}

extension ModelOptimizers {
    /// Restores the state written by ``stateTensors()``; missing tensors leave a fresh state.
    public mutating func restoreState(from tensors: [String: [Float]]) {
        func restore(_ prefix: String, _ o: inout O) {
            if var r = o as? RMSProp {
                if let s = tensors["\(prefix).square_average"] { r.squareAverage = s }
                if let k = tensors["\(prefix).step"]?.first { r.stepCount = Int(k) }
                o = r as! O
            } else if var h = o as? HeavyBallMomentum {
                if let v = tensors["\(prefix).velocity"] { h.velocity = v }
                o = h as! O
            } else if var a = o as? Adam {
                if let m = tensors["\(prefix).first_moment"] { a.firstMoment = m }
                if let v = tensors["\(prefix).second_moment"] { a.secondMoment = v }
                if let k = tensors["\(prefix).step"]?.first { a.stepCount = Int(k) }
                o = a as! O
            }
        }
        restore("optimizer.actor", &actor)
        restore("optimizer.log_std", &logStd)
        restore("optimizer.critic", &critic)
    }
}

extension ModelOptimizers {
    /// Separate optimisers for the actor (and its log-std) and the critic, e.g. Adam with the
    /// learning rates 0.001 and 0.01 of Diff-SiAC.
    public init(actor: O, critic: O) {
        self.actor = actor
        logStd = actor
        self.critic = critic
    }
}
