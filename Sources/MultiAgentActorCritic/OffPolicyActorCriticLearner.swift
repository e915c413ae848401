import Envs
import Foundation
import NeuralNets
import Training

/// One agent of Algorithm 2 (paper 004 §IV; ``OffPolicyActorCriticConfig``): its private actor,
/// critic, target critic, replay buffer D^i and the per-entry β_e and x_e of the consensus on
/// importance weights. It acts and learns on the global state (the paper's fully observed
/// state), and sends its x vector to its neighbours after every update.
///
/// Replay entry layout (`2S + d + 3` floats): `[s (S), a (d, in (−1, 1)), r, s′ (S), terminal,
/// log π̂]`, with log π̂ the behaviour log-density of a at collection.
public struct OffPolicyActorCriticLearner: JointLearner {
    public let settings: OffPolicyActorCriticConfig
    public let agent: Int
    public var agents: [Int] { [agent] }
    /// N, the number of agents (c_e = N·x_e − β_e).
    public let agentCount: Int
    let stateSize: Int, actionSize: Int
    let low: [Float], high: [Float]
    let head: TanhSquashedGaussianHead
    public internal(set) var actor: MLP
    public internal(set) var critic: MLP
    public internal(set) var targetCritic: MLP
    var actorOptimizer: Adam, criticOptimizer: Adam
    public internal(set) var replay: ReplayBuffer
    /// β_e and x_e by replay slot.
    public internal(set) var beta: [Float]
    public internal(set) var x: [Float]
    // Workspaces and scratch (reused: no allocation per step once sized).
    var actorWork: MLPWorkspace, criticWork: MLPWorkspace, targetWork: MLPWorkspace, smallWork: MLPWorkspace
    var actorGradient: ParameterVector, criticGradient: ParameterVector, scratchGradient: ParameterVector
    var lastActions: [Float] = []
    /// `eager`: the whole x vector still has to be mixed this step.
    var mixingPending = false
    /// The seed of the batch slots every agent draws alike (``JointLearnerContext/sharedSeed``).
    let sharedSeed: UInt64
    /// K_W, the least k ≥ 1 with W^{k+1} = W^k (capped by max_mixing_rounds): rounds beyond it
    /// change nothing (`on-sample`).
    let usefulRounds: Int
    /// `on-sample`: by slot, the step of the entry's last refresh.
    public internal(set) var lastRefresh: [Int]
    /// `on-sample`: the slots being mixed this step (most rounds first), their rounds, and the
    /// round reached.
    var pendingSlots: [Int] = [], pendingRounds: [Int] = [], mixingRound = 0
    var seen: [Bool] = [], upcoming: [Int] = []
    var slots: [Int] = []
    var states: [Float] = [], nextStates: [Float] = [], criticInput: [Float] = [], noise: [Float] = []
    var rewards: [Float] = [], terminal: [Float] = [], logWeights: [Float] = [], targets: [Float] = []
    var outputGradient: [Float] = [], headGradient: [Float] = [], entry: [Float] = [], logProbs: [Float] = [], behaviour: [Float] = []

    var width: Int { 2 * stateSize + actionSize + 3 }

