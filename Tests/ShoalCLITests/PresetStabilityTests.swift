import Foundation
import Testing
@testable import ShoalCLI

/// Paper 000's scaled return and the stability check of the `stability` figure (Figs 2 and 8),
/// on hand-computed values.
@Suite("Stability check (paper 000, Figs 2 and 8)")
struct PresetStabilityTests {
    @Test("a positive maximum scales as the paper's R / R_max; a negative one keeps the order with the best at 1")
    func maxScaling() {
        #expect(maxScaled(50, maximum: 200) == 0.25)
        #expect(maxScaled(200, maximum: 200) == 1)
        #expect(maxScaled(-100, maximum: 200) == -0.5)
        // Pendulum-like returns: R_max = −150; −300 lies |R_max| below it, −225 half of that.
        #expect(maxScaled(-150, maximum: -150) == 1)
        #expect(maxScaled(-300, maximum: -150) == 0)
        #expect(maxScaled(-225, maximum: -150) == 0.5)
        #expect(maxScaled(-1200, maximum: -150) == -6)
    }

    @Test("the largest drop below the running maximum")
    func drops() {
        #expect(largestDrop([0.1, 0.5, 0.3, 0.9, 0.2, 0.95]) == 0.9 - 0.2)
        #expect(largestDrop([0.1, 0.2, 0.3]) == 0)
        #expect(largestDrop([1, .nan, 0.25]) == 0.75)
        #expect(largestDrop([]) == 0)
    }

    @Test("measures of three seeds over eight epochs, by hand")
    func measures() {
        // Seed c collapses at epoch 7; a and b climb steadily.
        let a = [0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.0]
        let b = [0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.9]
        let c = [0.1, 0.3, 0.5, 0.7, 0.9, 1.0, 0.2, 0.6]
        let q = quartileCurves([a, b, c])
        // Epoch 0: sorted (0, 0, 0.1): median 0, Q1 0, Q3 0.05. Epoch 6: (0.2, 0.9, 1): 0.9, 0.55, 0.95.
        #expect(q.median[0] == 0 && q.lower[0] == 0 && abs(q.upper[0] - 0.05) < 1e-12)
        #expect(q.median[6] == 0.9 && abs(q.lower[6] - 0.55) < 1e-12 && abs(q.upper[6] - 0.95) < 1e-12)
        let m = stabilityMeasures(seeds: [a, b, c])
        #expect(m.finalMedian == 0.9)                                   // (0.6, 0.9, 1.0)
        #expect(m.bestMedian == 0.9)
        #expect(abs(m.earlyMedian - (0 + 0.2) / 2) < 1e-12)             // first quarter: epochs 0–1, medians 0, 0.2
        // Second half (epochs 4–7): widths 0.1, 0.1, 0.4, 0.2 (Q1, Q3 = (0.7, 0.8)… (0.75, 0.95)).
        let widths = [0.85 - 0.75, 0.95 - 0.85, 0.95 - 0.55, 0.95 - 0.75]
        #expect(abs(m.secondHalfIQR - widths.reduce(0, +) / 4) < 1e-12)
        // Medians 0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.9, 0.9: never fall.
        #expect(m.medianDrop == 0)
        // Each seed's largest fall: a 0, b 0, c 0.8 → median 0.
        #expect(m.seedDrop == 0)
        // Two of three seeds collapsing shows in SEED DROP.
        let collapsed = stabilityMeasures(seeds: [c, c.map { $0 * 0.5 }, a])
        #expect(abs(collapsed.seedDrop - 0.4) < 1e-12)                    // falls 0.8, 0.4, 0 → 0.4
    }
}
