import Envs
import NeuralNets

/// The networks of one actor-critic learner: a policy network with its action distribution,
/// an optional value network, and everything they need to act and to compute gradients
/// without allocating (workspaces sized once).
///
/// Gaussian policies act in [−1, 1]-scaled units: a finite box action is `centre + half-width × a`
/// (then clipped by the environment); log-probabilities are taken of the unscaled sample.
public struct PolicyValueModel {
    public var actor: MLP
    /// The learned log-std of ``PolicyKind/gaussianLogStd`` policies.
    public var logStd: ParameterVector?
    public var critic: MLP?
    public let kind: PolicyKind
    /// The action distribution, chosen once from ``kind``.
    let head: ModelHead
    public let observationSize: Int
    /// Floats per action row (1 for a discrete action).
    public let actionSize: Int
    let actionCentre: [Float]
    let actionHalfWidth: [Float]

    public var actorGradient: ParameterVector
    public var logStdGradient: ParameterVector?
    public var criticGradient: ParameterVector?

    var actorWorkspace: MLPWorkspace
    var criticWorkspace: MLPWorkspace?
    /// The convolutional encoders in front of the actor and the critic (``ObservationEncoder/conv``;
    /// nil with `mlp`): the actor MLP and the critic MLP then read their features.
    public var encoder: ConvEncoder?
    public var criticEncoder: ConvEncoder?
    public var encoderGradient: ParameterVector?
    public var criticEncoderGradient: ParameterVector?
    var encoderWorkspace: ConvEncoderWorkspace?
    var criticEncoderWorkspace: ConvEncoderWorkspace?
    var headInputs: [Float] = []
    var headGradient: [Float] = []
    var meanGradient: [Float] = []
    var rawActions: [Float] = []
    var scratch: [Float] = []
    var rowWeights: [Float] = []
    var meanScratch: [Float] = []
    /// Phase timers of the network passes (off unless profiling; see ``RoundProfile``).
    public var profile = RoundProfile()
    /// λ ≥ 0 of the relative-entropy regulariser toward the uniform policy (DCPG, paper 001
    /// eq. 6–8, with Σ_s read as the mean over the visited states of the batch): when nonzero,
    /// ``accumulatePolicyGradient(observations:rawActions:entropyCoefficient:rows:weigh:)`` adds
    /// the gradient of the loss `−λ · (1/B) Σ_r (1/|A|) Σ_a log π(a|s_r)`, i.e. `−(λ/B)(1/|A| − π(·|s_r))`
    /// on the logits of each of its B rows (categorical policies only). 0 leaves every
    /// learner's update exactly as it was.
    public var uniformRegularizer: Float = 0
    /// The mean over the rows of the last policy gradient of `(1/|A|) Σ_a log π(a|s_r)` (the
    /// regulariser's value before λ), when ``uniformRegularizer`` is nonzero; NaN otherwise.
    public private(set) var lastUniformLogMean = Double.nan

