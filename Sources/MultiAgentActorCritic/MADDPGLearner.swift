import Envs
import Foundation
import NeuralNets
import Training

/// The one learner of a MADDPG run (``MADDPGConfig``): it controls every agent, keeping for
/// each agent i an actor μ_i(o_i), a centralised critic Q_i(o, a) over all observations and
/// actions, their target copies and Adam optimisers, and one replay buffer of joint steps.
///
/// Replay entry layout (`2O + A + N + 1` floats, O = Σ observation sizes, A = Σ action widths,
/// an action width being K for `Discrete(K)` and d for a d-box): `[o_1 … o_N, a_1 … a_N,
/// r_1 … r_N, o′_1 … o′_N, done]`, with a_i the relaxed (Gumbel-softmax) vector of a discrete
/// agent and the box action of a continuous one. Its first O + A floats are the critics' input.
public struct MADDPGLearner: JointLearner {
    public let settings: MADDPGConfig
    public let agents: [Int]
    let agentCount: Int
    let observationSizes: [Int], observationOffsets: [Int], observationTotal: Int
    /// Per agent: action width, offset in the action block, K (discrete) or nil (box), bounds.
    let actionWidths: [Int], actionOffsets: [Int], actionTotal: Int
    let discrete: [Bool]
    let low: [[Float]], high: [[Float]]
    public internal(set) var actors: [MLP], critics: [MLP], targetActors: [MLP], targetCritics: [MLP]
    var actorOptimizers: [Adam], criticOptimizers: [Adam]
    public internal(set) var replay: ReplayBuffer
    /// Environment steps (over all copies) seen, for the update schedule.
    public internal(set) var environmentSteps = 0
    /// Updates made (every agent once per update).
    public internal(set) var updates = 0
    // Workspaces and scratch, reused.
    var actWork: MLPWorkspace, actorWork: [MLPWorkspace], criticWork: MLPWorkspace, targetWork: MLPWorkspace
    var actorGradients: [ParameterVector], criticGradients: [ParameterVector], scratchGradients: [ParameterVector]
    /// The relaxed actions of the last `act` (`[copies × A]`).
    var lastActions: [Float] = []
    var rowInput: [Float] = [], entry: [Float] = [], slots: [Int] = []
    var criticInput: [Float] = [], nextCriticInput: [Float] = [], policyInput: [Float] = []
    var agentObservations: [Float] = [], rewards: [Float] = [], done: [Float] = [], targets: [Float] = []
    var noise: [Float] = [], logits: [Float] = [], outputGradient: [Float] = [], logitGradient: [Float] = []

    var width: Int { 2 * observationTotal + actionTotal + agentCount + 1 }
    var criticWidth: Int { observationTotal + actionTotal }

    public init(settings: MADDPGConfig, context: JointLearnerContext) throws {
        self.settings = settings
        let layout = context.layout
        agentCount = layout.agents
        guard context.agents == Array(0..<layout.agents) else {
            throw TrainingError("algorithm \(MADDPGConfig.name) trains every agent in one learner (centralised training); run it with architecture centralised")
        }
        agents = context.agents
        var oSizes: [Int] = [], oOffsets: [Int] = [], aWidths: [Int] = [], aOffsets: [Int] = [], disc: [Bool] = []
        var lows: [[Float]] = [], highs: [[Float]] = []
        var to = 0, ta = 0
        for m in 0..<layout.agents {
            let o = layout.observationSize(m)
            oSizes.append(o); oOffsets.append(to); to += o
            switch layout.actionSpaces[m] {
            case .discrete(let k):
                aWidths.append(k); disc.append(true); lows.append([]); highs.append([])
            case .box(let box):
                guard box.low.allSatisfy(\.isFinite), box.high.allSatisfy(\.isFinite) else {
                    throw TrainingError("algorithm \(MADDPGConfig.name) bounds its box actions with a sigmoid, so agent \(m)'s action box must be bounded")
                }
                aWidths.append(box.low.count); disc.append(false); lows.append(box.low); highs.append(box.high)
            }
            aOffsets.append(ta); ta += aWidths[m]
        }
        observationSizes = oSizes; observationOffsets = oOffsets; observationTotal = to
        actionWidths = aWidths; actionOffsets = aOffsets; actionTotal = ta
        discrete = disc; low = lows; high = highs
        var actors: [MLP] = [], critics: [MLP] = []
        for m in 0..<layout.agents {
            actors.append(try MLP(inputCount: oSizes[m], hiddenSizes: settings.hidden, outputCount: aWidths[m], activation: settings.activation,
                                  seed: deriveSeed(context.seed, UInt64(2 * m + 1))))
            critics.append(try MLP(inputCount: to + ta, hiddenSizes: settings.hidden, outputCount: 1, activation: settings.activation,
                                   seed: deriveSeed(context.seed, UInt64(2 * m + 2))))
        }
        self.actors = actors
        self.critics = critics
        targetActors = actors
        targetCritics = critics
        actorOptimizers = actors.map { _ in Adam(learningRate: Float(settings.learningRate)) }
        criticOptimizers = critics.map { _ in Adam(learningRate: Float(settings.learningRate)) }
        replay = try ReplayBuffer(capacity: settings.replayCapacity, width: 2 * to + ta + layout.agents + 1)
        actWork = actors[0].makeWorkspace(batchCapacity: layout.count)
        actorWork = actors.map { $0.makeWorkspace(batchCapacity: settings.batchSize) }
        criticWork = critics[0].makeWorkspace(batchCapacity: settings.batchSize)
        targetWork = critics[0].makeWorkspace(batchCapacity: settings.batchSize)
        actorGradients = actors.map { $0.makeGradient() }
        criticGradients = critics.map { $0.makeGradient() }
        scratchGradients = criticGradients
    }