    public init(settings: OffPolicyActorCriticConfig, context: JointLearnerContext) throws {
        self.settings = settings
        guard context.agents.count == 1 else { throw TrainingError("algorithm \(OffPolicyActorCriticConfig.name) has one learner per agent") }
        agent = context.agents[0]
        agentCount = context.layout.agents
        guard case .box(let box) = context.layout.actionSpaces[agent] else {
            throw TrainingError("algorithm \(OffPolicyActorCriticConfig.name) acts in continuous (box) action spaces, but agent \(agent) acts in \(context.layout.actionSpaces[agent])")
        }
        guard box.low.allSatisfy(\.isFinite), box.high.allSatisfy(\.isFinite) else {
            throw TrainingError("algorithm \(OffPolicyActorCriticConfig.name) squashes its actions into the action box, which must be bounded")
        }
        low = box.low
        high = box.high
        stateSize = context.layout.stateSpace.size
        actionSize = box.low.count
        head = try TanhSquashedGaussianHead(actionCount: actionSize, minLogStd: Float(settings.minLogStd), maxLogStd: Float(settings.maxLogStd))
        actor = try MLP(inputCount: stateSize, hiddenSizes: settings.hidden, outputCount: 2 * actionSize, activation: settings.activation,
                        outputInitialization: .orthogonal(gain: 0.01), seed: deriveSeed(context.seed, 1))
        critic = try MLP(inputCount: stateSize + actionSize, hiddenSizes: settings.hidden, outputCount: 1, activation: settings.activation,
                         seed: deriveSeed(context.seed, 2))
        targetCritic = critic
        actorOptimizer = Adam(learningRate: Float(settings.actorLearningRate))
        criticOptimizer = Adam(learningRate: Float(settings.criticLearningRate))
        replay = try ReplayBuffer(capacity: settings.replayCapacity, width: 2 * stateSize + actionSize + 3)
        beta = [Float](repeating: 0, count: settings.replayCapacity)
        x = beta
        lastRefresh = [Int](repeating: 0, count: settings.replayCapacity)
        seen = [Bool](repeating: false, count: settings.replayCapacity)
        sharedSeed = context.sharedSeed
        usefulRounds = stationaryPower(context.weights, agents: context.learners, cap: settings.maxMixingRounds)
        actorWork = actor.makeWorkspace(batchCapacity: settings.batchSize)
        criticWork = critic.makeWorkspace(batchCapacity: settings.batchSize)
        targetWork = critic.makeWorkspace(batchCapacity: settings.batchSize)
        smallWork = actor.makeWorkspace(batchCapacity: MLP.loopForwardMaximumBatch)
        actorGradient = actor.makeGradient()
        criticGradient = critic.makeGradient()
        scratchGradient = critic.makeGradient()
    }

    /// log π_θ(a|s) of `count` (state, action) rows read through `row(e)` → (state offset in
    /// `stateSource`, action offset in `actionSource`), evaluated in chunks of at most
    /// ``MLP/loopForwardMaximumBatch`` rows so that every row's number is the same whatever the
    /// chunk (the behaviour density at collection and the current one later agree exactly when θ
    /// has not moved).
    mutating func logDensities(count: Int, stateSource: [Float], stateOffset: (Int) -> Int, actionSource: [Float],
                               actionOffset: (Int) -> Int, into out: inout [Float]) throws {
        if out.count < count { out = [Float](repeating: 0, count: count) }
        let chunk = MLP.loopForwardMaximumBatch, s = stateSize, d = actionSize
        var input = [Float](repeating: 0, count: chunk * s)
        var start = 0
        while start < count {
            let k = min(chunk, count - start)
            for j in 0..<k { for i in 0..<s { input[j * s + i] = stateSource[stateOffset(start + j) + i] } }
            try input.withUnsafeBufferPointer { try actor.forward(UnsafeBufferPointer(rebasing: $0[0..<(k * s)]), batchSize: k, workspace: &smallWork) }
            let output = smallWork.output
            for j in 0..<k {
                let a0 = actionOffset(start + j)
                let lp = output.withUnsafeBufferPointer { o in
                    actionSource.withUnsafeBufferPointer { a in
                        head.logProb(input: UnsafeBufferPointer(rebasing: o[(j * 2 * d)..<((j + 1) * 2 * d)]),
                                     action: UnsafeBufferPointer(rebasing: a[a0..<(a0 + d)]))
                    }
                }
                out[start + j] = lp
            }
            start += k
        }
    }