    /// Builds the networks: hidden layers `hidden` with `activation`, orthogonal initialisation
    /// (gain √2 for hidden layers, 0.01 for the policy output, 1 for the value output, as A2C
    /// implementations do), from `seed`. With `encoder` `.conv(C, H, W)` each network's hidden
    /// layers are a ``ConvEncoder`` (the stack of ``ObservationEncoder/convolutions``, then dense
    /// layers of the `hidden` widths, Kaiming-uniform convolutions) and its MLP is the output layer.
    public init(observationSize: Int, actionSpace: Space, hidden: [Int], activation: Activation, kind: PolicyKind,
                withCritic: Bool, seed: UInt64, batchCapacity: Int,
                image: (channels: Int, height: Int, width: Int)? = nil) throws {
        self.kind = kind
        self.observationSize = observationSize
        let headInputCount: Int
        switch (actionSpace, kind) {
        case (.discrete(let n), .categorical):
            actionSize = 1
            headInputCount = n
            actionCentre = [0]; actionHalfWidth = [1]
        case (.box(let box), .gaussianLogStd), (.box(let box), .gaussianTanhSoftplus):
            actionSize = box.low.count
            headInputCount = kind == .gaussianLogStd ? actionSize : 2 * actionSize
            actionCentre = zip(box.low, box.high).map { $0.isFinite && $1.isFinite ? ($0 + $1) / 2 : 0 }
            actionHalfWidth = zip(box.low, box.high).map { $0.isFinite && $1.isFinite ? ($1 - $0) / 2 : 1 }
        default:
            throw TrainingError("a \(kind.rawValue) policy cannot act in \(actionSpace); use categorical for discrete actions and a Gaussian for boxes")
        }
        switch kind {
        case .categorical: head = .categorical(try CategoricalHead(actionChoices: headInputCount))
        case .gaussianLogStd: head = .logStd(try LogStdGaussianHead(actionCount: actionSize))
        case .gaussianTanhSoftplus: head = .tanhSoftplus(try TanhSoftplusGaussianHead(actionCount: actionSize))
        }
        if let image {
            guard let last = hidden.last, image.channels * image.height * image.width == observationSize else {
                throw TrainingError("encoder conv needs at least one hidden width and an image of \(observationSize) values, got hidden \(hidden) and \(image.channels)×\(image.height)×\(image.width)")
            }
            func make(_ seed: UInt64) throws -> ConvEncoder {
                do {
                    return try ConvEncoder(inputChannels: image.channels, inputHeight: image.height, inputWidth: image.width,
                                           convolutions: ObservationEncoder.convolutions, hiddenSizes: Array(hidden.dropLast()), outputCount: last,
                                           activation: activation, outputActivation: activation,
                                           outputInitialization: .orthogonal(gain: Float(2).squareRoot()), seed: seed)
                } catch { throw TrainingError("encoder conv does not fit the \(image.channels)×\(image.height)×\(image.width) image: \(error)") }
            }
            let e = try make(seed ^ 0xE2C0_DE00)
            encoder = e
            encoderGradient = e.makeGradient()
            encoderWorkspace = e.makeWorkspace(batchCapacity: batchCapacity)
            if withCritic {
                let c = try make(seed ^ 0xC2C0_DE00)
                criticEncoder = c
                criticEncoderGradient = c.makeGradient()
                criticEncoderWorkspace = c.makeWorkspace(batchCapacity: batchCapacity)
            }
        }
        let networkInput = image == nil ? observationSize : hidden[hidden.count - 1]
        let networkHidden = image == nil ? hidden : []
        let sizes = [networkInput] + networkHidden + [headInputCount]
        var activations = [Activation](repeating: activation, count: networkHidden.count) + [.identity]
        if kind == .gaussianTanhSoftplus { activations[activations.count - 1] = .identity }
        let initializations = [Initialization](repeating: .orthogonal(gain: Float(2).squareRoot()), count: networkHidden.count)
            + [.orthogonal(gain: 0.01)]
        var g = SplitMix64(seed: seed)
        actor = try MLP(sizes: sizes, activations: activations, initializations: initializations, using: &g)
        actorGradient = actor.makeGradient()
        actorWorkspace = actor.makeWorkspace(batchCapacity: batchCapacity)
        if kind == .gaussianLogStd {
            let head = try LogStdGaussianHead(actionCount: actionSize)
            logStd = head.makeLogStd(initialValue: 0)
            logStdGradient = logStd
            logStdGradient?.zero()
        }
        if withCritic {
            var h = SplitMix64(seed: seed ^ 0xC417_1C00)
            let c = try MLP(sizes: [networkInput] + networkHidden + [1],
                            activations: [Activation](repeating: activation, count: networkHidden.count) + [.identity],
                            initializations: [Initialization](repeating: .orthogonal(gain: Float(2).squareRoot()), count: networkHidden.count) + [.orthogonal(gain: 1)],
                            using: &h)
            critic = c
            criticGradient = c.makeGradient()
            criticWorkspace = c.makeWorkspace(batchCapacity: batchCapacity)
        }
    }

    /// Values in the flat row that communication mixes: actor, log-std, critic, then the actor's
    /// and the critic's encoders.
    public var parameterCount: Int {
        actor.parameters.count + (logStd?.count ?? 0) + (critic?.parameters.count ?? 0)
            + (encoder?.parameters.count ?? 0) + (criticEncoder?.parameters.count ?? 0)
    }

