import Envs
import Foundation
import Testing

/// The cart-pole's inlined `sin`/`cos` are within one ulp of libm on their range and are libm
/// beyond it.
@Suite("Small-angle sin and cos")
struct SmallAngleTrigonometryTests {
    /// Whether `a` is `b` or one of its neighbours.
    static func withinOneUlp(_ a: Double, _ b: Double) -> Bool {
        a == b || a == b.nextUp || a == b.nextDown
    }

    @Test func polynomialsAreWithinOneUlpOfLibm() {
        var g = RandomGenerator(seed: 7)
        var sinEqual = 0, cosEqual = 0
        let n = 200_000
        for k in 0..<n {
            // Half the draws in the cart-pole's usual range, half over the whole polynomial range.
            let x = k % 2 == 0 ? g.uniform(-0.25, 0.25) : g.uniform(-0.785398163397448, 0.785398163397448)
            #expect(Self.withinOneUlp(smallAngleSin(x), sin(x)), "sin(\(x))")
            #expect(Self.withinOneUlp(smallAngleCos(x), cos(x)), "cos(\(x))")
            if smallAngleSin(x) == sin(x) { sinEqual += 1 }
            if smallAngleCos(x) == cos(x) { cosEqual += 1 }
        }
        // Both are nearly always correctly rounded, as libm is.
        #expect(Double(sinEqual) > 0.97 * Double(n))
        #expect(Double(cosEqual) > 0.97 * Double(n))
    }

    @Test func tinyAndSpecialArguments() {
        for x in [0.0, -0.0, 1e-300, -1e-20, 0x1p-27, 0.03, -0.0308, 0.2094] {
            #expect(Self.withinOneUlp(smallAngleSin(x), sin(x)), "sin(\(x))")
            #expect(Self.withinOneUlp(smallAngleCos(x), cos(x)), "cos(\(x))")
        }
        #expect(smallAngleSin(0.03) == sin(0.03) && smallAngleCos(0.03) == cos(0.03))
        #expect(smallAngleSin(-0.0).sign == .minus)
        #expect(smallAngleSin(.nan).isNaN && smallAngleCos(.infinity).isNaN)
    }

    @Test func beyondTheRangeItIsLibm() {
        for x in [0.7854, -0.8, 1.0, 3.0, -42.5, 1e6] {
            #expect(smallAngleSin(x) == sin(x))
            #expect(smallAngleCos(x) == cos(x))
        }
    }

    @Test func sinCosIsWithinOneUlpOfLibmAfterReduction() {
        var g = RandomGenerator(seed: 9)
        var args: [Double] = (0..<150_000).map { k in
            switch k % 3 {
            case 0: return g.uniform(-7, 7)
            case 1: return g.uniform(-200, 200)
            default: return g.uniform(-800_000, 800_000)
            }
        }
        // Near multiples of π/2, where the reduction cancels most bits.
        for k in -40...40 {
            let m = Double(k) * Double.pi / 2
            args += [m, m.nextUp, m.nextDown, Double(k) * 1e5 * Double.pi / 2]
        }
        for x in args {
            let (s, c) = sinCos(x)
            #expect(Self.withinOneUlp(s, sin(x)), "sin(\(x))")
            #expect(Self.withinOneUlp(c, cos(x)), "cos(\(x))")
        }
        for x in [1e6, -3e7, 1e300] {
            #expect(sinCos(x).sin == sin(x) && sinCos(x).cos == cos(x))
        }
        #expect(sinCos(.nan).sin.isNaN && sinCos(-.infinity).cos.isNaN)
        #expect(sinCos(-0.0).sin.sign == .minus && sinCos(-0.0).cos == 1)
    }
}