    public mutating func act(_ observations: JointObservations, greedy: Bool, generator: inout RandomGenerator,
                             into actions: UnsafeMutableBufferPointer<Float>) throws {
        let n = observations.layout.count, s = stateSize, d = actionSize
        if states.count < n * s { states = [Float](repeating: 0, count: n * s) }
        if lastActions.count != n * d { lastActions = [Float](repeating: 0, count: n * d) }
        if noise.count < n * d { noise = [Float](repeating: 0, count: n * d) }
        for r in 0..<n { let st = observations.state(row: r); for i in 0..<s { states[r * s + i] = st[i] } }
        try states.withUnsafeBufferPointer { try actor.forward(UnsafeBufferPointer(rebasing: $0[0..<(n * s)]), batchSize: n, workspace: &actorWork) }
        let output = actorWork.output
        for k in 0..<(n * d) { noise[k] = greedy ? 0 : Float(generator.normal()) }
        output.withUnsafeBufferPointer { o in
            noise.withUnsafeBufferPointer { z in
                lastActions.withUnsafeMutableBufferPointer { a in
                    for r in 0..<n {
                        let row = UnsafeBufferPointer(rebasing: o[(r * 2 * d)..<((r + 1) * 2 * d)])
                        let out = UnsafeMutableBufferPointer(rebasing: a[(r * d)..<((r + 1) * d)])
                        if greedy { head.mode(input: row, into: out) } else {
                            head.reparameterisedAction(input: row, noise: UnsafeBufferPointer(rebasing: z[(r * d)..<((r + 1) * d)]), into: out)
                        }
                    }
                }
            }
        }
        // Keep actions strictly inside (−1, 1) so that their log-density is finite, then map to the box.
        for r in 0..<n {
            for i in 0..<d {
                let a = min(max(lastActions[r * d + i], -0.999_999), 0.999_999)
                lastActions[r * d + i] = a
                actions[observations.layout.actionIndex(agent: agent, row: r) + i] = low[i] + (a + 1) / 2 * (high[i] - low[i])
            }
        }
    }

    /// The importance weights e^{c_e}, c_e = N·x_e − β_e, of the entries held (slot order).
    public func importanceWeights() -> [Float] {
        (0..<replay.count).map { exp(otherAgentsLogWeight(x: x[$0], beta: beta[$0], agents: agentCount)) }
    }

    /// The batch drawn once `appended` entries have been appended (uniform with replacement over
    /// the entries held, from a stream shared by all agents and fixed by the step), or false while
    /// the buffer holds fewer than a batch.
    func drawBatch(afterAppends appended: Int, into slots: inout [Int]) -> Bool {
        let held = min(appended, replay.capacity), b = settings.batchSize
        guard held >= b else { return false }
        if slots.count != b { slots = [Int](repeating: 0, count: b) }
        var g = RandomGenerator(seed: deriveSeed(sharedSeed, UInt64(appended)), index: RandomStream.updates)
        for k in 0..<b { slots[k] = g.below(held) }
        return true
    }

    /// Eqs. (44)–(45) for `count` entries, the k-th in slot `slot(k)`: β_e ← log π_θ(a_e|s_e) − log π̂_e
    /// and x_e += β_e − β̂_e.
    mutating func refresh(count: Int, slot: (Int) -> Int) throws {
        let w = width, s = stateSize
        let storage = replay.storage
        var current = logProbs
        logProbs = []
        try logDensities(count: count, stateSource: storage, stateOffset: { slot($0) * w }, actionSource: storage,
                         actionOffset: { slot($0) * w + s }, into: &current)
        logProbs = current
        for k in 0..<count {
            let e = slot(k)
            let b = logProbs[k] - storage[e * w + w - 1]
            x[e] += b - beta[e]
            beta[e] = b
        }
    }