    public func copyParameters(into row: inout [Float]) {
        if row.count != parameterCount { row = [Float](repeating: 0, count: parameterCount) }
        // Whole-tensor copies into the row (no temporary arrays).
        row.withUnsafeMutableBufferPointer { out in
            var o = 0
            func copy(_ p: ParameterVector) {
                p.withUnsafeBufferPointer { src in
                    if let base = src.baseAddress { (out.baseAddress! + o).update(from: base, count: src.count) }
                    o += src.count
                }
            }
            copy(actor.parameters)
            if let logStd { copy(logStd) }
            if let critic { copy(critic.parameters) }
            if let encoder { copy(encoder.parameters) }
            if let criticEncoder { copy(criticEncoder.parameters) }
        }
    }

    public mutating func loadParameters(from row: [Float]) throws {
        guard row.count == parameterCount else {
            throw TrainingError("a parameter row of \(row.count) values was given to a model of \(parameterCount)")
        }
        // Copied into the existing storage (the counts match by the check above): no allocation.
        row.withUnsafeBufferPointer { src in
            var o = 0
            func take(_ p: inout ParameterVector) {
                p.withUnsafeMutableBufferPointer { dst in
                    if let base = dst.baseAddress { base.update(from: src.baseAddress! + o, count: dst.count) }
                    o += dst.count
                }
            }
            take(&actor.parameters)
            if logStd != nil { take(&logStd!) }
            if critic != nil { take(&critic!.parameters) }
            if encoder != nil { take(&encoder!.parameters) }
            if criticEncoder != nil { take(&criticEncoder!.parameters) }
        }
    }

    // MARK: Acting

    /// Builds the head inputs for the rows of the last actor forward pass.
    mutating func buildHeadInputs(rows: Int) throws {
        let out = actorWorkspace.output
        switch kind {
        case .categorical, .gaussianTanhSoftplus:
            if headInputs.count != out.count { headInputs = [Float](repeating: 0, count: out.count) }
            var i = 0
            for v in out { headInputs[i] = v; i += 1 }
        case .gaussianLogStd:
            guard case .logStd(let h) = head else { return }
            // The means moved into a kept buffer (no array per call).
            if meanScratch.count != out.count { meanScratch = [Float](repeating: 0, count: out.count) }
            var i = 0
            for v in out { meanScratch[i] = v; i += 1 }
            try h.broadcastLogStd(means: meanScratch, logStd: logStd!, batchSize: rows, into: &headInputs)
        }
    }

    /// Values V(s) for `rows` observations (`rows × observationSize`), into `values`.
    public mutating func values(_ observations: UnsafeBufferPointer<Float>, rows: Int, into values: inout [Float]) throws {
        guard let critic else { throw TrainingError("this learner has no value network") }
        let clock = profile.start()
        try forwardCritic(critic, observations, rows: rows)
        profile.stopPass(.forward, since: clock, network: 1, rows: rows)
        if values.count != rows { values = [Float](repeating: 0, count: rows) }
        var i = 0
        for v in criticWorkspace!.output { values[i] = v; i += 1 }
    }

    /// Samples (or, `greedy`, takes the mode of) the policy for `rows` observations. Writes the
    /// unscaled distribution samples into `raw` (`rows × actionSize`) and the environment's
    /// actions into `actions`.
    public mutating func act(_ observations: UnsafeBufferPointer<Float>, rows: Int, greedy: Bool,
                             generator: inout some RandomNumberGenerator, raw: inout [Float], actions: inout [Float]) throws {
        let clock = profile.start()
        try forwardActor(observations, rows: rows)
        profile.stopPass(.forward, since: clock, network: 0, rows: rows)
        // The distribution (head inputs, sampling, scaling) counts as the policy's forward.
        let headClock = profile.start()
        defer { profile.stop(.forward, since: headClock) }
        try buildHeadInputs(rows: rows)
        if raw.count != rows * actionSize { raw = [Float](repeating: 0, count: rows * actionSize) }
        func run<H: AnalyticPolicyHead>(_ h: H) throws {
            if greedy { try h.mode(inputs: headInputs, batchSize: rows, into: &raw) } else {
                try h.sample(inputs: headInputs, batchSize: rows, using: &generator, into: &raw)
            }
        }
        switch head {
        case .categorical(let h): try run(h)
        case .logStd(let h): try run(h)
        case .tanhSoftplus(let h): try run(h)
        }
        if actions.count != raw.count { actions = [Float](repeating: 0, count: raw.count) }
        if kind == .categorical {
            for i in 0..<raw.count { actions[i] = raw[i] }
        } else {
            for i in 0..<raw.count {
                let d = i % actionSize
                actions[i] = actionCentre[d] + actionHalfWidth[d] * raw[i]
            }
        }
    }

