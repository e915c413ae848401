#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The native batch of ``CartPole`` (balance, discrete pushes): state and per-copy constants in
/// structure-of-arrays form and allocation-free loops per step.
///
/// It evaluates the same expressions as ``CartPole`` (``cartPoleAccelerations(_:force:cosTheta:sinTheta:_:)``,
/// the Euler step of ``cartPoleStep(_:force:cosTheta:sinTheta:_:)``, ``cartPoleFell(_:_:)``,
/// ``cartPoleDiverged(_:)``) in the same order, so it is bit-identical to `SerialVector<CartPole>`
/// — the tests check this row by row across autoresets. A step makes three passes: `sin θ` and
/// `cos θ` of every row from the C library's `sincos` (see ``sinCos(_:)``); the physics, branch-free over
/// arrays, which the compiler vectorises; the observations, rewards and end flags.
public struct CartPoleBatch: ParametricVector, RowSteppingVector, NativeRowBatch {
    public typealias Parameters = CartPole.Parameters

    @usableFromInline var x: [Double]
    @usableFromInline var xDot: [Double]
    @usableFromInline var theta: [Double]
    @usableFromInline var thetaDot: [Double]
    @usableFromInline let parameters: [Parameters]
    @usableFromInline let limits: [Int32]
    /// Per-copy constants of the step, in the grouping of ``cartPoleAccelerations(_:force:cosTheta:sinTheta:_:)``.
    let constants: CartPoleConstants
    /// Scratch: `cos θ`, `sin θ` of every row, computed in a first pass of each step.
    @usableFromInline var cosTheta: [Double]
    @usableFromInline var sinTheta: [Double]
    @usableFromInline var generators: [RandomGenerator]
    @usableFromInline var tracker: EpisodeTracker
    public let firstIndex: Int
    public let observationSpace: Space

    public init(parameters: [Parameters], firstIndex: Int) throws(EnvironmentError) {
        guard let first = parameters.first else { throw .invalid("a vector environment needs at least one copy") }
        for (i, p) in parameters.enumerated() where i > 0 && p != parameters[i - 1]
            && cartPoleObservationSpace(p) != cartPoleObservationSpace(first) {
            throw .incompatibleCopies("copy \(i) has thresholds that give another observation space than copy 0; one batch needs one shape")
        }
        let n = parameters.count
        self.parameters = parameters
        limits = parameters.map { $0.maxEpisodeSteps > 0 ? Int32(clamping: $0.maxEpisodeSteps) : .max }
        constants = CartPoleConstants(parameters)
        x = [Double](repeating: 0, count: n)
        xDot = x; theta = x; thetaDot = x; cosTheta = x; sinTheta = x
        generators = (0..<n).map { RandomGenerator(seed: 0, index: UInt64(firstIndex + $0)) }
        tracker = EpisodeTracker(count: n)
        self.firstIndex = firstIndex
        observationSpace = cartPoleObservationSpace(first)
    }

    public var count: Int { parameters.count }
    public var actionSpace: Space { .discrete(2) }
    public var stateNames: [String] { CartPole.stateNames }

    func observe(_ r: Int, into observations: UnsafeMutablePointer<Float>) {
        let o = observations + 4 * r
        o[0] = Float(x[r]); o[1] = Float(xDot[r]); o[2] = Float(theta[r]); o[3] = Float(thetaDot[r])
    }

    @inline(__always)
    mutating func resetRow(_ r: Int) {
        // The draw order of `CartPole.reset`: x, ẋ, θ, θ̇.
        x[r] = generators[r].uniform(-0.05, 0.05)
        xDot[r] = generators[r].uniform(-0.05, 0.05)
        theta[r] = generators[r].uniform(-0.05, 0.05)
        thetaDot[r] = generators[r].uniform(-0.05, 0.05)
    }