    /// `on-sample`: refreshes the distinct slots of the batch drawn after the next append (leaving
    /// out the slots that append overwrites, which start again at β = x = 0) and queues their
    /// x for min(age, K_W) mixing rounds.
    mutating func prepareOnSampleRefresh(step: Int, rowsPerStep n: Int) throws {
        pendingSlots.removeAll(keepingCapacity: true)
        pendingRounds.removeAll(keepingCapacity: true)
        mixingRound = 0
        guard drawBatch(afterAppends: step + n, into: &upcoming) else { return }
        for k in 0..<n { seen[replay.slot(ofStep: step + k)] = true }  // overwritten by the next append
        for e in upcoming where !seen[e] {
            seen[e] = true
            pendingSlots.append(e)
        }
        for k in 0..<n { seen[replay.slot(ofStep: step + k)] = false }
        for e in pendingSlots { seen[e] = false }
        // Most rounds first, so that round r mixes a prefix; the age counts joint steps.
        var order = pendingSlots.map { e in (e, min(max(1, (step - lastRefresh[e]) / n), usefulRounds)) }
        order.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        pendingSlots = order.map(\.0)
        pendingRounds = order.map(\.1)
        let ps = pendingSlots
        try refresh(count: ps.count, slot: { ps[$0] })
        for e in ps { lastRefresh[e] = step }
    }

    public mutating func learn(from t: JointTransition, generator: inout RandomGenerator) throws -> LearnerDiagnostics? {
        let n = t.layout.count, s = stateSize, d = actionSize, w = width
        // Store e_t with its behaviour density; β_e = x_e = 0 (Algorithm 2).
        if entry.count != n * w { entry = [Float](repeating: 0, count: n * w) }
        for r in 0..<n {
            let b = r * w
            let st = t.before.state(row: r), next = t.successorState(row: r)
            for i in 0..<s { entry[b + i] = st[i]; entry[b + s + d + 1 + i] = next[i] }
            for i in 0..<d { entry[b + s + i] = lastActions[r * d + i] }
            if settings.teamReward {
                var total: Float = 0
                for m in 0..<agentCount { total += t.reward(agent: m, row: r) }
                entry[b + s + d] = total / Float(agentCount)
            } else {
                entry[b + s + d] = t.reward(agent: agent, row: r)
            }
            entry[b + 2 * s + d + 1] = t.terminated[r] ? 1 : 0
        }
        let entries = entry
        var densities = behaviour
        behaviour = []
        try logDensities(count: n, stateSource: entries, stateOffset: { $0 * w }, actionSource: entries, actionOffset: { $0 * w + s }, into: &densities)
        behaviour = densities
        for r in 0..<n {
            entry[r * w + w - 1] = behaviour[r]
            let slot = entry.withUnsafeBufferPointer { replay.append(UnsafeBufferPointer(rebasing: $0[(r * w)..<((r + 1) * w)])) }
            beta[slot] = 0
            x[slot] = 0
        }
        // As if refreshed (β = x = 0) on the step before its first mixing (stamps count appends).
        for r in 0..<n { lastRefresh[replay.slot(ofStep: replay.appended - n + r)] = replay.appended - n }
        var diagnostics = LearnerDiagnostics()
        // Wait (keep collecting) until the buffer holds a whole batch.
        if drawBatch(afterAppends: replay.appended, into: &slots) {
            try update(generator: &generator, diagnostics: &diagnostics)
        }
        switch settings.consensus {
        case .eager:
            // Consensus, local part (eqs. 44–45) for every entry held; the mixing (46) follows in the cohort.
            try refresh(count: replay.count, slot: { $0 })
            mixingPending = true
        case .onSample:
            // Refresh the entries of the next step's batch (the same slots for every agent) with
            // the current policy, and mix them in the rounds that follow.
            try prepareOnSampleRefresh(step: replay.appended, rowsPerStep: n)
        }
        return diagnostics.values.isEmpty ? nil : diagnostics
    }

