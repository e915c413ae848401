import Communication
import Dispatch
import Envs

/// N learners acting together in the same copies of one multi-agent environment (DESIGN §10,
/// the *joint* cohort shape; paper 004 §II-A): each step every learner chooses the action rows
/// of its agents from its own private policy, the environment steps once with the joint action,
/// every learner learns from the shared transition, and learners that talk mix their messages
/// with their graph neighbours (paper 004 eq. 46), every message counted.
///
/// Its guarantees are the networked ``Cohort``'s: every learner owns its state and draws only
/// from the generator the cohort keeps for it (reseeded by ``restart(seed:)``), the environment
/// draws only from its copies' streams, and learners act and learn in parallel over threads in
/// contiguous blocks, so the same seed gives the same numbers whatever the thread count.
public struct JointCohort<L: JointLearner> {
    public var learners: [L]
    public private(set) var environment: any MultiAgentVectorEnvironment
    public let layout: JointLayout
    /// Threads the learners are spread over.
    public var threads: Int
    /// The learners' generators (action and update draws), one each.
    var generators: [RandomGenerator]
    var batch: MultiAgentStepBatch
    var previousObservations: [Float], previousStates: [Float]
    var actions: [Float]
    /// Row-major N × N mixing weights over learners (`w[k·N + l]`) and each learner's neighbours.
    let weights: [Double]
    let neighbours: [[Int]]
    var messages: [[Float]], mixed: [[Float]]
    /// The learners' diagnostics of the last step (kept to avoid an allocation per step).
    var diagnostics: [LearnerDiagnostics?] = []
    /// Messages, scalars and bytes sent since the run began (restored on resume).
    public var sent = MessageLedger.Counts()
    /// Joint steps taken since the run began.
    public var steps = 0
    /// The environment's per-episode counters (``MultiAgentEpisodeCounting``), if it has any, and
    /// every copy's running totals (`[count × names]`).
    public let counterNames: [String]
    var counterTotals: [Double]

    /// `graph` and `weights` (row-major over learners) say who hears whom; needed only when a
    /// learner talks (``JointLearner/messageSize`` > 0). Every agent of the environment must be
    /// controlled by exactly one learner.
    public init(learners: [L], environment: any MultiAgentVectorEnvironment, graph: Graph? = nil, weights: [Double]? = nil,
                threads: Int = 1) throws {
        guard !learners.isEmpty else { throw TrainingError("a joint cohort needs at least one learner") }
        var owner = [Int](repeating: -1, count: environment.agents)
        for (k, l) in learners.enumerated() {
            for m in l.agents {
                guard m >= 0 && m < environment.agents else {
                    throw TrainingError("learner \(k) controls agent \(m), but the environment has agents 0…\(environment.agents - 1)")
                }
                guard owner[m] < 0 else { throw TrainingError("agent \(m) is controlled by learners \(owner[m]) and \(k); each agent needs exactly one") }
                owner[m] = k
            }
        }
        if let m = owner.firstIndex(of: -1) { throw TrainingError("no learner controls agent \(m) of the environment") }
        let n = learners.count
        if let graph {
            guard graph.agentCount == n else { throw TrainingError("the graph has \(graph.agentCount) agents, the joint cohort \(n) learners") }
            neighbours = graph.neighbours
        } else {
            neighbours = [[Int]](repeating: [], count: n)
        }
        if let weights {
            guard weights.count == n * n else { throw TrainingError("the mixing weights hold \(weights.count) values for \(n) learners") }
            self.weights = weights
        } else {
            var identity = [Double](repeating: 0, count: n * n)
            for k in 0..<n { identity[k * n + k] = 1 }
            self.weights = identity
        }
        self.learners = learners
        self.environment = environment
        layout = JointLayout(environment)
        self.threads = max(1, threads)
        generators = (0..<n).map { RandomGenerator(seed: 0, index: UInt64($0)) }
        batch = environment.makeBatch()
        previousObservations = batch.observations
        previousStates = batch.states
        actions = [Float](repeating: 0, count: layout.actionTotal)
        messages = [[Float]](repeating: [], count: n)
        mixed = messages
        counterNames = (environment as? any MultiAgentEpisodeCounting)?.episodeCounterNames ?? []
        counterTotals = [Double](repeating: 0, count: layout.count * counterNames.count)
    }

