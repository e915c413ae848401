import Envs
import NeuralNets
import Training

/// The factored joint policy of paper 002 (§2.1, multi-agent collaborative RL): agent m acts
/// with its own softmax policy π_m(a_m | o_m; θ_m), an MLP from its observation to the logits of
/// its discrete actions, and π(a | s; θ) = Π_m π_m(a_m | o_m; θ_m). θ = (θ_1 … θ_M) is one flat
/// vector, agent 1's parameters first, so
/// `∇_θ log π(a|s; θ) = (∇_{θ_1} log π_1(a_1|o_1), …, ∇_{θ_M} log π_M(a_M|o_M))`.
public struct FactoredSoftmaxPolicy: Sendable {
    /// Agent m's network (its parameters are θ_m).
    public private(set) var networks: [MLP]
    let heads: [CategoricalHead]
    var workspaces: [MLPWorkspace]
    var scratchGradients: [ParameterVector]
    /// Where θ_m starts in θ.
    public let offsets: [Int]
    /// |θ|.
    public let parameterCount: Int

    /// - Parameters:
    ///   - observationSizes: each agent's observation width.
    ///   - actionChoices: each agent's number of discrete actions.
    ///   - seed: agent m's network is initialised from `deriveSeed(seed, m)`.
    public init(observationSizes: [Int], actionChoices: [Int], hidden: [Int], activation: Activation, seed: UInt64, batchCapacity: Int) throws {
        var nets: [MLP] = [], offs: [Int] = [], total = 0
        for m in observationSizes.indices {
            let net = try MLP(inputCount: observationSizes[m], hiddenSizes: hidden, outputCount: actionChoices[m], activation: activation,
                              outputInitialization: .orthogonal(gain: 0.01), seed: deriveSeed(seed, UInt64(m)))
            offs.append(total)
            total += net.parameters.count
            nets.append(net)
        }
        networks = nets
        heads = try actionChoices.map { try CategoricalHead(actionChoices: $0) }
        workspaces = nets.map { $0.makeWorkspace(batchCapacity: max(1, batchCapacity)) }
        scratchGradients = nets.map { $0.makeGradient() }
        offsets = offs
        parameterCount = total
    }

    public var agents: Int { networks.count }

    /// θ, flat.
    public var parameters: [Float] {
        var out: [Float] = []
        out.reserveCapacity(parameterCount)
        for net in networks { out += net.parameters.values }
        return out
    }

    /// Sets θ (flat, `parameterCount` values).
    public mutating func setParameters(_ theta: [Float]) throws {
        guard theta.count == parameterCount else { throw TrainingError("θ holds \(theta.count) values, the policy \(parameterCount)") }
        for m in networks.indices {
            let n = networks[m].parameters.count
            try networks[m].parameters.setValues(Array(theta[offsets[m]..<offsets[m] + n]))
        }
    }

    /// Agent m's actions for `rows` observations (row-major), sampled with `generators[r]` for row
    /// r (the mode when `greedy`), written as the floats of their indices into `actions`.
    public mutating func act(agent m: Int, observations: ArraySlice<Float>, rows: Int, greedy: Bool,
                             generators: inout [RandomGenerator], into actions: inout [Float], at start: Int) throws {
        try networks[m].forward(Array(observations), batchSize: rows, workspace: &workspaces[m])
        let k = heads[m].actionChoices
        let logits = Array(workspaces[m].output)
        let head = heads[m]
        var chosen: [Float] = [0]
        logits.withUnsafeBufferPointer { z in
            chosen.withUnsafeMutableBufferPointer { a in
                for r in 0..<rows {
                    let row = UnsafeBufferPointer(rebasing: z[(r * k)..<((r + 1) * k)])
                    if greedy { head.mode(input: row, into: a) } else { head.sample(input: row, into: a, using: &generators[r]) }
                    actions[start + r] = a[0]
                }
            }
        }
    }

    /// Agent m's part of the single-trajectory G(PO)MDP gradients (eq. 29) of one episode, one
    /// per weight vector: for each `weights[l]` (`w_τ = Σ_{t≥τ} γ^t ℓ_l(s_t, a_t)`, one per step),
    /// `Σ_τ ∇_{θ_m} log π_m(a_τ|o_τ) · w_τ` is written into `out[l]` at θ_m's offset.
    /// `observations` are the episode's `steps` rows of agent m, `actions` its action indices.
    public mutating func accumulateEpisodeGradients(agent m: Int, observations: [Float], actions: [Float], steps: Int,
                                                    weights: [[Float]], into out: inout [[Float]], rowOffset: Int) throws {
        try networks[m].forward(observations, batchSize: steps, workspace: &workspaces[m])
        let k = heads[m].actionChoices
        // Scores ∂log π_m(a_τ)/∂z = e_a − softmax(z), one row per step.
        var scores = [Float](repeating: 0, count: steps * k)
        let logits = Array(workspaces[m].output)
        logits.withUnsafeBufferPointer { z in
            scores.withUnsafeMutableBufferPointer { s in
                actions.withUnsafeBufferPointer { a in
                    for t in 0..<steps {
                        heads[m].addLogProbGradient(input: UnsafeBufferPointer(rebasing: z[(t * k)..<((t + 1) * k)]),
                                                    action: UnsafeBufferPointer(rebasing: a[t..<(t + 1)]), scale: 1,
                                                    into: UnsafeMutableBufferPointer(rebasing: s[(t * k)..<((t + 1) * k)]))
                    }
                }
            }
        }
        var outputGradient = [Float](repeating: 0, count: steps * k)
        let size = networks[m].parameters.count, offset = offsets[m]
        for l in weights.indices {
            for t in 0..<steps {
                let w = weights[l][t]
                for j in 0..<k { outputGradient[t * k + j] = scores[t * k + j] * w }
            }
            scratchGradients[m].zero()
            try networks[m].backward(outputGradient: outputGradient, workspace: &workspaces[m], gradient: &scratchGradients[m])
            scratchGradients[m].withUnsafeBufferPointer { g in
                for i in 0..<size { out[l][rowOffset + offset + i] = g[i] }
            }
        }
    }
}