    /// One critic step (eqs. 55–56), one actor step (eq. 62) and the target update on the batch `slots`.
    mutating func update(generator: inout RandomGenerator, diagnostics: inout LearnerDiagnostics) throws {
        let bsz = settings.batchSize, s = stateSize, d = actionSize, gamma = Float(settings.discount)
        func resize(_ a: inout [Float], _ count: Int) { if a.count != count { a = [Float](repeating: 0, count: count) } }
        resize(&states, bsz * s); resize(&nextStates, bsz * s); resize(&criticInput, bsz * (s + d)); resize(&noise, bsz * d)
        resize(&rewards, bsz); resize(&terminal, bsz); resize(&logWeights, bsz); resize(&targets, bsz)
        resize(&outputGradient, bsz); resize(&headGradient, bsz * 2 * d)
        var maxWeight: Float = 0
        for (b, slot) in slots.enumerated() {
            let e = replay.entry(slot), base = e.startIndex
            for i in 0..<s { states[b * s + i] = e[base + i]; nextStates[b * s + i] = e[base + s + d + 1 + i] }
            for i in 0..<d { criticInput[b * (s + d) + s + i] = e[base + s + i] }
            for i in 0..<s { criticInput[b * (s + d) + i] = e[base + i] }
            rewards[b] = e[base + s + d]
            terminal[b] = e[base + 2 * s + d + 1]
            logWeights[b] = otherAgentsLogWeight(x: x[slot], beta: beta[slot], agents: agentCount)
            maxWeight = max(maxWeight, exp(logWeights[b]))
        }
        // y = r + γ Q_φ̂(s′, ã), ã ~ π(s′) freshly drawn (eq. 56).
        try actor.forward(nextStates, batchSize: bsz, workspace: &actorWork)
        try sampleActions(rows: bsz, states: nextStates, generator: &generator)
        try targetCritic.forward(criticInput, batchSize: bsz, workspace: &targetWork)
        for b in 0..<bsz { targets[b] = rewards[b] + gamma * (1 - terminal[b]) * targetWork.output[targetWork.output.startIndex + b] }
        // Critic: ½ mean e^{c_e} (Q − y)²; ∂/∂Q = e^{c_e} (Q − y) / |B| (eq. 55).
        for b in 0..<bsz { for i in 0..<s { criticInput[b * (s + d) + i] = states[b * s + i] } }
        for (b, slot) in slots.enumerated() {
            let e = replay.entry(slot)
            for i in 0..<d { criticInput[b * (s + d) + s + i] = e[e.startIndex + s + i] }
        }
        try critic.forward(criticInput, batchSize: bsz, workspace: &criticWork)
        var loss: Double = 0
        for b in 0..<bsz {
            let diff = criticWork.output[criticWork.output.startIndex + b] - targets[b]
            let weight = exp(logWeights[b])
            outputGradient[b] = weight * diff / Float(bsz)
            loss += 0.5 * Double(weight * diff * diff) / Double(bsz)
        }
        criticGradient.zero()
        try critic.backward(outputGradient: outputGradient, workspace: &criticWork, gradient: &criticGradient)
        _ = try criticOptimizer.step(&critic.parameters, gradient: &criticGradient)
        // Actor: ascend mean Q_φ(s, f_θ(ξ, s)) (eqs. 60–62), minimising its negative.
        try actor.forward(states, batchSize: bsz, workspace: &actorWork)
        try sampleActions(rows: bsz, states: states, generator: &generator)
        let actorOutput = Array(actorWork.output)
        try critic.forward(criticInput, batchSize: bsz, workspace: &criticWork)
        var meanQ: Double = 0
        for b in 0..<bsz { meanQ += Double(criticWork.output[criticWork.output.startIndex + b]) / Double(bsz); outputGradient[b] = -1 / Float(bsz) }
        scratchGradient.zero()
        try critic.backward(outputGradient: outputGradient, workspace: &criticWork, gradient: &scratchGradient, computeInputGradient: true)
        let inputGradient = criticWork.inputGradient
        for k in 0..<headGradient.count { headGradient[k] = 0 }
        actorOutput.withUnsafeBufferPointer { o in
            noise.withUnsafeBufferPointer { z in
                inputGradient.withUnsafeBufferPointer { ig in
                    headGradient.withUnsafeMutableBufferPointer { hg in
                        for b in 0..<bsz {
                            head.addReparameterisedGradient(
                                input: UnsafeBufferPointer(rebasing: o[(b * 2 * d)..<((b + 1) * 2 * d)]),
                                noise: UnsafeBufferPointer(rebasing: z[(b * d)..<((b + 1) * d)]),
                                actionGradient: UnsafeBufferPointer(rebasing: ig[(b * (s + d) + s)..<((b + 1) * (s + d))]),
                                logProbScale: 0, into: UnsafeMutableBufferPointer(rebasing: hg[(b * 2 * d)..<((b + 1) * 2 * d)]))
                        }
                    }
                }
            }
        }
        try actor.forward(states, batchSize: bsz, workspace: &actorWork)
        actorGradient.zero()
        try actor.backward(outputGradient: headGradient, workspace: &actorWork, gradient: &actorGradient)
        _ = try actorOptimizer.step(&actor.parameters, gradient: &actorGradient)
        // φ̂ ← (1 − ε) φ̂ + ε φ.
        try targetCritic.parameters.softUpdate(toward: critic.parameters, rate: Float(settings.targetRate))
        diagnostics.record(.valueLoss, loss)
        diagnostics.record(.policyLoss, -meanQ)
        diagnostics.record(.importanceWeightMax, Double(maxWeight))
    }