    /// Writes agent m's relaxed action of one row from its actor's outputs `z` (and the row's
    /// noise: Gumbel draws for a discrete agent, standard normals for a box) into `out`.
    func relaxedAction(agent m: Int, logits z: UnsafeBufferPointer<Float>, noise: UnsafeBufferPointer<Float>, explore: Bool,
                       into out: UnsafeMutableBufferPointer<Float>) {
        if discrete[m] {
            gumbelSoftmax(logits: z, gumbel: noise, into: out)
        } else {
            let scale = Float(settings.explorationNoise)
            for k in 0..<z.count {
                var a = sigmoidBoundedAction(z[k], low: low[m][k], high: high[m][k])
                if explore { a = min(max(a + scale * (high[m][k] - low[m][k]) * noise[k], low[m][k]), high[m][k]) }
                out[k] = a
            }
        }
    }

    /// Draws one row's noise for agent m into `noise[0..<width]`: Gumbel for a discrete agent,
    /// standard normals for a box.
    mutating func drawNoise(agent m: Int, rows: Int, generator: inout RandomGenerator) {
        let d = actionWidths[m]
        if noise.count < rows * d { noise = [Float](repeating: 0, count: rows * d) }
        for k in 0..<(rows * d) { noise[k] = discrete[m] ? gumbelNoise(uniform: generator.uniform(0, 1)) : Float(generator.normal()) }
    }

    public mutating func act(_ observations: JointObservations, greedy: Bool, generator: inout RandomGenerator,
                             into actions: UnsafeMutableBufferPointer<Float>) throws {
        let n = observations.layout.count, a = actionTotal
        if lastActions.count != n * a { lastActions = [Float](repeating: 0, count: n * a) }
        for m in 0..<agentCount {
            let o = observationSizes[m], d = actionWidths[m]
            if rowInput.count != n * o { rowInput = [Float](repeating: 0, count: n * o) }
            for r in 0..<n { let obs = observations.observation(agent: m, row: r); for i in 0..<o { rowInput[r * o + i] = obs[i] } }
            try actors[m].forward(rowInput, batchSize: n, workspace: &actWork)
            if greedy {
                if noise.count < n * d { noise = [Float](repeating: 0, count: n * d) }
                for k in 0..<(n * d) { noise[k] = 0 }
            } else {
                drawNoise(agent: m, rows: n, generator: &generator)
            }
            let output = actWork.output
            var relaxed = lastActions
            lastActions = []
            defer { lastActions = relaxed }
            output.withUnsafeBufferPointer { z in
                noise.withUnsafeBufferPointer { g in
                    relaxed.withUnsafeMutableBufferPointer { la in
                        for r in 0..<n {
                            relaxedAction(agent: m, logits: UnsafeBufferPointer(rebasing: z[(r * d)..<((r + 1) * d)]),
                                          noise: UnsafeBufferPointer(rebasing: g[(r * d)..<((r + 1) * d)]), explore: !greedy,
                                          into: UnsafeMutableBufferPointer(rebasing: la[(r * a + actionOffsets[m])..<(r * a + actionOffsets[m] + d)]))
                        }
                    }
                }
            }
            for r in 0..<n {
                let base = r * a + actionOffsets[m], target = observations.layout.actionIndex(agent: m, row: r)
                if discrete[m] {
                    // The environment takes the argmax of the relaxed sample (a categorical sample).
                    var best = 0
                    for k in 1..<max(1, d) where relaxed[base + k] > relaxed[base + best] { best = k }
                    actions[target] = Float(best)
                } else {
                    for k in 0..<d { actions[target + k] = relaxed[base + k] }
                }
            }
        }
    }

