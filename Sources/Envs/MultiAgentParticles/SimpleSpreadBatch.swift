/// The native batch of `mpe/simple-spread-v1`: every copy's positions, velocities and landmarks
/// in flat `Double` buffers, stepped with the same functions as ``SimpleSpread`` and equal to
/// `MultiAgentSerialVector<SimpleSpread>` row by row (tested across an autoreset).
///
/// Copies may carry different parameters (sizes, local ratios, reward scales, reward forms) as
/// long as their spaces agree (the same agents, landmarks, action and observation kinds).
public struct SimpleSpreadBatch: ParametricMultiAgentVector {
    public typealias Parameters = SimpleSpread.Parameters

    @usableFromInline var positions: [Double]
    @usableFromInline var velocities: [Double]
    @usableFromInline var landmarkPositions: [Double]
    @usableFromInline var forces: [Double]
    @usableFromInline var scales: [Double]
    @usableFromInline var rewardScratch: [Double]
    @usableFromInline let constants: [SimpleSpreadConstants]
    @usableFromInline let limits: [Int]
    /// 1 when copies carry their own parameters, 0 when they share the first entry.
    @usableFromInline let parameterStride: Int
    @usableFromInline var generators: [RandomGenerator]
    /// `[agents × count]` running returns and `[count]` steps of the current episodes.
    @usableFromInline var runningReturns: [Double]
    @usableFromInline var elapsed: [Int32]
    public let count: Int
    public let agents: Int
    @usableFromInline let landmarks: Int
    /// Global index of copy 0.
    public let firstIndex: Int
    public let observationSpaces: [Space]
    public let actionSpaces: [Space]
    public let stateSpace: Space
    public let stateNames: [String]

    public init(parameters: [Parameters], firstIndex: Int) throws(EnvironmentError) {
        guard let first = parameters.first else { throw .invalid("a vector environment needs at least one copy") }
        let reference = try SimpleSpread(parameters: first)
        for (i, p) in parameters.enumerated() {
            let copy = try SimpleSpread(parameters: p)
            guard copy.observationSpaces == reference.observationSpaces, copy.actionSpaces == reference.actionSpaces,
                  copy.stateSpace == reference.stateSpace else {
                throw .incompatibleCopies("copy \(i) has \(p.agents) agents and \(p.landmarkCount) landmarks with \(copy.actionSpaces[0]) actions, copy 0 has \(first.agents), \(first.landmarkCount) and \(reference.actionSpaces[0]); one batch needs one shape")
            }
        }
        count = parameters.count
        agents = first.agents
        landmarks = first.landmarkCount
        self.firstIndex = firstIndex
        observationSpaces = reference.observationSpaces
        actionSpaces = reference.actionSpaces
        stateSpace = reference.stateSpace
        stateNames = reference.stateNames
        // Copies that all share one parameter value (the usual batch) keep one entry, read with
        // stride 0: the step then reads no per-copy constants.
        let shared = parameters.allSatisfy { $0 == first }
        let distinct = shared ? [first] : parameters
        parameterStride = shared ? 0 : 1
        constants = distinct.map(SimpleSpreadConstants.init)
        limits = distinct.map(\.maxEpisodeSteps)
        scales = distinct.flatMap { p in (0..<p.agents).map(p.scale) }
        positions = [Double](repeating: 0, count: count * 2 * agents)
        velocities = positions
        landmarkPositions = [Double](repeating: 0, count: count * 2 * landmarks)
        forces = [Double](repeating: 0, count: 2 * agents)
        rewardScratch = [Double](repeating: 0, count: agents)
        generators = (0..<count).map { RandomGenerator(seed: 0, index: UInt64(firstIndex + $0)) }
        runningReturns = [Double](repeating: 0, count: count * agents)
        elapsed = [Int32](repeating: 0, count: count)
    }

    /// Draws copy `r`'s start state (``SimpleSpread/reset(using:)``'s order of draws).
    @inlinable
    mutating func resetCopy(_ r: Int) {
        let n2 = 2 * agents, l2 = 2 * landmarks
        for i in 0..<n2 {
            positions[r * n2 + i] = generators[r].uniform(-1, 1)
            velocities[r * n2 + i] = 0
        }
        for i in 0..<l2 { landmarkPositions[r * l2 + i] = generators[r].uniform(-1, 1) }
    }

    /// Writes copy `r`'s observations and state into local row `r` of `rows` (the final buffers when `final`).
    @inlinable
    func observe(_ r: Int, into rows: MultiAgentStepBatchRows, final: Bool,
                 p: UnsafePointer<Double>, v: UnsafePointer<Double>, l: UnsafePointer<Double>) {
        let k = constants[r * parameterStride], o = k.observationSize
        let pr = p + r * 2 * agents, vr = v + r * 2 * agents, lr = l + r * 2 * landmarks
        for m in 0..<agents {
            let base = final ? rows.finalObservations(agent: m) : rows.observations(agent: m)
            simpleSpreadObserve(k, agent: m, p: pr, v: vr, l: lr, into: base + r * o)
        }
        simpleSpreadState(k, p: pr, v: vr, l: lr, into: (final ? rows.finalStates : rows.states) + r * k.stateSize)
    }

    public mutating func reset(seed: UInt64, into rows: MultiAgentStepBatchRows) {
        precondition(rows.count == count, "a window of \(rows.count) copies for a vector of \(count)")
        for r in 0..<count {
            generators[r] = RandomGenerator(seed: seed, index: UInt64(firstIndex + r))
            resetCopy(r)
            for m in 0..<agents {
                runningReturns[m * count + r] = 0
                rows.rewards(agent: m)[r] = 0
            }
            elapsed[r] = 0
            rows.terminated[r] = false
            rows.truncated[r] = false
            rows.episodeStart[r] = true
        }
        observeAll(into: rows)
    }