    /// Starts new episodes on every copy from `seed` and reseeds every learner's generator from
    /// `(seed, learner)`: the start of a segment.
    public mutating func restart(seed: UInt64) {
        environment.reset(seed: deriveSeed(seed, 0x454E_5653), into: &batch)  // "ENVS"
        for k in counterTotals.indices { counterTotals[k] = 0 }
        for k in generators.indices { generators[k] = RandomGenerator(seed: deriveSeed(seed, UInt64(k)), index: RandomStream.actions) }
    }

    /// Takes one joint step: act, step the environment, learn, exchange. Episodes that ended go
    /// to `report`.
    public mutating func step(into report: inout JointRoundReport) throws {
        let n = learners.count
        // s_t, kept for the learners.
        copy(batch.observations, into: &previousObservations)
        copy(batch.states, into: &previousStates)
        // Every learner writes its agents' action rows.
        let layout = self.layout
        try batch.observations.withUnsafeBufferPointer { o in
            try batch.states.withUnsafeBufferPointer { s in
                let view = JointObservations(layout: layout, observations: o, states: s)
                try actions.withUnsafeMutableBufferPointer { a in
                    try Self.forEachLearner(&learners, &generators, threads: threads) { k, learner, generator in
                        try learner.act(view, greedy: false, generator: &generator, into: a)
                    }
                }
            }
        }
        try environment.step(actions, into: &batch)
        steps += 1
        report.environmentSteps += layout.count
        // The shared transition.
        if diagnostics.count != n { diagnostics = [LearnerDiagnostics?](repeating: nil, count: n) }
        try Self.withTransition(layout, previousObservations, previousStates, batch, actions) { t in
            try diagnostics.withUnsafeMutableBufferPointer { d in
                try Self.forEachLearner(&learners, &generators, threads: threads) { k, learner, generator in
                    d[k] = try learner.learn(from: t, generator: &generator)
                }
            }
        }
        for k in 0..<n { if let d = diagnostics[k] { report.add(d) }; diagnostics[k] = nil }
        try exchange(into: &report)
        let c = counterNames.count
        if c > 0, let counting = environment as? any MultiAgentEpisodeCounting {
            let s = layout.stateSpace.size
            let states = batch.states, finals = batch.finalStates
            counterTotals.withUnsafeMutableBufferPointer { totals in
                for r in 0..<layout.count {
                    let ended = batch.ended(r)
                    (ended ? finals : states).withUnsafeBufferPointer { st in
                        counting.accumulateEpisodeCounters(row: r, state: UnsafeBufferPointer(rebasing: st[(r * s)..<((r + 1) * s)]), last: ended,
                                                           into: totals.baseAddress! + r * c)
                    }
                }
            }
        }
        for r in 0..<layout.count where batch.ended(r) {
            var total = 0.0
            for m in 0..<layout.agents { total += Double(batch.episodes.episodeReturn(agent: m, row: r)) }
            var perLearner: [Double] = []
            for l in learners {
                var own = 0.0
                for m in l.agents { own += Double(batch.episodes.episodeReturn(agent: m, row: r)) }
                perLearner.append(own / Double(max(1, l.agents.count)))
            }
            var episode = JointEpisode(teamReturn: total / Double(layout.agents), learnerReturns: perLearner,
                                       length: Int(batch.episodes.lengths[r]), metric: Double(batch.episodes.metrics[r]))
            if c > 0 {
                episode.counters = Array(counterTotals[(r * c)..<((r + 1) * c)])
                for k in 0..<c { counterTotals[r * c + k] = 0 }
            }
            report.episodes.append(episode)
        }
    }

    /// Runs `steps` joint steps.
    public mutating func runRound(steps count: Int) throws -> JointRoundReport {
        var report = JointRoundReport()
        for _ in 0..<count { try step(into: &report) }
        return report
    }

