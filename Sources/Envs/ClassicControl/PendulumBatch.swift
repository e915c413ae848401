#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The native batch of ``Pendulum``: state in structure-of-arrays form, per-copy constants
/// computed once, and one allocation-free loop per step that writes straight into its rows.
///
/// It runs the same physics function as ``Pendulum`` (``pendulumStep(_:torque:sinTheta:_:)``)
/// and the same ``sinCos(_:)``, so it is bit-identical to `SerialVector<Pendulum>` — the tests check
/// this row by row across autoresets. The one saving is bookkeeping: `sin θ` of the
/// observation is kept for the next step's dynamics instead of being computed twice.
public struct PendulumBatch: ParametricVector, RowSteppingVector, NativeRowBatch {
    public typealias Parameters = Pendulum.Parameters

    @usableFromInline var theta: [Double]
    @usableFromInline var thetaDot: [Double]
    /// `sin θ` and `cos θ` of the current state (the observation's first two entries, in `Double`).
    @usableFromInline var sinTheta: [Double]
    @usableFromInline var cosTheta: [Double]
    @usableFromInline let constants: [PendulumConstants]
    /// The time limit of each copy; `Int32.max` stands for "none".
    @usableFromInline let limits: [Int32]
    @usableFromInline var generators: [RandomGenerator]
    @usableFromInline var tracker: EpisodeTracker
    public let parameters: [Parameters]
    public let firstIndex: Int
    public let observationSpace: Space
    public let actionSpace: Space

    public init(parameters: [Parameters], firstIndex: Int) throws(EnvironmentError) {
        let copies = try SerialVector<Pendulum>(parameters: parameters, firstIndex: firstIndex)
        let n = parameters.count
        self.parameters = parameters
        constants = parameters.map(PendulumConstants.init)
        limits = parameters.map { $0.maxEpisodeSteps > 0 ? Int32(clamping: $0.maxEpisodeSteps) : .max }
        theta = [Double](repeating: 0, count: n)
        thetaDot = theta
        sinTheta = theta
        cosTheta = [Double](repeating: 1, count: n)
        generators = (0..<n).map { RandomGenerator(seed: 0, index: UInt64(firstIndex + $0)) }
        tracker = EpisodeTracker(count: n)
        self.firstIndex = firstIndex
        observationSpace = copies.observationSpace
        actionSpace = copies.actionSpace
    }

    public var count: Int { parameters.count }
    public var stateNames: [String] { Pendulum.stateNames }

    /// Sets the state of row `r` and the cached `sin θ`, `cos θ`.
    @inline(__always)
    mutating func setRow(_ r: Int, theta th: Double, thetaDot thd: Double) {
        theta[r] = th
        thetaDot[r] = thd
        (sinTheta[r], cosTheta[r]) = sinCos(th)
    }

    /// Writes the observation of row `r` into `observations` (row-major, 3 floats a row).
    @inline(__always)
    func observe(_ r: Int, into observations: UnsafeMutablePointer<Float>) {
        observations[3 * r] = Float(cosTheta[r])
        observations[3 * r + 1] = Float(sinTheta[r])
        observations[3 * r + 2] = Float(thetaDot[r])
    }

    @inline(__always)
    mutating func resetRow(_ r: Int) {
        // The draw order of `Pendulum.reset`: θ, then θ̇.
        let th = generators[r].uniform(-.pi, .pi)
        let thd = generators[r].uniform(-1, 1)
        setRow(r, theta: th, thetaDot: thd)
    }

    public mutating func step(validated act: UnsafeBufferPointer<Float>, into rows: StepBatchRows) {
        precondition(rows.count == count && rows.observationSize == 3 && act.count == count, "a pendulum batch of \(count) copies got \(rows.count) rows")
        let n = count
        var endedRows = 0
        theta.withUnsafeMutableBufferPointer { th in
        thetaDot.withUnsafeMutableBufferPointer { thd in
        sinTheta.withUnsafeMutableBufferPointer { sinTh in
        cosTheta.withUnsafeMutableBufferPointer { cosTh in
        constants.withUnsafeBufferPointer { constants in
        limits.withUnsafeBufferPointer { limits in
        tracker.runningReturn.withUnsafeMutableBufferPointer { running in
        tracker.elapsed.withUnsafeMutableBufferPointer { elapsed in
        tracker.endedRows.withUnsafeMutableBufferPointer { endedList in
            let obs = rows.observations
            // Pass 1: the dynamics and the bookkeeping (no calls but `fmod` on far-out angles).
            for r in 0..<n {
                var s = Pendulum.State(theta: th[r], thetaDot: thd[r])
                let cost = pendulumStep(&s, torque: act[r], sinTheta: sinTh[r], constants[r])
                let reward = (-cost).isFinite ? -cost : 0
                th[r] = s.theta; thd[r] = s.thetaDot
                running[r] += reward
                let steps = elapsed[r] &+ 1
                elapsed[r] = steps
                let truncated = steps >= limits[r]
                rows.rewards[r] = Float(reward)
                rows.terminated[r] = false
                rows.truncated[r] = truncated
                rows.episodeStart[r] = truncated
                obs[3 * r + 2] = Float(s.thetaDot)
                endedList[endedRows] = Int32(truncatingIfNeeded: r)
                endedRows &+= truncated ? 1 : 0
            }
            // Pass 2: the trigonometry of the observation, kept for the next step's dynamics.
            for r in 0..<n {
                let (sinNew, cosNew) = sinCos(th[r])
                sinTh[r] = sinNew; cosTh[r] = cosNew
                obs[3 * r] = Float(cosNew); obs[3 * r + 1] = Float(sinNew)
            }
        }}}}}}}}}
        guard endedRows > 0 else { return }
        // Rare path: finish and restart the rows that ended.
        restartEndedRows(rows, endedCount: endedRows)
    }

    public mutating func setState(_ values: [Double], row: Int, into batch: inout StepBatch) throws(EnvironmentError) {
        guard row >= 0 && row < count else { throw .invalid("row \(row) is outside the batch of \(count) copies") }
        try validateState(values, names: Pendulum.stateNames)
        setRow(row, theta: values[0], thetaDot: values[1])
        tracker.begin(row)
        precondition(batch.count == count && batch.observationSize == 3, "a pendulum batch of \(count) copies got a batch of \(batch.count) rows")
        batch.withRows { rows in observe(row, into: rows.observations) }
    }
}
