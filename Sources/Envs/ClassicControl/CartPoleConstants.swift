/// The per-copy constants of a cart-pole batch as arrays (one entry per copy), in the grouping of
/// ``cartPoleAccelerations(_:force:cosTheta:sinTheta:_:)``, so that a loop over the copies reads
/// them without gathering fields of a parameter struct.
struct CartPoleConstants: Sendable {
    var forceMagnitude: [Double]
    var gravity: [Double]
    var poleMass: [Double]
    var poleHalfLength: [Double]
    /// `pole_mass + cart_mass`.
    var totalMass: [Double]
    /// `pole_mass · pole_half_length`.
    var poleMassLength: [Double]
    var tau: [Double]
    var xThreshold: [Double]
    var thetaThreshold: [Double]
    /// Whether the copies step with semi-implicit Euler; a batch whose copies disagree is stepped
    /// with each copy's own rule (see ``cartPolePhysics(_:actions:cos:sin:_:count:semiImplicit:)``).
    var semiImplicit: Bool
    var mixedIntegrators: Bool
    var semiImplicitRows: [Bool]

    init(_ parameters: [CartPole.Parameters]) {
        forceMagnitude = parameters.map(\.forceMagnitude)
        gravity = parameters.map(\.gravity)
        poleMass = parameters.map(\.poleMass)
        poleHalfLength = parameters.map(\.poleHalfLength)
        totalMass = parameters.map { $0.poleMass + $0.cartMass }
        poleMassLength = parameters.map { $0.poleMass * $0.poleHalfLength }
        tau = parameters.map(\.tau)
        xThreshold = parameters.map(\.xThreshold)
        thetaThreshold = parameters.map(\.thetaThreshold)
        semiImplicitRows = parameters.map(\.semiImplicit)
        semiImplicit = parameters.first?.semiImplicit ?? false
        mixedIntegrators = semiImplicitRows.contains(!semiImplicit)
    }

    /// Calls `body` with pointers to the constants (valid only inside it).

    func withPointers<R>(_ body: (CartPoleConstantPointers) -> R) -> R {
        forceMagnitude.withUnsafeBufferPointer { f in
        gravity.withUnsafeBufferPointer { g in
        poleMass.withUnsafeBufferPointer { mp in
        poleHalfLength.withUnsafeBufferPointer { l in
        totalMass.withUnsafeBufferPointer { m in
        poleMassLength.withUnsafeBufferPointer { ml in
        tau.withUnsafeBufferPointer { tau in
            body(CartPoleConstantPointers(forceMagnitude: f.baseAddress!, gravity: g.baseAddress!, poleMass: mp.baseAddress!,
                                          poleHalfLength: l.baseAddress!, totalMass: m.baseAddress!, poleMassLength: ml.baseAddress!,
                                          tau: tau.baseAddress!))
        }}}}}}}
    }
}

/// Pointers to the arrays of a ``CartPoleConstants``.
struct CartPoleConstantPointers {
    let forceMagnitude, gravity, poleMass, poleHalfLength, totalMass, poleMassLength, tau: UnsafePointer<Double>
}

/// Pointers to the state arrays of a cart-pole batch.
struct CartPoleRows {
    let x, xDot, theta, thetaDot: UnsafeMutablePointer<Double>
}