    /// Draws ã = tanh(μ + σ ⊙ ξ) for `rows` rows from `actorWork`'s output into the action part of
    /// `criticInput` (with `states` in its state part), keeping ξ in `noise`.
    mutating func sampleActions(rows: Int, states source: [Float], generator: inout RandomGenerator) throws {
        let s = stateSize, d = actionSize
        for k in 0..<(rows * d) { noise[k] = Float(generator.normal()) }
        let output = actorWork.output
        for b in 0..<rows {
            for i in 0..<s { criticInput[b * (s + d) + i] = source[b * s + i] }
            output.withUnsafeBufferPointer { o in
                noise.withUnsafeBufferPointer { z in
                    criticInput.withUnsafeMutableBufferPointer { ci in
                        head.reparameterisedAction(input: UnsafeBufferPointer(rebasing: o[(b * 2 * d)..<((b + 1) * 2 * d)]),
                                                   noise: UnsafeBufferPointer(rebasing: z[(b * d)..<((b + 1) * d)]),
                                                   into: UnsafeMutableBufferPointer(rebasing: ci[(b * (s + d) + s)..<((b + 1) * (s + d))]))
                    }
                }
            }
        }
    }


    // Messages: the x vector over the entries held (eq. 46).
    // `eager`: the x vector over the entries held, once per step. `on-sample`: in round r, the x
    // of the refreshed entries that still take r or more rounds (a prefix of `pendingSlots`).
    public var messageSize: Int {
        switch settings.consensus {
        case .eager: return mixingPending ? replay.count : 0
        case .onSample:
            var k = 0
            while k < pendingRounds.count && pendingRounds[k] > mixingRound { k += 1 }
            return k
        }
    }
    public func writeMessage(into message: UnsafeMutableBufferPointer<Float>) {
        switch settings.consensus {
        case .eager: for e in 0..<message.count { message[e] = x[e] }
        case .onSample: for k in 0..<message.count { message[k] = x[pendingSlots[k]] }
        }
    }
    public mutating func receiveMixed(_ mixed: UnsafeBufferPointer<Float>) throws {
        switch settings.consensus {
        case .eager:
            for e in 0..<mixed.count { x[e] = mixed[e] }
            mixingPending = false
        case .onSample:
            for k in 0..<mixed.count { x[pendingSlots[k]] = mixed[k] }
            mixingRound += 1
        }
    }