    // MARK: Gradients

    /// Accumulates the actor's gradient of the loss `−Σ_r w_r·log π(a_r|s_r) − β·Σ_r H(π(·|s_r))`
    /// over `rows` observations and raw actions, and returns `(mean log π, mean entropy)`.
    /// The caller zeroes the gradient first and chooses the scale of `weights` (e.g. `Â/B`).
    public mutating func accumulatePolicyGradient(observations: UnsafeBufferPointer<Float>, rawActions: [Float], weights: [Float],
                                                  entropyCoefficient: Float, rows: Int) throws -> (logProb: Double, entropy: Double) {
        try accumulatePolicyGradient(observations: observations, rawActions: rawActions, entropyCoefficient: entropyCoefficient, rows: rows) { _, w in
            for i in 0..<rows { w[i] = weights[i] }
        }
    }

    /// As above, with the weights computed from this forward pass's per-row log-probabilities:
    /// `weigh(logProbs, &weights)` fills `weights[r]` from `logProbs[r]` (PPO's clipped ratio).
    /// One forward pass serves both.
    public mutating func accumulatePolicyGradient(observations: UnsafeBufferPointer<Float>, rawActions: [Float], entropyCoefficient: Float,
                                                  rows: Int, weigh: ([Float], inout [Float]) throws -> Void) throws -> (logProb: Double, entropy: Double) {
        let clock = profile.start()
        try forwardActor(observations, rows: rows)
        profile.stopPass(.forward, since: clock, network: 0, rows: rows)
        // The head's log-probabilities and entropies count as forward, its gradients as backward;
        // the caller's weighting (the loss) is neither.
        let headClock = profile.start()
        try buildHeadInputs(rows: rows)
        if headGradient.count != headInputs.count { headGradient = [Float](repeating: 0, count: headInputs.count) }
        for i in headGradient.indices { headGradient[i] = 0 }
        if scratch.count != rows { scratch = [Float](repeating: 0, count: rows) }
        if rowWeights.count != rows { rowWeights = [Float](repeating: 0, count: rows) }
        var logProbSum = 0.0, entropySum = 0.0
        func run<H: AnalyticPolicyHead>(_ head: H) throws {
            try head.logProbs(inputs: headInputs, actions: rawActions, batchSize: rows, into: &scratch)
            logProbSum = scratch.reduce(0) { $0 + Double($1) }
            profile.stop(.forward, since: headClock)
            try weigh(scratch, &rowWeights)
            let gradientClock = profile.start()
            defer { profile.stop(.backward, since: gradientClock) }
            for i in 0..<rows { rowWeights[i] = -rowWeights[i] }
            try head.addLogProbGradients(inputs: headInputs, actions: rawActions, scales: rowWeights, batchSize: rows, into: &headGradient)
            if entropyCoefficient != 0 {
                try head.addEntropyGradients(inputs: headInputs, scale: -entropyCoefficient / Float(rows), batchSize: rows, into: &headGradient)
            }
            if uniformRegularizer != 0 {
                guard kind == .categorical else {
                    throw TrainingError("the relative-entropy regulariser toward the uniform policy needs a categorical policy, not \(kind.rawValue)")
                }
                lastUniformLogMean = addUniformRegularizerGradient(logits: headInputs, rows: rows, lambda: uniformRegularizer, into: &headGradient)
            }
            try head.entropies(inputs: headInputs, batchSize: rows, into: &scratch)
            entropySum = scratch.reduce(0) { $0 + Double($1) }
        }
        switch head {
        case .categorical(let h): try run(h)
        case .tanhSoftplus(let h): try run(h)
        case .logStd(let h):
            try run(h)
            let reduceClock = profile.start()
            if meanGradient.count != rows * actionSize { meanGradient = [Float](repeating: 0, count: rows * actionSize) }
            for i in meanGradient.indices { meanGradient[i] = 0 }
            try h.reduceLogStdGradient(inputGradient: headGradient, batchSize: rows, meanGradient: &meanGradient, logStdGradient: &logStdGradient!)
            profile.stop(.backward, since: reduceClock)
            let back = profile.start()
            try backwardActor(meanGradient)
            profile.stopPass(.backward, since: back, network: 0, rows: rows)
            return (logProbSum / Double(rows), entropySum / Double(rows))
        }
        let back = profile.start()
        try backwardActor(headGradient)
        profile.stopPass(.backward, since: back, network: 0, rows: rows)
        return (logProbSum / Double(rows), entropySum / Double(rows))
    }

