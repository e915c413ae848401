#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The native batch of ``Acrobot``: per-copy constants computed once, the trigonometry of the
/// observation kept for the next step, and one allocation-free loop per step that writes
/// straight into its rows.
///
/// It runs the same physics function as ``Acrobot``
/// (``acrobotStep(_:cos2:sin2:torque:_:)``) and the same `sin`/`cos`, so it is bit-identical to
/// `SerialVector<Acrobot>` — the tests check this row by row across autoresets. The savings are
/// reuses of values computed anyway: `cos θ2`, `sin θ2` of the observation feed the first RK4
/// stage of the next step, and `cos θ1` of the observation feeds the goal test.
public struct AcrobotBatch: ParametricVector, RowSteppingVector, NativeRowBatch {
    public typealias Parameters = Acrobot.Parameters

    /// `[θ1, θ2, θ̇1, θ̇2]` of every copy.
    @usableFromInline var state: [SIMD4<Double>]
    /// `(cos θ1, sin θ1, cos θ2, sin θ2)` of every copy's state.
    @usableFromInline var trig: [SIMD4<Double>]
    @usableFromInline let constants: [AcrobotConstants]
    @usableFromInline let torqueNoise: [Double]
    /// The time limit of each copy; `Int32.max` stands for "none".
    @usableFromInline let limits: [Int32]
    @usableFromInline var generators: [RandomGenerator]
    @usableFromInline var tracker: EpisodeTracker
    public let parameters: [Parameters]
    public let firstIndex: Int
    public let observationSpace: Space

    public init(parameters: [Parameters], firstIndex: Int) throws(EnvironmentError) {
        let copies = try SerialVector<Acrobot>(parameters: parameters, firstIndex: firstIndex)
        let n = parameters.count
        self.parameters = parameters
        constants = parameters.map(AcrobotConstants.init)
        torqueNoise = parameters.map(\.torqueNoiseMax)
        limits = parameters.map { $0.maxEpisodeSteps > 0 ? Int32(clamping: $0.maxEpisodeSteps) : .max }
        state = [SIMD4<Double>](repeating: .zero, count: n)
        trig = [SIMD4<Double>](repeating: SIMD4(1, 0, 1, 0), count: n)
        generators = (0..<n).map { RandomGenerator(seed: 0, index: UInt64(firstIndex + $0)) }
        tracker = EpisodeTracker(count: n)
        self.firstIndex = firstIndex
        observationSpace = copies.observationSpace
    }

    public var count: Int { parameters.count }
    public var actionSpace: Space { .discrete(3) }
    public var stateNames: [String] { Acrobot.stateNames }

    /// Sets the state of row `r` and its cached trigonometry.
    @inline(__always)
    mutating func setRow(_ r: Int, _ s: SIMD4<Double>) {
        state[r] = s
        trig[r] = SIMD4(cos(s[0]), sin(s[0]), cos(s[1]), sin(s[1]))
    }

    /// Writes the observation of row `r` into `observations` (row-major, 6 floats a row).
    @inline(__always)
    func observe(_ r: Int, into observations: UnsafeMutablePointer<Float>) {
        let o = observations + 6 * r, t = trig[r], s = state[r]
        o[0] = Float(t[0]); o[1] = Float(t[1]); o[2] = Float(t[2]); o[3] = Float(t[3])
        o[4] = Float(s[2]); o[5] = Float(s[3])
    }

    @inline(__always)
    mutating func resetRow(_ r: Int) {
        // `Acrobot.reset`: four draws, each rounded to float32.
        var s = SIMD4<Double>()
        for i in 0..<4 { s[i] = Double(Float(generators[r].uniform(-0.1, 0.1))) }
        setRow(r, s)
    }

    public mutating func step(validated act: UnsafeBufferPointer<Float>, into rows: StepBatchRows) {
        precondition(rows.count == count && rows.observationSize == 6 && act.count == count, "an acrobot batch of \(count) copies got \(rows.count) rows")
        let n = count
        var endedRows = 0
        state.withUnsafeMutableBufferPointer { state in
        trig.withUnsafeMutableBufferPointer { trig in
        constants.withUnsafeBufferPointer { constants in
        torqueNoise.withUnsafeBufferPointer { noise in
        generators.withUnsafeMutableBufferPointer { gens in
        limits.withUnsafeBufferPointer { limits in
        tracker.runningReturn.withUnsafeMutableBufferPointer { running in
        tracker.elapsed.withUnsafeMutableBufferPointer { elapsed in
        tracker.endedRows.withUnsafeMutableBufferPointer { endedList in
            let obs = rows.observations
            for r in 0..<n {
                var torque = Double(act[r]) - 1
                if _slowPath(noise[r] > 0) { torque += gens[r].uniform(-noise[r], noise[r]) }
                let t = trig[r]
                let s = acrobotStep(state[r], cos2: t[2], sin2: t[3], torque: torque, constants[r])
                let (s1, c1) = sinCos(s[0]), (s2, c2) = sinCos(s[1])
                // `acrobotReachedGoal`, with cos θ1 taken from the observation.
                let reachedGoal = -c1 - cos(s[1] + s[0]) > 1.0
                // A non-finite state (angles are wrapped and speeds clipped, so only NaN) diverged.
                let terminated = reachedGoal || !(s[0] + s[1] + s[2] + s[3]).isFinite
                let reward: Double = reachedGoal ? 0 : -1
                state[r] = s
                trig[r] = SIMD4(c1, s1, c2, s2)
                running[r] += reward
                let steps = elapsed[r] &+ 1
                elapsed[r] = steps
                let truncated = steps >= limits[r]
                rows.rewards[r] = Float(reward)
                rows.terminated[r] = terminated
                rows.truncated[r] = truncated
                let o = obs + 6 * r
                o[0] = Float(c1); o[1] = Float(s1); o[2] = Float(c2); o[3] = Float(s2)
                o[4] = Float(s[2]); o[5] = Float(s[3])
                let ended = terminated || truncated
                rows.episodeStart[r] = ended
                endedList[endedRows] = Int32(truncatingIfNeeded: r)
                endedRows &+= ended ? 1 : 0
            }
        }}}}}}}}}
        guard endedRows > 0 else { return }
        // Rare path: finish and restart the rows that ended.
        restartEndedRows(rows, endedCount: endedRows)
    }

    public mutating func setState(_ values: [Double], row: Int, into batch: inout StepBatch) throws(EnvironmentError) {
        guard row >= 0 && row < count else { throw .invalid("row \(row) is outside the batch of \(count) copies") }
        try validateState(values, names: Acrobot.stateNames)
        setRow(row, SIMD4(values[0], values[1], values[2], values[3]))
        tracker.begin(row)
        precondition(batch.count == count && batch.observationSize == 6, "an acrobot batch of \(count) copies got a batch of \(batch.count) rows")
        batch.withRows { rows in observe(row, into: rows.observations) }
    }
}