    public func checkpointTensors() -> [CheckpointTensor] {
        var t = [CheckpointTensor(name: "actor", shape: [actor.parameters.count], values: actor.parameters.values),
                 CheckpointTensor(name: "critic", shape: [critic.parameters.count], values: critic.parameters.values),
                 CheckpointTensor(name: "target_critic", shape: [targetCritic.parameters.count], values: targetCritic.parameters.values),
                 CheckpointTensor(name: "beta", shape: [replay.count], values: Array(beta[0..<replay.count])),
                 CheckpointTensor(name: "x", shape: [replay.count], values: Array(x[0..<replay.count])),
                 CheckpointTensor(name: "last_refresh", shape: [replay.count],
                                  values: lastRefresh[0..<replay.count].map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) })]
        for (name, v) in actorOptimizer.stateTensors() { t.append(CheckpointTensor(name: "actor_optimizer.\(name)", shape: [v.count], values: v)) }
        for (name, v) in criticOptimizer.stateTensors() { t.append(CheckpointTensor(name: "critic_optimizer.\(name)", shape: [v.count], values: v)) }
        return t + replay.checkpointTensors(prefix: "replay.")
    }

    public mutating func restore(from tensors: [String: [Float]]) throws {
        func take(_ name: String, _ count: Int) throws -> [Float] {
            guard let v = tensors[name], v.count == count else { throw TrainingError("the checkpoint lacks \(name) of \(count) values") }
            return v
        }
        try actor.parameters.setValues(try take("actor", actor.parameters.count))
        try critic.parameters.setValues(try take("critic", critic.parameters.count))
        try targetCritic.parameters.setValues(try take("target_critic", targetCritic.parameters.count))
        try replay.restore(from: tensors, prefix: "replay.")
        let b = try take("beta", replay.count), xs = try take("x", replay.count)
        let stamps = try take("last_refresh", replay.count)
        for e in 0..<replay.count { beta[e] = b[e]; x[e] = xs[e]; lastRefresh[e] = Int(stamps[e].bitPattern) }
        func sub(_ prefix: String) -> [String: [Float]] {
            var out: [String: [Float]] = [:]
            for (k, v) in tensors where k.hasPrefix(prefix) { out[String(k.dropFirst(prefix.count))] = v }
            return out
        }
        try actorOptimizer.restoreState(from: sub("actor_optimizer."))
        try criticOptimizer.restoreState(from: sub("critic_optimizer."))
    }

    public var networkDescription: [String: String] {
        ["learner": "off-policy-actor-critic", "hidden": settings.hidden.map(String.init).joined(separator: ","),
         "activation": settings.activation.rawValue, "state_size": String(stateSize), "action_size": String(actionSize)]
    }
}

extension OffPolicyActorCriticLearner {
    /// This learner with its actor's step size set to 0 (its policy no longer moves; tests of the
    /// consensus use it).
    public func frozen() -> OffPolicyActorCriticLearner {
        var l = self
        l.actorOptimizer = Adam(learningRate: 0)
        return l
    }
}

/// K_W: the least k in 1…cap with W^{k+1} = W^k (to 1e-12), or cap; 1 without weights. For
/// paper 004's 3-ring with maximum-degree weights W = J/3 and K_W = 1.
func stationaryPower(_ weights: [Double]?, agents n: Int, cap: Int) -> Int {
    guard let w = weights, w.count == n * n, n > 1 else { return 1 }
    var power = w
    for k in 1..<max(2, cap + 1) {
        var next = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { var v = 0.0; for l in 0..<n { v += power[i * n + l] * w[l * n + j] }; next[i * n + j] = v } }
        if zip(next, power).allSatisfy({ abs($0 - $1) <= 1e-12 }) || k >= cap { return k }
        power = next
    }
    return cap
}