    public mutating func step(validated act: UnsafeBufferPointer<Float>, into rows: StepBatchRows) {
        precondition(rows.count == count && rows.observationSize == 4 && act.count == count, "a cart-pole batch of \(count) copies got \(rows.count) rows")
        let n = count
        // Pass 1: the trigonometry, from the C library.
        theta.withUnsafeBufferPointer { th in
        cosTheta.withUnsafeMutableBufferPointer { c in
        sinTheta.withUnsafeMutableBufferPointer { s in
            for r in 0..<n {
                (s[r], c[r]) = sinCos(th[r])
            }
        }}}
        // Pass 2: the physics, without calls or branches.
        // `constants` is read in place (a copy of the struct would retain its ten arrays per step).
        cosTheta.withUnsafeBufferPointer { cosTh in
        sinTheta.withUnsafeBufferPointer { sinTh in
        x.withUnsafeMutableBufferPointer { x in
        xDot.withUnsafeMutableBufferPointer { xd in
        theta.withUnsafeMutableBufferPointer { th in
        thetaDot.withUnsafeMutableBufferPointer { thd in
            let state = CartPoleRows(x: x.baseAddress!, xDot: xd.baseAddress!, theta: th.baseAddress!, thetaDot: thd.baseAddress!)
            constants.withPointers { c in
                if constants.mixedIntegrators {
                    // Copies that disagree on the integrator: one row at a time, each with its own.
                    constants.semiImplicitRows.withUnsafeBufferPointer { semi in
                        for r in 0..<n {
                            let row = CartPoleRows(x: state.x + r, xDot: state.xDot + r, theta: state.theta + r, thetaDot: state.thetaDot + r)
                            let c1 = CartPoleConstantPointers(forceMagnitude: c.forceMagnitude + r, gravity: c.gravity + r, poleMass: c.poleMass + r,
                                                              poleHalfLength: c.poleHalfLength + r, totalMass: c.totalMass + r,
                                                              poleMassLength: c.poleMassLength + r, tau: c.tau + r)
                            cartPolePhysics(row, actions: act.baseAddress! + r, cos: cosTh.baseAddress! + r, sin: sinTh.baseAddress! + r, c1,
                                            count: 1, semiImplicit: semi[r])
                        }
                    }
                } else if constants.semiImplicit {
                    cartPolePhysics(state, actions: act.baseAddress!, cos: cosTh.baseAddress!, sin: sinTh.baseAddress!, c, count: n, semiImplicit: true)
                } else {
                    cartPolePhysics(state, actions: act.baseAddress!, cos: cosTh.baseAddress!, sin: sinTh.baseAddress!, c, count: n, semiImplicit: false)
                }
            }
        }}}}}}
        // Pass 3: observations, rewards, end flags and the episode counters.
        var endedRows = 0
        x.withUnsafeBufferPointer { x in
        xDot.withUnsafeBufferPointer { xd in
        theta.withUnsafeBufferPointer { th in
        thetaDot.withUnsafeBufferPointer { thd in
        constants.xThreshold.withUnsafeBufferPointer { xLimit in
        constants.thetaThreshold.withUnsafeBufferPointer { thetaLimit in
        limits.withUnsafeBufferPointer { limits in
        tracker.runningReturn.withUnsafeMutableBufferPointer { running in
        tracker.elapsed.withUnsafeMutableBufferPointer { elapsed in
        tracker.endedRows.withUnsafeMutableBufferPointer { endedList in
            let obs = rows.observations
            for r in 0..<n {
                let s = CartPole.State(x: x[r], xDot: xd[r], theta: th[r], thetaDot: thd[r])
                // `cartPoleFell` with the thresholds of row r, and `cartPoleDiverged`.
                let terminated = abs(s.x) > xLimit[r] || abs(s.theta) > thetaLimit[r] || cartPoleDiverged(s)
                running[r] += 1
                let steps = elapsed[r] &+ 1
                elapsed[r] = steps
                // `limits` holds Int32.max for "no limit", so one comparison decides.
                let truncated = steps >= limits[r]
                rows.rewards[r] = 1
                rows.terminated[r] = terminated
                rows.truncated[r] = truncated
                let o = 4 * r
                obs[o] = Float(s.x); obs[o + 1] = Float(s.xDot); obs[o + 2] = Float(s.theta); obs[o + 3] = Float(s.thetaDot)
                let ended = terminated || truncated
                rows.episodeStart[r] = ended
                endedList[endedRows] = Int32(truncatingIfNeeded: r)
                endedRows &+= ended ? 1 : 0
            }
        }}}}}}}}}}
        guard endedRows > 0 else { return }
        // Rare path: finish and restart the rows that ended.
        restartEndedRows(rows, endedCount: endedRows)
    }

    public mutating func setState(_ values: [Double], row: Int, into batch: inout StepBatch) throws(EnvironmentError) {
        guard row >= 0 && row < count else { throw .invalid("row \(row) is outside the batch of \(count) copies") }
        try validateState(values, names: CartPole.stateNames)
        x[row] = values[0]; xDot[row] = values[1]; theta[row] = values[2]; thetaDot[row] = values[3]
        tracker.begin(row)
        for k in 0..<4 { batch.observations[4 * row + k] = Float(values[k]) }
    }
}