    /// Learners that talk write their messages; each takes the weighted mixture of its own and
    /// its neighbours' (eq. 46), and every message to a neighbour is counted. Rounds repeat while
    /// a learner has more to mix this step (``JointLearner/messageSize`` > 0), at most
    /// ``maximumMixingRounds``; a learner counts as a sender once per step.
    mutating func exchange(into report: inout JointRoundReport) throws {
        let n = learners.count
        var round = 0
        while true {
            var talking = false
            for k in 0..<n where learners[k].messageSize > 0 { talking = true }
            guard talking else { return }
            guard round < Self.maximumMixingRounds else {
                throw TrainingError("the learners still had messages to mix after \(Self.maximumMixingRounds) rounds in one step")
            }
            for k in 0..<n {
                let size = learners[k].messageSize
                if messages[k].count != size { messages[k] = [Float](repeating: 0, count: size) }
                messages[k].withUnsafeMutableBufferPointer { learners[k].writeMessage(into: $0) }
            }
            for k in 0..<n {
                let size = messages[k].count
                for l in neighbours[k] where messages[l].count != size {
                    throw TrainingError("learners \(k) and \(l) send messages of \(size) and \(messages[l].count) floats; neighbours must send the same length")
                }
                let deg = neighbours[k].count
                sent.messages += deg
                sent.scalars += deg * size
                sent.bytes += deg * size * MemoryLayout<Float>.size
                report.messages += deg
                report.scalars += deg * size
                if round == 0 && deg > 0 && size > 0 { report.senders += 1 }
            }
            consensusMix(messages, weights: weights, neighbours: neighbours, into: &mixed)
            for k in 0..<n { try mixed[k].withUnsafeBufferPointer { try learners[k].receiveMixed($0) } }
            round += 1
        }
    }

    /// The most mixing rounds one step may take.
    public static var maximumMixingRounds: Int { 10_000 }

