#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The native batch of ``CartPole`` (balance, discrete pushes): state in structure-of-arrays
/// form and one tight, allocation-free loop per step.
///
/// It runs the same physics functions as ``CartPole``
/// (``cartPoleStep(_:force:cosTheta:sinTheta:_:)`` with ``smallAngleCos(_:)`` and
/// ``smallAngleSin(_:)``, ``cartPoleFell(_:_:)``), so it is bit-identical to
/// `SerialVector<CartPole>` — the tests check this row by row across autoresets — and only the
/// bookkeeping is specialised. A step makes two passes: the trigonometry first, then the rest of
/// the loop, which then runs without calls.
public struct CartPoleBatch: ParametricVector, RowSteppingVector, NativeRowBatch {
    public typealias Parameters = CartPole.Parameters

    @usableFromInline var x: [Double]
    @usableFromInline var xDot: [Double]
    @usableFromInline var theta: [Double]
    @usableFromInline var thetaDot: [Double]
    @usableFromInline let parameters: [Parameters]
    @usableFromInline let limits: [Int32]
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
        var endedRows = 0
        // Pass 1: the trigonometry alone (libm is called for angles beyond π/4), so that pass 2
        // runs without calls and keeps its values in registers.
        theta.withUnsafeBufferPointer { th in
        cosTheta.withUnsafeMutableBufferPointer { c in
        sinTheta.withUnsafeMutableBufferPointer { s in
            // `smallAngleCos`/`smallAngleSin` split in two: the polynomials on every row, with no
            // branch (a loop the compiler vectorises), then libm on the rows beyond their range.
            var outside = 0
            for r in 0..<n {
                let t = th[r]
                c[r] = cosPolynomial(t)
                s[r] = sinPolynomial(t)
                outside |= isSmallAngle(t) ? 0 : 1
            }
            if outside != 0 {
                for r in 0..<n where !isSmallAngle(th[r]) {
                    c[r] = cos(th[r])
                    s[r] = sin(th[r])
                }
            }
        }}}
        // Pass 2: the physics and the bookkeeping, without calls.
        cosTheta.withUnsafeBufferPointer { cosTh in
        sinTheta.withUnsafeBufferPointer { sinTh in
        x.withUnsafeMutableBufferPointer { x in
        xDot.withUnsafeMutableBufferPointer { xd in
        theta.withUnsafeMutableBufferPointer { th in
        thetaDot.withUnsafeMutableBufferPointer { thd in
        parameters.withUnsafeBufferPointer { params in
        limits.withUnsafeBufferPointer { limits in
        tracker.runningReturn.withUnsafeMutableBufferPointer { running in
        tracker.elapsed.withUnsafeMutableBufferPointer { elapsed in
            let obs = rows.observations
            for r in 0..<n {
                let p = params[r]
                var s = CartPole.State(x: x[r], xDot: xd[r], theta: th[r], thetaDot: thd[r])
                cartPoleStep(&s, force: act[r] >= 0.5 ? p.forceMagnitude : -p.forceMagnitude, cosTheta: cosTh[r], sinTheta: sinTh[r], p)
                let terminated = cartPoleFell(s, p) || cartPoleDiverged(s)
                running[r] += 1
                let steps = elapsed[r] &+ 1
                elapsed[r] = steps
                // `limits` holds Int32.max for "no limit", so one comparison decides.
                let truncated = steps >= limits[r]
                rows.rewards[r] = 1
                rows.terminated[r] = terminated
                rows.truncated[r] = truncated
                x[r] = s.x; xd[r] = s.xDot; th[r] = s.theta; thd[r] = s.thetaDot
                let o = 4 * r
                obs[o] = Float(s.x); obs[o + 1] = Float(s.xDot); obs[o + 2] = Float(s.theta); obs[o + 3] = Float(s.thetaDot)
                let ended = terminated || truncated
                rows.episodeStart[r] = ended
                endedRows &+= ended ? 1 : 0
            }
        }}}}}}}}}}
        guard endedRows > 0 else { return }
        // Rare path: finish and restart the rows that ended.
        restartEndedRows(rows)
    }

    public mutating func setState(_ values: [Double], row: Int, into batch: inout StepBatch) throws(EnvironmentError) {
        guard row >= 0 && row < count else { throw .invalid("row \(row) is outside the batch of \(count) copies") }
        try validateState(values, names: CartPole.stateNames)
        x[row] = values[0]; xDot[row] = values[1]; theta[row] = values[2]; thetaDot[row] = values[3]
        tracker.begin(row)
        for k in 0..<4 { batch.observations[4 * row + k] = Float(values[k]) }
    }
}