/// One time step of `count` cart-poles in place, given `cos θ` and `sin θ` of every row: the
/// expressions of ``cartPoleAccelerations(_:force:cosTheta:sinTheta:_:)`` and
/// ``cartPoleStep(_:force:cosTheta:sinTheta:_:)`` in the same order, two rows at a time in SIMD
/// registers (element-wise IEEE arithmetic, so bit-identical to the scalar step), without calls
/// or branches.
@inline(__always)
func cartPolePhysics(_ s: CartPoleRows, actions: UnsafePointer<Float>, cos cosTheta: UnsafePointer<Double>,
                     sin sinTheta: UnsafePointer<Double>, _ k: CartPoleConstantPointers, count: Int, semiImplicit: Bool) {
    var r = 0
    while r + 2 <= count {
        let cosT = load2(cosTheta, r), sinT = load2(sinTheta, r)
        let thd = load2(s.thetaDot, r), xd = load2(s.xDot, r)
        let magnitude = load2(k.forceMagnitude, r)
        let pushRight = SIMD2<Double>(Double(actions[r]), Double(actions[r + 1])) .>= 0.5
        let force = (-magnitude).replacing(with: magnitude, where: pushRight)
        let totalMass = load2(k.totalMass, r), poleMassLength = load2(k.poleMassLength, r)
        let temp = (force + poleMassLength * (thd * thd) * sinT) / totalMass
        let thetaAcc = (load2(k.gravity, r) * sinT - cosT * temp)
            / (load2(k.poleHalfLength, r) * (4.0 / 3.0 - load2(k.poleMass, r) * (cosT * cosT) / totalMass))
        let xAcc = temp - poleMassLength * thetaAcc * cosT / totalMass
        let tau = load2(k.tau, r)
        if semiImplicit {
            let newXd = xd + tau * xAcc
            store2(newXd, s.xDot, r)
            store2(load2(s.x, r) + tau * newXd, s.x, r)
            let w = thd + tau * thetaAcc
            store2(w, s.thetaDot, r)
            store2(load2(s.theta, r) + tau * w, s.theta, r)
        } else {
            store2(load2(s.x, r) + tau * xd, s.x, r)
            store2(xd + tau * xAcc, s.xDot, r)
            store2(load2(s.theta, r) + tau * thd, s.theta, r)
            store2(thd + tau * thetaAcc, s.thetaDot, r)
        }
        r += 2
    }
    if r < count {
        // The last row of an odd count: the same expressions on scalars.
        let cosT = cosTheta[r], sinT = sinTheta[r], thd = s.thetaDot[r], xd = s.xDot[r]
        let force = actions[r] >= 0.5 ? k.forceMagnitude[r] : -k.forceMagnitude[r]
        let totalMass = k.totalMass[r], poleMassLength = k.poleMassLength[r]
        let temp = (force + poleMassLength * (thd * thd) * sinT) / totalMass
        let thetaAcc = (k.gravity[r] * sinT - cosT * temp) / (k.poleHalfLength[r] * (4.0 / 3.0 - k.poleMass[r] * (cosT * cosT) / totalMass))
        let xAcc = temp - poleMassLength * thetaAcc * cosT / totalMass
        let tau = k.tau[r]
        if semiImplicit {
            let newXd = xd + tau * xAcc
            s.xDot[r] = newXd
            s.x[r] = s.x[r] + tau * newXd
            let w = thd + tau * thetaAcc
            s.thetaDot[r] = w
            s.theta[r] = s.theta[r] + tau * w
        } else {
            s.x[r] = s.x[r] + tau * xd
            s.xDot[r] = xd + tau * xAcc
            s.theta[r] = s.theta[r] + tau * thd
            s.thetaDot[r] = thd + tau * thetaAcc
        }
    }
}

@inline(__always)
func load2(_ p: UnsafePointer<Double>, _ r: Int) -> SIMD2<Double> {
    UnsafeRawPointer(p + r).loadUnaligned(as: SIMD2<Double>.self)
}

@inline(__always)
func load2(_ p: UnsafeMutablePointer<Double>, _ r: Int) -> SIMD2<Double> {
    UnsafeRawPointer(p + r).loadUnaligned(as: SIMD2<Double>.self)
}

@inline(__always)
func store2(_ v: SIMD2<Double>, _ p: UnsafeMutablePointer<Double>, _ r: Int) {
    UnsafeMutableRawPointer(p + r).storeBytes(of: v, as: SIMD2<Double>.self)
}
