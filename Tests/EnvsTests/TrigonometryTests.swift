#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Envs
import Testing

@Suite("Trigonometry")
struct TrigonometryTests {
    /// `sinCos` must give the C library's `sin` and `cos` bit for bit: a balancing cart-pole
    /// amplifies one ulp past the replay tolerance (see `cartpole-sensitive-*.json`).
    @Test("sinCos equals sin and cos bit for bit on a dense sample of angles")
    func sinCosEqualsLibm() {
        var generator = RandomGenerator(seed: 7, index: 0)
        var mismatches = 0
        var checked = 0
        // Where the classic-control tasks evaluate it: the cart-pole family within ±0.3 rad
        // (every 2⁻²⁰ rad step plus random angles), the pendulum and acrobot over any angle.
        var x = -0.3
        while x <= 0.3 {
            let (s, c) = sinCos(x)
            if s.bitPattern != sin(x).bitPattern || c.bitPattern != cos(x).bitPattern { mismatches += 1 }
            checked += 1
            x += 0x1p-20
        }
        for _ in 0..<1_000_000 {
            let angle = generator.uniform(-40, 40)
            let (s, c) = sinCos(angle)
            if s.bitPattern != sin(angle).bitPattern || c.bitPattern != cos(angle).bitPattern { mismatches += 1 }
            checked += 1
        }
        for special in [0.0, -0.0, .pi, -.pi, 1e-300, 1e300, .infinity, .nan] {
            let (s, c) = sinCos(special)
            let same = (s.isNaN && sin(special).isNaN) || s.bitPattern == sin(special).bitPattern
            let sameCos = (c.isNaN && cos(special).isNaN) || c.bitPattern == cos(special).bitPattern
            if !same || !sameCos { mismatches += 1 }
            checked += 1
        }
        #expect(checked > 1_600_000)
        #expect(mismatches == 0)
    }
}