    /// Calls `body` with the step's transition view.
    static func withTransition(_ layout: JointLayout, _ previousObservations: [Float], _ previousStates: [Float], _ batch: MultiAgentStepBatch,
                               _ actions: [Float], _ body: (JointTransition) throws -> Void) throws {
        try previousObservations.withUnsafeBufferPointer { po in
            try previousStates.withUnsafeBufferPointer { ps in
                try batch.observations.withUnsafeBufferPointer { o in
                    try batch.states.withUnsafeBufferPointer { s in
                        try batch.finalObservations.withUnsafeBufferPointer { fo in
                            try batch.finalStates.withUnsafeBufferPointer { fs in
                                try actions.withUnsafeBufferPointer { a in
                                    try batch.rewards.withUnsafeBufferPointer { r in
                                        try batch.terminated.withUnsafeBufferPointer { te in
                                            try batch.truncated.withUnsafeBufferPointer { tr in
                                                try body(JointTransition(
                                                    layout: layout, before: JointObservations(layout: layout, observations: po, states: ps),
                                                    actions: a, rewards: r, after: JointObservations(layout: layout, observations: o, states: s),
                                                    final: JointObservations(layout: layout, observations: fo, states: fs), terminated: te, truncated: tr))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Runs `work(k, &learner k, &its generator)` for every learner, over ``threads`` threads in
    /// contiguous blocks (each learner's numbers are its own); the first error is rethrown.
    static func forEachLearner(_ learners: inout [L], _ generators: inout [RandomGenerator], threads: Int,
                               _ work: (Int, inout L, inout RandomGenerator) throws -> Void) throws {
        let n = learners.count
        var errors = [Error?](repeating: nil, count: n)
        let t = min(threads, n)
        withoutActuallyEscaping(work) { work in
            learners.withUnsafeMutableBufferPointer { ls in
                generators.withUnsafeMutableBufferPointer { gs in
                    errors.withUnsafeMutableBufferPointer { es in
                        let (ls, gs, es) = (ls, gs, es)
                        let run = { (k: Int) in
                            do { try work(k, &ls[k], &gs[k]) } catch { es[k] = error }
                        }
                        if t <= 1 {
                            for k in 0..<n { run(k) }
                        } else {
                            WorkerPool.shared.run(workers: t) { w in
                                for k in (w * n / t)..<((w + 1) * n / t) { run(k) }
                            }
                        }
                    }
                }
            }
        }
        if let error = errors.compactMap({ $0 }).first { throw error }
    }

    /// Test episodes of the joint policy: `episodes` fresh copies of `task` with `parameters`,
    /// every learner acting (most likely actions when `greedy`), each copy run to the end of its
    /// first episode. Returns each copy's team return (the mean over agents of their returns).
    /// The learners' training generators are not touched.
    public mutating func evaluate(task: any MultiAgentRegisteredTask, parameters: JSONValue, episodes: Int, greedy: Bool, seed: UInt64,
                                  maxSteps: Int = 100_000) throws -> [Double] {
        guard episodes > 0 else { return [] }
        var env = try task.makeMultiAgentVector([JSONValue](repeating: parameters, count: episodes), threads: 1)
        let evalLayout = JointLayout(env)
        guard evalLayout.observationSpaces == layout.observationSpaces, evalLayout.actionSpaces == layout.actionSpaces else {
            throw TrainingError("task \(task.id) has agents \(evalLayout.observationSpaces) → \(evalLayout.actionSpaces), the cohort was trained on \(layout.observationSpaces) → \(layout.actionSpaces)")
        }
        var evalBatch = env.reset(seed: seed)
        var evalActions = [Float](repeating: 0, count: evalLayout.actionTotal)
        var evalGenerators = learners.indices.map { RandomGenerator(seed: seed, index: RandomStream.evaluation + UInt64($0)) }
        var returns = [Double?](repeating: nil, count: episodes)
        var steps = 0
        while returns.contains(where: { $0 == nil }) {
            guard steps < maxSteps else {
                throw TrainingError("test episodes of \(task.id) did not end within \(maxSteps) steps; give the task a time limit (max_episode_steps)")
            }
            try evalBatch.observations.withUnsafeBufferPointer { o in
                try evalBatch.states.withUnsafeBufferPointer { s in
                    let view = JointObservations(layout: evalLayout, observations: o, states: s)
                    try evalActions.withUnsafeMutableBufferPointer { a in
                        for k in learners.indices { try learners[k].act(view, greedy: greedy, generator: &evalGenerators[k], into: a) }
                    }
                }
            }
            try env.step(evalActions, into: &evalBatch)
            steps += 1
            for r in 0..<episodes where returns[r] == nil && evalBatch.ended(r) {
                var total = 0.0
                for m in 0..<evalLayout.agents { total += Double(evalBatch.episodes.episodeReturn(agent: m, row: r)) }
                returns[r] = total / Double(evalLayout.agents)
            }
        }
        return returns.map { $0 ?? .nan }
    }
}

/// One consensus step over the agents' vectors (paper 004 eq. 46, Lemma 2's x ← W x):
/// `mixed[k][e] = Σ_l W_kl messages[l][e]` over k itself and its `neighbours[k]`, with `weights`
/// row-major N × N, accumulated in Double. Neighbours' vectors must have k's length.
public func consensusMix(_ messages: [[Float]], weights: [Double], neighbours: [[Int]], into mixed: inout [[Float]]) {
    let n = messages.count
    if mixed.count != n { mixed = [[Float]](repeating: [], count: n) }
    for k in 0..<n {
        let size = messages[k].count
        if mixed[k].count != size { mixed[k] = [Float](repeating: 0, count: size) }
        let own = weights[k * n + k]
        for e in 0..<size {
            var v = own * Double(messages[k][e])
            for l in neighbours[k] { v += weights[k * n + l] * Double(messages[l][e]) }
            mixed[k][e] = Float(v)
        }
    }
}

/// Copies `source` into `target` element by element (same length: no allocation).
@inline(__always)
func copy(_ source: [Float], into target: inout [Float]) {
    if target.count != source.count { target = source; return }
    source.withUnsafeBufferPointer { s in target.withUnsafeMutableBufferPointer { t in _ = t.update(fromContentsOf: s) } }
}

/// One finished episode of a joint cohort's copy.
public struct JointEpisode: Sendable {
    /// The mean over agents of their undiscounted returns (the shared reward's return when the
    /// reward is shared; paper 004 §V averages the agents' rewards).
    public var teamReturn: Double
    /// Each learner's return (the mean over its agents).
    public var learnerReturns: [Double]
    public var length: Int
    /// The family's episode metric (NaN if it has none).
    public var metric: Double
    /// The environment's per-episode counters (``JointCohort/counterNames``), if any.
    public var counters: [Double] = []
}

/// What a joint round did.
public struct JointRoundReport {
    public var environmentSteps = 0
    public var episodes: [JointEpisode] = []
    /// Messages and scalars the learners sent this round, and the sum over steps of the number of
    /// learners that sent.
    public var messages = 0
    public var scalars = 0
    public var senders = 0
    /// Sums and counts of the learners' diagnostics.
    public var diagnosticSums: [Metric: (total: Double, count: Int)] = [:]

    public init() {}

    /// The largest importance weight any learner used this round.
    public var importanceWeightMax: Double?

    mutating func add(_ d: LearnerDiagnostics) {
        if let m = d[.importanceWeightMax] { importanceWeightMax = max(importanceWeightMax ?? m, m) }
        for (metric, value) in d.values where value.isFinite && metric != .importanceWeightMax {
            let s = diagnosticSums[metric] ?? (0, 0)
            diagnosticSums[metric] = (s.total + value, s.count + 1)
        }
    }
}
