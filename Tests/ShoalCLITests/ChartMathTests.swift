import Testing
@testable import ShoalCLI

@Suite("Learning-curve arithmetic: quantiles, interpolation, grids, axis ticks")
struct ChartMathTests {
    @Test func quantilesInterpolateBetweenOrderStatistics() {
        // NumPy: np.quantile([1, 2, 3, 10], [0, .25, .5, .75, 1]) = 1, 1.75, 2.5, 4.75, 10.
        let v: [Double] = [1, 2, 3, 10]
        #expect([0, 0.25, 0.5, 0.75, 1].map { CurveStatistics.quantile(sorted: v, $0) } == [1, 1.75, 2.5, 4.75, 10])
        #expect(CurveStatistics.quantile(sorted: [7], 0.25) == 7)
        #expect(CurveStatistics.quantile(sorted: [], 0.5).isNaN)
        // Three seeds: the quartiles sit halfway to the outer values.
        #expect(CurveStatistics.quantile(sorted: [-300, -200, -100], 0.25) == -250)
    }

    @Test func interpolationIsLinearAndUndefinedOutside() {
        let curve: [(x: Double, y: Double)] = [(0, 0), (10, 100), (20, 50), (20, 60), (30, 60)]
        #expect(CurveStatistics.interpolate(curve, at: 5) == 50)
        #expect(CurveStatistics.interpolate(curve, at: 15) == 75)
        #expect(CurveStatistics.interpolate(curve, at: 20) == 60)  // equal x: the last point
        #expect(CurveStatistics.interpolate(curve, at: 25) == 60)
        #expect(CurveStatistics.interpolate(curve, at: 0) == 0)
        #expect(CurveStatistics.interpolate(curve, at: 30) == 60)
        #expect(CurveStatistics.interpolate(curve, at: -1) == nil)
        #expect(CurveStatistics.interpolate(curve, at: 30.5) == nil)
    }

    @Test func overlapAndGrid() {
        let a: [(x: Double, y: Double)] = [(0, 0), (100, 1)], b: [(x: Double, y: Double)] = [(20, 0), (150, 1)]
        #expect(CurveStatistics.overlap([a, b]) == 20...100)
        #expect(CurveStatistics.overlap([a, [(101, 0), (200, 0)]]) == nil)
        #expect(CurveStatistics.overlap([a, []]) == nil)
        #expect(CurveStatistics.grid(20...100, count: 5) == [20, 40, 60, 80, 100])
        #expect(CurveStatistics.grid(3...3, count: 5) == [3])
    }

    @Test func bandOverSeedsOfLinearCurves() {
        // Seeds y = x, y = 2x, y = 4x on [0, 10], sampled at different x: at x = 5 the values are
        // 5, 10, 20 → quartiles 7.5 and 15, median 10.
        let seeds: [[(x: Double, y: Double)]] = [[(0, 0), (10, 10)], [(0, 0), (4, 8), (10, 20)], [(0, 0), (3, 12), (10, 40)]]
        let band = CurveStatistics.band(seeds, on: [0, 5, 10])
        #expect(band.map(\.median) == [0, 10, 20])
        #expect(band[1].lower == 7.5 && band[1].upper == 15)
        #expect(band[2].lower == 15 && band[2].upper == 30)
    }

    @Test func ticksAreNiceNumbersCoveringTheRange() {
        #expect(AxisTicks.step(span: 1000, target: 5) == 200)
        #expect(AxisTicks.step(span: 1, target: 5) == 0.2)
        #expect(AxisTicks.step(span: 7, target: 6) == 2)
        #expect(AxisTicks.step(span: 3e6, target: 6) == 5e5)
        #expect(AxisTicks.ticks(lo: 0, hi: 1000) == [0, 200, 400, 600, 800, 1000])
        #expect(AxisTicks.ticks(lo: -487, hi: -93, target: 5) == [-500, -400, -300, -200, -100, 0])
        #expect(AxisTicks.ticks(lo: 0.03, hi: 0.91) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(AxisTicks.ticks(lo: 5, hi: 5).count >= 2)
    }

    @Test func axesEndAtTheDataUnlessATickIsClose() {
        let a = AxisTicks.axis(lo: 5000, hi: 601_000, target: 6)
        #expect(a.lo == 0 && a.hi == 601_000 && a.ticks == [0, 100_000, 200_000, 300_000, 400_000, 500_000, 600_000])
        let b = AxisTicks.axis(lo: -487, hi: -93, target: 5)
        #expect(b.lo == -500 && b.hi == -93 && b.ticks == [-500, -400, -300, -200, -100])
        let c = AxisTicks.axis(lo: 130, hi: 960, target: 5)
        #expect(c.lo == 130 && c.hi == 1000 && c.ticks == [200, 400, 600, 800, 1000])
        let flat = AxisTicks.axis(lo: 5, hi: 5)
        #expect(flat.lo < 5 && flat.hi > 5)
    }

    @Test func labelsAreShort() {
        #expect(AxisTicks.label(2500, step: 500) == "2.5k")
        #expect(AxisTicks.label(3_000_000, step: 1_000_000) == "3M")
        #expect(AxisTicks.label(1_500_000, step: 500_000) == "1.5M")
        #expect(AxisTicks.label(1050, step: 50) == "1050")
        #expect(AxisTicks.label(-500, step: 100) == "−500")
        #expect(AxisTicks.label(0.4, step: 0.2) == "0.4")
        #expect(AxisTicks.label(0.05, step: 0.05) == "0.05")
        #expect(AxisTicks.label(0, step: 0.05) == "0")
        #expect(AxisTicks.label(2e9, step: 1e9) == "2G")
    }
}