    public mutating func learn(from t: JointTransition, generator: inout RandomGenerator) throws -> LearnerDiagnostics? {
        let n = t.layout.count, w = width, a = actionTotal, O = observationTotal
        if entry.count != w { entry = [Float](repeating: 0, count: w) }
        for r in 0..<n {
            for m in 0..<agentCount {
                let before = t.before.observation(agent: m, row: r), after = t.successor(agent: m, row: r)
                let off = observationOffsets[m]
                for i in 0..<observationSizes[m] {
                    entry[off + i] = before[i]
                    entry[O + a + agentCount + off + i] = after[i]
                }
                entry[O + a + m] = t.reward(agent: m, row: r)
            }
            for k in 0..<a { entry[O + k] = lastActions[r * a + k] }
            entry[w - 1] = t.terminated[r] ? 1 : 0
            replay.append(entry)
        }
        let before = environmentSteps
        environmentSteps += n
        let due = environmentSteps / settings.updateEvery - before / settings.updateEvery
        var diagnostics = LearnerDiagnostics()
        // Wait (keep collecting) until the buffer holds a whole batch and learning_starts entries.
        let ready = replay.count >= max(settings.batchSize, settings.learningStarts)
        if ready {
            for _ in 0..<due { try update(generator: &generator, diagnostics: &diagnostics) }
        }
        return diagnostics.values.isEmpty ? nil : diagnostics
    }

