import Testing
@testable import NeuralNets

/// RMSProp's and Adam's updates run 8 lanes at a time on long vectors: every element must get
/// exactly the bits the one-element (scalar) loop gives it.
@Suite struct OptimizerLaneTests {
    static func vector(_ values: [Float]) -> ParameterVector {
        try! ParameterVector(layout: try! ParameterLayout([("w", [values.count])]), values: values)
    }

    /// Steps `make()` on the whole vector and on each element alone, `steps` times, and returns both.
    static func run<O: Optimizer>(_ make: () -> O, steps: Int) throws -> (whole: [Float], alone: [Float]) {
        let n = 37
        var start: [Float] = []
        for i in 0..<n {
            let value: Float = Float(i % 7) * 0.31 - 1
            start.append(i % 5 == 0 ? 0 : value)
        }
        func gradient(_ i: Int, _ t: Int) -> Float {
            let k: Int = (i * 13 + t * 7) % 11
            return Float(k) * 0.173 - 0.9
        }
        var whole = vector(start), o = make()
        for t in 0..<steps { try o.stepCheckedGradient(&whole, gradient: vector((0..<n).map { gradient($0, t) })) }
        var alone: [Float] = []
        for i in 0..<n {
            var p = vector([start[i]]), oi = make()
            for t in 0..<steps { try oi.stepCheckedGradient(&p, gradient: vector([gradient(i, t)])) }
            alone.append(p[0])
        }
        return (whole.values, alone)
    }

    @Test func rmspropLanesEqualTheScalarLoop() throws {
        let r = try Self.run({ RMSProp(learningRate: 0.0007, alpha: 0.99, epsilon: 1e-5) }, steps: 5)
        #expect(r.whole.map(\.bitPattern) == r.alone.map(\.bitPattern))
        let d = try Self.run({ RMSProp(schedule: .constant(0.01), weightDecay: 0.1) }, steps: 3)
        #expect(d.whole.map(\.bitPattern) == d.alone.map(\.bitPattern))
    }

    @Test func adamLanesEqualTheScalarLoop() throws {
        let r = try Self.run({ Adam(learningRate: 3e-4, epsilon: 1e-5) }, steps: 5)
        #expect(r.whole.map(\.bitPattern) == r.alone.map(\.bitPattern))
        let d = try Self.run({ Adam(learningRate: 1e-3, weightDecay: .decoupled(0.01)) }, steps: 3)
        #expect(d.whole.map(\.bitPattern) == d.alone.map(\.bitPattern))
    }
}