    /// Per-row log-probabilities `log π(a_r|s_r)` of raw actions (and, if asked, entropies) for
    /// `rows` observations: what PPO stores at collection time.
    public mutating func logProbs(observations: UnsafeBufferPointer<Float>, rawActions: [Float], rows: Int,
                                  into logProbs: inout [Float]) throws {
        let clock = profile.start()
        try forwardActor(observations, rows: rows)
        profile.stopPass(.forward, since: clock, network: 0, rows: rows)
        let headClock = profile.start()
        defer { profile.stop(.forward, since: headClock) }
        try buildHeadInputs(rows: rows)
        if logProbs.count != rows { logProbs = [Float](repeating: 0, count: rows) }
        func run<H: AnalyticPolicyHead>(_ head: H) throws {
            try head.logProbs(inputs: headInputs, actions: rawActions, batchSize: rows, into: &logProbs)
        }
        switch head {
        case .categorical(let h): try run(h)
        case .tanhSoftplus(let h): try run(h)
        case .logStd(let h): try run(h)
        }
    }

    /// Accumulates the critic's gradient of `coefficient · Σ_r ½(V(s_r) − target_r)² / rows`, and
    /// returns the mean squared error.
    public mutating func accumulateValueGradient(observations: UnsafeBufferPointer<Float>, targets: [Float], coefficient: Float, rows: Int) throws -> Double {
        try accumulateValueGradient(observations: observations, rows: rows) { values, gradient in
            var mse = 0.0
            for r in 0..<rows {
                let e = values[r] - targets[r]
                mse += Double(e * e)
                gradient[r] = coefficient * e / Float(rows)
            }
            return mse / Double(rows)
        }
    }

    /// Accumulates the critic's gradient of a loss given per row: `lossGradient(V, &dL/dV)` fills
    /// the derivative of the loss with respect to each row's value and returns the loss, which is
    /// returned (PPO's clipped value loss).
    public mutating func accumulateValueGradient(observations: UnsafeBufferPointer<Float>, rows: Int,
                                                 lossGradient: (UnsafeBufferPointer<Float>, inout [Float]) throws -> Double) throws -> Double {
        guard let critic else { throw TrainingError("this learner has no value network") }
        let clock = profile.start()
        try forwardCritic(critic, observations, rows: rows)
        profile.stopPass(.forward, since: clock, network: 1, rows: rows)
        if scratch.count != rows { scratch = [Float](repeating: 0, count: rows) }
        let out = criticWorkspace!.output
        var gradient: [Float] = []
        swap(&gradient, &scratch)   // moved out and back, not copied: no allocation per call
        let loss: Double
        do { loss = try out.withUnsafeBufferPointer { try lossGradient($0, &gradient) } } catch {
            swap(&gradient, &scratch)
            throw error
        }
        swap(&gradient, &scratch)
        let back = profile.start()
        try critic.backward(outputGradient: scratch, workspace: &criticWorkspace!, gradient: &criticGradient!, computeInputGradient: criticEncoder != nil)
        if let criticEncoder {
            try criticWorkspace!.inputGradient.withUnsafeBufferPointer {
                try criticEncoder.backward(outputGradient: $0, workspace: &criticEncoderWorkspace!, gradient: &criticEncoderGradient!)
            }
        }
        profile.stopPass(.backward, since: back, network: 1, rows: rows)
        return loss
    }