    mutating func observeAll(into rows: MultiAgentStepBatchRows) {
        positions.withUnsafeBufferPointer { p in
            velocities.withUnsafeBufferPointer { v in
                landmarkPositions.withUnsafeBufferPointer { l in
                    for r in 0..<count { observe(r, into: rows, final: false, p: p.baseAddress!, v: v.baseAddress!, l: l.baseAddress!) }
                }
            }
        }
    }

    public mutating func step(validated actions: UnsafeBufferPointer<Float>, into rows: MultiAgentStepBatchRows) {
        precondition(rows.count == count, "a window of \(rows.count) copies for a vector of \(count)")
        let n = count, agents = self.agents, landmarks = self.landmarks
        let a = actionSpaces[0].size
        let batch = rows.batchCount, offset = rows.offset
        let act = actions.baseAddress!
        var ended = false
        positions.withUnsafeMutableBufferPointer { pAll in
        velocities.withUnsafeMutableBufferPointer { vAll in
        landmarkPositions.withUnsafeBufferPointer { lAll in
        forces.withUnsafeMutableBufferPointer { fBuf in
        scales.withUnsafeBufferPointer { cAll in
        rewardScratch.withUnsafeMutableBufferPointer { rBuf in
        runningReturns.withUnsafeMutableBufferPointer { running in
        elapsed.withUnsafeMutableBufferPointer { elapsed in
        constants.withUnsafeBufferPointer { ks in
        limits.withUnsafeBufferPointer { limits in
            let f = fBuf.baseAddress!, reward = rBuf.baseAddress!
            let stride = parameterStride
            for r in 0..<n {
                let k = ks[r * stride]
                let p = pAll.baseAddress! + r * 2 * agents, v = vAll.baseAddress! + r * 2 * agents
                let l = lAll.baseAddress! + r * 2 * landmarks
                for m in 0..<agents {
                    // Agent m's block of the whole batch's actions, at this copy's global row.
                    let u = particleActionForce(act + batch * m * a + (offset + r) * a, continuous: k.continuous)
                    f[2 * m] = u.x
                    f[2 * m + 1] = u.y
                }
                particleWorldStep(p: p, v: v, f: f, agents: agents, size: k.size)
                let success = simpleSpreadRewards(k, p: p, l: l, scales: cAll.baseAddress! + r * stride * agents, into: reward)
                for m in 0..<agents {
                    running[m * n + r] += reward[m]
                    rows.rewards(agent: m)[r] = Float(reward[m])
                }
                elapsed[r] &+= 1
                let limit = limits[r * stride]
                let truncated = limit > 0 && Int(elapsed[r]) >= limit
                rows.terminated[r] = success
                rows.truncated[r] = truncated
                rows.episodeStart[r] = success || truncated
                ended = ended || success || truncated
                let o = k.observationSize
                let pr = UnsafePointer(p), vr = UnsafePointer(v)
                for m in 0..<agents {
                    simpleSpreadObserve(k, agent: m, p: pr, v: vr, l: l, into: rows.observations(agent: m) + r * o)
                }
                simpleSpreadState(k, p: pr, v: vr, l: l, into: rows.states + r * k.stateSize)
            }
        }}}}}}}}}}
        if _slowPath(ended) { restartEndedCopies(rows) }
    }

    /// The rare path: every copy marked in `rows.episodeStart` keeps its last observations and
    /// state as the final ones, reports its episode and restarts.
    mutating func restartEndedCopies(_ rows: MultiAgentStepBatchRows) {
        for r in 0..<count where rows.episodeStart[r] {
            for m in 0..<agents {
                let o = rows.observationSize(m)
                (rows.finalObservations(agent: m) + r * o).update(from: rows.observations(agent: m) + r * o, count: o)
                rows.returns(agent: m)[r] = Float(runningReturns[m * count + r])
                runningReturns[m * count + r] = 0
            }
            let s = rows.stateSize
            (rows.finalStates + r * s).update(from: rows.states + r * s, count: s)
            rows.lengths[r] = elapsed[r]
            rows.metrics[r] = .nan
            rows.diverged[r] = false
            elapsed[r] = 0
            resetCopy(r)
            positions.withUnsafeBufferPointer { p in
                velocities.withUnsafeBufferPointer { v in
                    landmarkPositions.withUnsafeBufferPointer { l in
                        observe(r, into: rows, final: false, p: p.baseAddress!, v: v.baseAddress!, l: l.baseAddress!)
                    }
                }
            }
        }
    }

    public mutating func setState(_ values: [Double], row: Int, into rows: MultiAgentStepBatchRows) throws(EnvironmentError) {
        guard row >= 0 && row < count else { throw .invalid("copy \(row) is outside the batch of \(count) copies") }
        try validateSimpleSpreadState(values, agents: agents, landmarks: landmarks)
        for i in 0..<agents {
            positions[row * 2 * agents + 2 * i] = values[4 * i]
            positions[row * 2 * agents + 2 * i + 1] = values[4 * i + 1]
            velocities[row * 2 * agents + 2 * i] = values[4 * i + 2]
            velocities[row * 2 * agents + 2 * i + 1] = values[4 * i + 3]
        }
        for m in 0..<(2 * landmarks) { landmarkPositions[row * 2 * landmarks + m] = values[4 * agents + m] }
        for m in 0..<agents { runningReturns[m * count + row] = 0 }
        elapsed[row] = 0
        positions.withUnsafeBufferPointer { p in
            velocities.withUnsafeBufferPointer { v in
                landmarkPositions.withUnsafeBufferPointer { l in
                    observe(row, into: rows, final: false, p: p.baseAddress!, v: v.baseAddress!, l: l.baseAddress!)
                }
            }
        }
    }
}
