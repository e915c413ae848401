import Envs
import Training

/// The agents a tabular joint learner controls, with their discrete actions combined into one
/// index `a = a₀ + k₀·a₁ + k₀k₁·a₂ + …` (its first agent the least significant digit, the order
/// `random-mdp-v1` uses for joint actions). One agent: its own action. Every agent: the joint
/// action of the centralised learner (paper 004 §V, "a special case of Algorithm 1 with only 1
/// global agent, whose action is the combination of all the agents' actions").
public struct TabularJointAgents: Sendable, Equatable {
    public let agents: [Int]
    /// k_j, the actions of each controlled agent.
    public let bases: [Int]
    /// Π_j k_j.
    public let actionCount: Int
    /// |S|: the state index every controlled agent observes.
    public let states: Int

    /// Checks that the controlled agents observe a state index and act in discrete spaces.
    public init(agents: [Int], layout: JointLayout, algorithm: String) throws {
        guard let first = agents.first else { throw TrainingError("a \(algorithm) learner needs at least one agent") }
        guard case .discrete(let s) = layout.observationSpaces[first] else {
            throw TrainingError("algorithm \(algorithm) keeps tables over finitely many states, but agent \(first) observes \(layout.observationSpaces[first]); use a task whose observation is a state index")
        }
        var bases: [Int] = []
        var total = 1
        for m in agents {
            guard layout.observationSpaces[m] == .discrete(s) else {
                throw TrainingError("algorithm \(algorithm) needs every agent to observe the same state index, but agent \(m) observes \(layout.observationSpaces[m])")
            }
            guard case .discrete(let k) = layout.actionSpaces[m] else {
                throw TrainingError("algorithm \(algorithm) acts in discrete action spaces, but agent \(m) acts in \(layout.actionSpaces[m])")
            }
            bases.append(k)
            total *= k
        }
        guard total <= 1 << 20, s * total <= 50_000_000 else {
            throw TrainingError("algorithm \(algorithm) would keep \(s) states × \(total) actions in its tables, too many (at most 50 000 000 entries)")
        }
        self.agents = agents
        self.bases = bases
        actionCount = total
        states = s
    }

    /// The state index of copy `row` (the first controlled agent's observation).
    @inlinable public func state(_ o: JointObservations, row: Int) -> Int { Int(o.observation(agent: agents[0], row: row)[0]) }

    /// The state index s_{t+1} of copy `row` in a transition.
    @inlinable public func successorState(_ t: JointTransition, row: Int) -> Int { Int(t.successor(agent: agents[0], row: row)[0]) }

    /// The combined action the controlled agents took on copy `row`.
    @inlinable public func action(_ t: JointTransition, row: Int) -> Int {
        var index = 0, place = 1
        for (j, m) in agents.enumerated() {
            index += Int(t.action(agent: m, row: row)[0]) * place
            place *= bases[j]
        }
        return index
    }

    /// The reward the learner learns from on copy `row`: the mean of its agents' rewards (the
    /// shared reward when every agent receives the same).
    @inlinable public func reward(_ t: JointTransition, row: Int) -> Double {
        var r = 0.0
        for m in agents { r += Double(t.reward(agent: m, row: row)) }
        return r / Double(agents.count)
    }

    /// Writes the combined action `index` as the controlled agents' actions of copy `row`.
    @inlinable public func write(_ index: Int, row: Int, layout: JointLayout, into actions: UnsafeMutableBufferPointer<Float>) {
        var rest = index
        for (j, m) in agents.enumerated() {
            actions[layout.actionIndex(agent: m, row: row)] = Float(rest % bases[j])
            rest /= bases[j]
        }
    }
}

/// Doubles as pairs of Floats holding their high and low 32 bits (exact in a Float tensor file).
func encodeDoubleBits(_ values: [Double]) -> [Float] {
    var out: [Float] = []
    out.reserveCapacity(2 * values.count)
    for v in values {
        let bits = v.bitPattern
        out.append(Float(bitPattern: UInt32(truncatingIfNeeded: bits >> 32)))
        out.append(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
    }
    return out
}

func decodeDoubleBits(_ values: [Float]) -> [Double] {
    stride(from: 0, to: values.count - 1, by: 2).map { i in
        Double(bitPattern: UInt64(values[i].bitPattern) << 32 | UInt64(values[i + 1].bitPattern))
    }
}

/// Restores a table of `count` doubles saved with ``encodeDoubleBits(_:)`` under `name`.
func restoreTable(_ tensors: [String: [Float]], _ name: String, count: Int) throws -> [Double] {
    guard let bits = tensors[name], bits.count == 2 * count else {
        throw TrainingError("the checkpoint lacks the table \(name) of \(count) values")
    }
    return decodeDoubleBits(bits)
}
