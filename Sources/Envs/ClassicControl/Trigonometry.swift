import CLibm

/// `(sin x, cos x)` from the C library, as the classic-control tasks use them.
///
/// Gymnasium's classic-control tasks compute with the C library's `sin` and `cos` (numpy's
/// float64 `sin`/`cos` give glibc's results here too), and a balancing cart-pole amplifies a
/// one-ulp difference in either past the 1e-5 tolerance of the reference trajectories within a
/// few hundred steps (`Tests/EnvsTests/Fixtures/classic-control/cartpole-sensitive-*.json`). So no
/// faster approximation stands in for them: fdlibm's kernel polynomials, for one, are within one
/// ulp of glibc but differ from it on 1.2 % of the angles a cart-pole visits, and fail those
/// replays. Replacing libm needs glibc's results bit for bit over the whole range in use.
///
/// One call to the C library's `sincos` (glibc: the kernels of `sin` and `cos` behind one
/// argument reduction and one rounding-mode guard, so the same two results for less work;
/// `TrigonometryTests` compares them with `sin` and `cos` on millions of angles).
@inlinable @inline(__always)
public func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
    var s = 0.0, c = 0.0
    shoal_sincos(x, &s, &c)
    return (s, c)
}