    /// One update of every agent in turn (the original's loop over trainers), on one batch of
    /// slots shared by all agents.
    mutating func update(generator: inout RandomGenerator, diagnostics: inout LearnerDiagnostics) throws {
        let bsz = settings.batchSize, w = width, c = criticWidth, O = observationTotal, a = actionTotal
        func resize(_ v: inout [Float], _ count: Int) { if v.count != count { v = [Float](repeating: 0, count: count) } }
        resize(&criticInput, bsz * c); resize(&nextCriticInput, bsz * c); resize(&policyInput, bsz * c)
        resize(&rewards, bsz * agentCount); resize(&done, bsz); resize(&targets, bsz); resize(&outputGradient, bsz)
        if slots.count != bsz { slots = [Int](repeating: 0, count: bsz) }
        let held = replay.count
        for b in 0..<bsz { slots[b] = generator.below(held) }
        replay.storage.withUnsafeBufferPointer { st in
            for (b, slot) in slots.enumerated() {
                let e = slot * w
                for k in 0..<c { criticInput[b * c + k] = st[e + k] }
                for k in 0..<O { nextCriticInput[b * c + k] = st[e + O + a + agentCount + k] }
                for m in 0..<agentCount { rewards[b * agentCount + m] = st[e + O + a + m] }
                done[b] = st[e + w - 1]
            }
        }
        var valueLoss = 0.0, policyLoss = 0.0
        for i in 0..<agentCount {
            // Target actions of every agent from its target actor (the original samples its
            // Gumbel-softmax afresh; a box actor is deterministic there).
            for j in 0..<agentCount {
                try forwardActor(j, target: true, observationsFrom: nextCriticInput)
                drawNoise(agent: j, rows: bsz, generator: &generator)
                var rows = nextCriticInput
                nextCriticInput = []
                writeActions(agent: j, from: actorWork[j].output, explore: false, into: &rows)
                nextCriticInput = rows
            }
            try targetCritics[i].forward(nextCriticInput, batchSize: bsz, workspace: &targetWork)
            let gamma = Float(settings.discount)
            for b in 0..<bsz {
                targets[b] = maddpgCriticTarget(reward: rewards[b * agentCount + i], done: done[b] != 0, discount: gamma,
                                                nextValue: targetWork.output[targetWork.output.startIndex + b])
            }
            // Critic: mean (Q − y)², ∂/∂Q = 2 (Q − y) / B.
            try critics[i].forward(criticInput, batchSize: bsz, workspace: &criticWork)
            var loss = 0.0
            for b in 0..<bsz {
                let diff = criticWork.output[criticWork.output.startIndex + b] - targets[b]
                outputGradient[b] = 2 * diff / Float(bsz)
                loss += Double(diff * diff) / Double(bsz)
            }
            criticGradients[i].zero()
            try critics[i].backward(outputGradient: outputGradient, workspace: &criticWork, gradient: &criticGradients[i])
            clipEveryTensor(&criticGradients[i], maxNorm: Float(settings.gradientClip))
            _ = try criticOptimizers[i].step(&critics[i].parameters, gradient: &criticGradients[i])
            valueLoss += loss / Double(agentCount)
            // Actor: −mean Q_i(o, a_1 … μ_i(o_i) … a_N) + λ mean z², the others' actions from the replay.
            for k in 0..<(bsz * c) { policyInput[k] = criticInput[k] }
            try forwardActor(i, target: false, observationsFrom: criticInput)
            drawNoise(agent: i, rows: bsz, generator: &generator)
            let z = Array(actorWork[i].output)
            var rows = policyInput
            policyInput = []
            writeActions(agent: i, from: actorWork[i].output, explore: false, into: &rows)
            policyInput = rows
            try critics[i].forward(policyInput, batchSize: bsz, workspace: &criticWork)
            var meanQ = 0.0
            for b in 0..<bsz { meanQ += Double(criticWork.output[criticWork.output.startIndex + b]) / Double(bsz); outputGradient[b] = -1 / Float(bsz) }
            scratchGradients[i].zero()
            try critics[i].backward(outputGradient: outputGradient, workspace: &criticWork, gradient: &scratchGradients[i], computeInputGradient: true)
            let d = actionWidths[i], lambda = Float(settings.policyRegularisation)
            resize(&logitGradient, bsz * d)
            var regulariser = 0.0
            let inputGradient = criticWork.inputGradient
            z.withUnsafeBufferPointer { zz in
                policyInput.withUnsafeBufferPointer { pin in
                    inputGradient.withUnsafeBufferPointer { ig in
                        logitGradient.withUnsafeMutableBufferPointer { lg in
                            for b in 0..<bsz {
                                let act = UnsafeBufferPointer(rebasing: pin[(b * c + O + actionOffsets[i])..<(b * c + O + actionOffsets[i] + d)])
                                let ga = UnsafeBufferPointer(rebasing: ig[(b * c + O + actionOffsets[i])..<(b * c + O + actionOffsets[i] + d)])
                                let out = UnsafeMutableBufferPointer(rebasing: lg[(b * d)..<((b + 1) * d)])
                                for k in 0..<d {
                                    let zk = zz[b * d + k]
                                    out[k] = 2 * lambda * zk / Float(bsz * d)
                                    regulariser += Double(lambda * zk * zk) / Double(bsz * d)
                                }
                                if discrete[i] {
                                    gumbelSoftmaxBackward(action: act, actionGradient: ga, addingInto: out)
                                } else {
                                    for k in 0..<d { out[k] += ga[k] * sigmoidBoundedSlope(zz[b * d + k], low: low[i][k], high: high[i][k]) }
                                }
                            }
                        }
                    }
                }
            }
            actorGradients[i].zero()
            try actors[i].backward(outputGradient: logitGradient, workspace: &actorWork[i], gradient: &actorGradients[i])
            clipEveryTensor(&actorGradients[i], maxNorm: Float(settings.gradientClip))
            _ = try actorOptimizers[i].step(&actors[i].parameters, gradient: &actorGradients[i])
            policyLoss += (-meanQ + regulariser) / Double(agentCount)
            // θ′ ← (1 − τ) θ′ + τ θ for this agent's actor and critic.
            try targetActors[i].parameters.softUpdate(toward: actors[i].parameters, rate: Float(settings.targetRate))
            try targetCritics[i].parameters.softUpdate(toward: critics[i].parameters, rate: Float(settings.targetRate))
        }
        updates += 1
        diagnostics.record(.valueLoss, valueLoss)
        diagnostics.record(.policyLoss, policyLoss)
    }

    /// Runs agent j's actor (or its target) on agent j's observations, read from the observation
    /// part of the critic-input rows `source`, into `actorWork[j]`.
    mutating func forwardActor(_ j: Int, target: Bool, observationsFrom source: [Float]) throws {
        let bsz = settings.batchSize, c = criticWidth, o = observationSizes[j], off = observationOffsets[j]
        if agentObservations.count != bsz * o { agentObservations = [Float](repeating: 0, count: bsz * o) }
        for b in 0..<bsz { for k in 0..<o { agentObservations[b * o + k] = source[b * c + off + k] } }
        if target {
            try targetActors[j].forward(agentObservations, batchSize: bsz, workspace: &actorWork[j])
        } else {
            try actors[j].forward(agentObservations, batchSize: bsz, workspace: &actorWork[j])
        }
    }