    /// The actor's forward pass (through the encoder, if any) on `rows` observations.
    mutating func forwardActor(_ observations: UnsafeBufferPointer<Float>, rows: Int) throws {
        guard let encoder else {
            try actor.forward(observations, batchSize: rows, workspace: &actorWorkspace)
            return
        }
        try encoder.forward(observations, batchSize: rows, workspace: &encoderWorkspace!)
        try encoderWorkspace!.output.withUnsafeBufferPointer { try actor.forward($0, batchSize: rows, workspace: &actorWorkspace) }
    }

    /// The critic's forward pass (through its encoder, if any).
    mutating func forwardCritic(_ critic: MLP, _ observations: UnsafeBufferPointer<Float>, rows: Int) throws {
        guard let criticEncoder else {
            try critic.forward(observations, batchSize: rows, workspace: &criticWorkspace!)
            return
        }
        try criticEncoder.forward(observations, batchSize: rows, workspace: &criticEncoderWorkspace!)
        try criticEncoderWorkspace!.output.withUnsafeBufferPointer { try critic.forward($0, batchSize: rows, workspace: &criticWorkspace!) }
    }

    /// Back-propagates the actor's output gradient into the actor's (and the encoder's) gradients.
    mutating func backwardActor(_ outputGradient: [Float]) throws {
        try actor.backward(outputGradient: outputGradient, workspace: &actorWorkspace, gradient: &actorGradient, computeInputGradient: encoder != nil)
        if let encoder {
            try actorWorkspace.inputGradient.withUnsafeBufferPointer {
                try encoder.backward(outputGradient: $0, workspace: &encoderWorkspace!, gradient: &encoderGradient!)
            }
        }
    }

    /// Zeroes every gradient.
    public mutating func zeroGradients() {
        actorGradient.zero()
        logStdGradient?.zero()
        criticGradient?.zero()
        encoderGradient?.zero()
        criticEncoderGradient?.zero()
    }

    /// The global L2 norm of all gradients together, and whether all are finite.
    public func gradientNorm() -> (norm: Float, finite: Bool) {
        var sum = 0.0
        var finite = true
        // Actor, log-std, critic in this order (the sum's order is part of the result).
        func add(_ g: ParameterVector) {
            g.withUnsafeBufferPointer { values in
                for v in values {
                    if !v.isFinite { finite = false }
                    sum += Double(v) * Double(v)
                }
            }
        }
        add(actorGradient)
        if let logStdGradient { add(logStdGradient) }
        if let criticGradient { add(criticGradient) }
        if let encoderGradient { add(encoderGradient) }
        if let criticEncoderGradient { add(criticEncoderGradient) }
        return (Float(sum.squareRoot()), finite)
    }

    /// Scales every gradient by `factor` (global-norm clipping across networks).
    public mutating func scaleGradients(by factor: Float) {
        actorGradient.scale(by: factor)
        logStdGradient?.scale(by: factor)
        criticGradient?.scale(by: factor)
        encoderGradient?.scale(by: factor)
        criticEncoderGradient?.scale(by: factor)
    }
}

/// A training configuration or run that cannot proceed, as one sentence.
public struct TrainingError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension PolicyValueModel {
    /// Grows the workspaces to hold `rows` observations (episode-based learners see batches of
    /// varying size; steady-state calls do not allocate).
    public mutating func reserve(rows: Int) throws {
        actorWorkspace.reserve(batchCapacity: rows)
        criticWorkspace?.reserve(batchCapacity: rows)
    }
}

/// The concrete action distribution of a model.
enum ModelHead {
    case categorical(CategoricalHead)
    case logStd(LogStdGaussianHead)
    case tanhSoftplus(TanhSoftplusGaussianHead)
}