    /// Writes agent j's relaxed actions of a batch from actor outputs `z` (and `noise`) into the
    /// action part of the critic-input rows `rows`.
    func writeActions(agent j: Int, from z: ArraySlice<Float>, explore: Bool, into rows: inout [Float]) {
        let bsz = settings.batchSize, c = criticWidth, d = actionWidths[j], base = observationTotal + actionOffsets[j]
        z.withUnsafeBufferPointer { zz in
            noise.withUnsafeBufferPointer { g in
                rows.withUnsafeMutableBufferPointer { out in
                    for b in 0..<bsz {
                        relaxedAction(agent: j, logits: UnsafeBufferPointer(rebasing: zz[(b * d)..<((b + 1) * d)]),
                                      noise: UnsafeBufferPointer(rebasing: g[(b * d)..<((b + 1) * d)]), explore: explore,
                                      into: UnsafeMutableBufferPointer(rebasing: out[(b * c + base)..<(b * c + base + d)]))
                    }
                }
            }
        }
    }

    public func checkpointTensors() -> [CheckpointTensor] {
        var t: [CheckpointTensor] = []
        func add(_ name: String, _ v: [Float]) { t.append(CheckpointTensor(name: name, shape: [v.count], values: v)) }
        for m in 0..<agentCount {
            add("actor.\(m)", actors[m].parameters.values)
            add("critic.\(m)", critics[m].parameters.values)
            add("target_actor.\(m)", targetActors[m].parameters.values)
            add("target_critic.\(m)", targetCritics[m].parameters.values)
            for (name, v) in actorOptimizers[m].stateTensors() { add("actor_optimizer.\(m).\(name)", v) }
            for (name, v) in criticOptimizers[m].stateTensors() { add("critic_optimizer.\(m).\(name)", v) }
        }
        add("counters", [Float(bitPattern: UInt32(truncatingIfNeeded: environmentSteps >> 32)), Float(bitPattern: UInt32(truncatingIfNeeded: environmentSteps)),
                         Float(bitPattern: UInt32(truncatingIfNeeded: updates >> 32)), Float(bitPattern: UInt32(truncatingIfNeeded: updates))])
        return t + replay.checkpointTensors(prefix: "replay.")
    }

    public mutating func restore(from tensors: [String: [Float]]) throws {
        func take(_ name: String, _ count: Int) throws -> [Float] {
            guard let v = tensors[name], v.count == count else { throw TrainingError("the checkpoint lacks \(name) of \(count) values") }
            return v
        }
        func sub(_ prefix: String) -> [String: [Float]] {
            var out: [String: [Float]] = [:]
            for (k, v) in tensors where k.hasPrefix(prefix) { out[String(k.dropFirst(prefix.count))] = v }
            return out
        }
        for m in 0..<agentCount {
            try actors[m].parameters.setValues(try take("actor.\(m)", actors[m].parameters.count))
            try critics[m].parameters.setValues(try take("critic.\(m)", critics[m].parameters.count))
            try targetActors[m].parameters.setValues(try take("target_actor.\(m)", targetActors[m].parameters.count))
            try targetCritics[m].parameters.setValues(try take("target_critic.\(m)", targetCritics[m].parameters.count))
            try actorOptimizers[m].restoreState(from: sub("actor_optimizer.\(m)."))
            try criticOptimizers[m].restoreState(from: sub("critic_optimizer.\(m)."))
        }
        let c = try take("counters", 4)
        environmentSteps = Int(UInt64(c[0].bitPattern) << 32 | UInt64(c[1].bitPattern))
        updates = Int(UInt64(c[2].bitPattern) << 32 | UInt64(c[3].bitPattern))
        try replay.restore(from: tensors, prefix: "replay.")
    }

    public var networkDescription: [String: String] {
        ["learner": "maddpg", "hidden": settings.hidden.map(String.init).joined(separator: ","), "activation": settings.activation.rawValue,
         "observation_sizes": observationSizes.map(String.init).joined(separator: ","), "action_widths": actionWidths.map(String.init).joined(separator: ",")]
    }
}

/// The original's gradient clipping: every tensor g of `gradient` scaled to norm at most
/// `maxNorm` on its own (`tf.clip_by_norm`: g · maxNorm / max(‖g‖, maxNorm)).
public func clipEveryTensor(_ gradient: inout ParameterVector, maxNorm: Float) {
    let slices = gradient.layout.slices
    gradient.withUnsafeMutableBufferPointer { g in
        for s in slices {
            var squared: Float = 0
            for k in s.range { squared += g[k] * g[k] }
            let norm = squared.squareRoot()
            guard norm > maxNorm else { continue }
            let scale = maxNorm / norm
            for k in s.range { g[k] *= scale }
        }
    }
}
