import Foundation
import Testing
@testable import NeuralNets

/// Double-precision closed forms the heads are checked against.
enum HeadReference {
    static func logSoftmax(_ z: [Double]) -> [Double] {
        let m = z.max()!
        let lse = m + Foundation.log(z.map { Foundation.exp($0 - m) }.reduce(0, +))
        return z.map { $0 - lse }
    }
    static func categoricalLogProb(_ z: [Double], _ a: Int) -> Double { logSoftmax(z)[a] }
    static func categoricalEntropy(_ z: [Double]) -> Double { -logSoftmax(z).reduce(0) { $0 + Foundation.exp($1) * $1 } }
    static func categoricalKL(_ p: [Double], _ q: [Double]) -> Double {
        zip(logSoftmax(p), logSoftmax(q)).reduce(0) { $0 + Foundation.exp($1.0) * ($1.0 - $1.1) }
    }

    /// (μ, σ) of a Gaussian head from its row input, in Double.
    typealias Map = (_ a: Double, _ b: Double) -> (Double, Double)
    static let tanhSoftplus: (Double) -> Map = { floor in
        { a, b in (Foundation.tanh(a), DoubleReference.activate(.softplus, b) + floor) }
    }
    static let logStd: Map = { a, b in (a, Foundation.exp(b)) }

    static func gaussianLogProb(_ map: Map, _ input: [Double], _ x: [Double]) -> Double {
        let d = x.count
        return (0..<d).reduce(0) { total, i in
            let (m, s) = map(input[i], input[d + i])
            return total - 0.5 * ((x[i] - m) / s) * ((x[i] - m) / s) - Foundation.log(s) - 0.5 * Foundation.log(2 * .pi)
        }
    }
    static func gaussianEntropy(_ map: Map, _ input: [Double]) -> Double {
        let d = input.count / 2
        return (0..<d).reduce(0) { $0 + 0.5 + 0.5 * Foundation.log(2 * .pi) + Foundation.log(map(input[$1], input[d + $1]).1) }
    }
    static func gaussianKL(_ map: Map, _ p: [Double], _ q: [Double]) -> Double {
        let d = p.count / 2
        return (0..<d).reduce(0) { total, i in
            let (mp, sp) = map(p[i], p[d + i]), (mq, sq) = map(q[i], q[d + i])
            return total + Foundation.log(sq / sp) + (sp * sp + (mp - mq) * (mp - mq)) / (2 * sq * sq) - 0.5
        }
    }

    /// Squashed Gaussian: log π of a stored action, and of the reparameterised action.
    static func squashedLogProb(_ input: [Double], _ action: [Double]) -> Double {
        let d = action.count
        return (0..<d).reduce(0) { total, i in
            let u = Foundation.atanh(action[i]), s = Foundation.exp(input[d + i])
            let z = (u - input[i]) / s
            return total - 0.5 * z * z - input[d + i] - 0.5 * Foundation.log(2 * .pi) - Foundation.log(1 - action[i] * action[i])
        }
    }
    static func squashedAction(_ input: [Double], _ noise: [Double]) -> [Double] {
        let d = noise.count
        return (0..<d).map { Foundation.tanh(input[$0] + Foundation.exp(input[d + $0]) * noise[$0]) }
    }
}

@Suite struct PolicyHeadTests {
    static func values(_ count: Int, seed: UInt64, scale: Double = 1) -> [Float] {
        var g = Xoshiro256StarStar(seed: seed)
        return (0..<count).map { _ in Float(scale * g.nextStandardNormal()) }
    }

    /// Calls a per-row gradient method on a fresh zero buffer and returns the result.
    static func gradient(_ count: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
        var g = [Float](repeating: 0, count: count)
        g.withUnsafeMutableBufferPointer { body($0) }
        return g
    }

    static func expectGradient(_ analytic: [Float], _ reference: ([Double]) -> Double, at x: [Float], scale: Double = 1,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        let numeric = DoubleReference.gradient(reference, at: x.map(Double.init)).map { $0 * scale }
        #expect(DoubleReference.maxRelativeError(analytic, numeric, scale: 1e-2) < 1e-3, sourceLocation: sourceLocation)
    }

    // MARK: Categorical

    @Test func categoricalValuesAndGradients() throws {
        let head = try CategoricalHead(actionChoices: 5)
        for seed in UInt64(1)...4 {
            let z = Self.values(5, seed: seed, scale: 2)
            let q = Self.values(5, seed: seed + 100, scale: 2)
            let z64 = z.map(Double.init), q64 = q.map(Double.init)
            try z.withUnsafeBufferPointer { z in
                try q.withUnsafeBufferPointer { q in
                    for a in 0..<5 {
                        let action: [Float] = [Float(a)]
                        try action.withUnsafeBufferPointer { act in
                            #expect(abs(Double(head.logProb(input: z, action: act)) - HeadReference.categoricalLogProb(z64, a)) < 1e-5)
                            let g = Self.gradient(5) { head.addLogProbGradient(input: z, action: act, scale: 0.7, into: $0) }
                            Self.expectGradient(g, { HeadReference.categoricalLogProb($0, a) }, at: Array(z), scale: 0.7)
                            _ = try #require(g.count == 5)
                        }
                    }
                    #expect(abs(Double(head.entropy(input: z)) - HeadReference.categoricalEntropy(z64)) < 1e-5)
                    Self.expectGradient(Self.gradient(5) { head.addEntropyGradient(input: z, scale: 1, into: $0) },
                                        HeadReference.categoricalEntropy, at: Array(z))
                    #expect(abs(Double(head.klDivergence(p: z, q: q)) - HeadReference.categoricalKL(z64, q64)) < 1e-5)
                    Self.expectGradient(Self.gradient(5) { head.addKLGradient(p: z, q: q, scale: 1, intoP: $0, intoQ: nil) },
                                        { HeadReference.categoricalKL($0, q64) }, at: Array(z))
                    Self.expectGradient(Self.gradient(5) { head.addKLGradient(p: z, q: q, scale: 1, intoP: nil, intoQ: $0) },
                                        { HeadReference.categoricalKL(z64, $0) }, at: Array(q))
                }
            }
        }
    }

    @Test func categoricalHandlesExtremeLogitsAndBadActions() throws {
        let head = try CategoricalHead(actionChoices: 3)
        let z: [Float] = [1000, 0, -1000]
        var logProbs: [Float] = []
        try head.logProbs(inputs: z + z, actions: [0, 7], batchSize: 2, into: &logProbs)
        #expect(logProbs[0] == 0)
        #expect(logProbs[1] == -.infinity)        // index out of range: probability zero
        var entropies: [Float] = []
        try head.entropies(inputs: z, batchSize: 1, into: &entropies)
        #expect(entropies[0].isFinite && abs(entropies[0]) < 1e-6)
    }

    @Test func categoricalSamplingFollowsSoftmaxAndSeed() throws {
        let head = try CategoricalHead(actionChoices: 3)
        let z: [Float] = [0, 1, 2]
        let p = HeadReference.logSoftmax([0, 1, 2]).map { Foundation.exp($0) }
        let rows = 20_000
        let inputs = Array([[Float]](repeating: z, count: rows).joined())
        var g = Xoshiro256StarStar(seed: 5)
        var actions: [Float] = []
        try head.sample(inputs: inputs, batchSize: rows, using: &g, into: &actions)
        for k in 0..<3 {
            let frequency = Double(actions.filter { $0 == Float(k) }.count) / Double(rows)
            #expect(abs(frequency - p[k]) < 0.015)
        }
        var again: [Float] = []
        var g2 = Xoshiro256StarStar(seed: 5)
        try head.sample(inputs: inputs, batchSize: rows, using: &g2, into: &again)
        #expect(again == actions)
        var greedy: [Float] = []
        try head.mode(inputs: z, batchSize: 1, into: &greedy)
        #expect(greedy == [2])
    }

    // MARK: Diagonal Gaussians

    static func checkGaussian(_ head: some DiagonalGaussianHead, map: @escaping HeadReference.Map, seed: UInt64) {
        let d = head.actionCount
        let input = values(2 * d, seed: seed), other = values(2 * d, seed: seed + 50)
        let action = values(d, seed: seed + 99)
        let x64 = action.map(Double.init), in64 = input.map(Double.init), q64 = other.map(Double.init)
        input.withUnsafeBufferPointer { p in
            other.withUnsafeBufferPointer { q in
                action.withUnsafeBufferPointer { a in
                    #expect(abs(Double(head.logProb(input: p, action: a)) - HeadReference.gaussianLogProb(map, in64, x64)) < 1e-4)
                    expectGradient(gradient(2 * d) { head.addLogProbGradient(input: p, action: a, scale: -2, into: $0) },
                                   { HeadReference.gaussianLogProb(map, $0, x64) }, at: input, scale: -2)
                    #expect(abs(Double(head.entropy(input: p)) - HeadReference.gaussianEntropy(map, in64)) < 1e-5)
                    expectGradient(gradient(2 * d) { head.addEntropyGradient(input: p, scale: 1, into: $0) },
                                   { HeadReference.gaussianEntropy(map, $0) }, at: input)
                    #expect(abs(Double(head.klDivergence(p: p, q: q)) - HeadReference.gaussianKL(map, in64, q64)) < 1e-4)
                    expectGradient(gradient(2 * d) { head.addKLGradient(p: p, q: q, scale: 1, intoP: $0, intoQ: nil) },
                                   { HeadReference.gaussianKL(map, $0, q64) }, at: input)
                    expectGradient(gradient(2 * d) { head.addKLGradient(p: p, q: q, scale: 1, intoP: nil, intoQ: $0) },
                                   { HeadReference.gaussianKL(map, in64, $0) }, at: other)
                    #expect(head.klDivergence(p: p, q: p) == 0)
                }
            }
        }
    }

    @Test func tanhSoftplusGaussianMatchesClosedForms() throws {
        let head = try TanhSoftplusGaussianHead(actionCount: 3, minimumStd: 0.01)
        for seed in UInt64(1)...3 { Self.checkGaussian(head, map: HeadReference.tanhSoftplus(0.01), seed: seed) }
    }

    @Test func logStdGaussianMatchesClosedForms() throws {
        let head = try LogStdGaussianHead(actionCount: 2)
        for seed in UInt64(1)...3 { Self.checkGaussian(head, map: HeadReference.logStd, seed: seed) }
    }

    @Test func stateIndependentLogStdBroadcastAndReduce() throws {
        let head = try LogStdGaussianHead(actionCount: 2)
        var logStd = head.makeLogStd(initialValue: -0.5)
        #expect(logStd.layout.slices.map(\.name) == ["log_std"])
        var inputs: [Float] = []
        try head.broadcastLogStd(means: [1, 2, 3, 4], logStd: logStd, batchSize: 2, into: &inputs)
        #expect(inputs == [1, 2, -0.5, -0.5, 3, 4, -0.5, -0.5])
        var meanGradient = [Float](repeating: 0, count: 4)
        var logStdGradient = ParameterVector(zeroing: logStd.layout)
        try head.reduceLogStdGradient(inputGradient: [1, 2, 3, 4, 5, 6, 7, 8], batchSize: 2,
                                      meanGradient: &meanGradient, logStdGradient: &logStdGradient)
        #expect(meanGradient == [1, 2, 5, 6])
        #expect(logStdGradient.values == [10, 12])
        logStd[0] = 0
        #expect(throws: NeuralNetError.self) {
            try head.broadcastLogStd(means: [1, 2, 3], logStd: logStd, batchSize: 2, into: &inputs)
        }
    }

    @Test func gaussianSamplesHaveTheRightMoments() throws {
        let head = try LogStdGaussianHead(actionCount: 1)
        let rows = 20_000
        let inputs = Array([[Float]](repeating: [0.5, Float(Foundation.log(2.0))], count: rows).joined())
        var g = Xoshiro256StarStar(seed: 8)
        var actions: [Float] = []
        try head.sample(inputs: inputs, batchSize: rows, using: &g, into: &actions)
        let mean = actions.reduce(0, +) / Float(rows)
        let variance = actions.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(rows)
        #expect(abs(mean - 0.5) < 0.05)
        #expect(abs(variance.squareRoot() - 2) < 0.05)
    }

    // MARK: Tanh-squashed Gaussian

    @Test func squashedGaussianLogProbAndGradients() throws {
        let head = try TanhSquashedGaussianHead(actionCount: 3)
        for seed in UInt64(1)...3 {
            let input = Self.values(6, seed: seed, scale: 0.5)
            let noise = Self.values(3, seed: seed + 7)
            let in64 = input.map(Double.init), xi = noise.map(Double.init)
            try input.withUnsafeBufferPointer { p in
                try noise.withUnsafeBufferPointer { n in
                    var action = [Float](repeating: 0, count: 3)
                    action.withUnsafeMutableBufferPointer { head.reparameterisedAction(input: p, noise: n, into: $0) }
                    let reference = HeadReference.squashedAction(in64, xi)
                    for i in 0..<3 { #expect(abs(Double(action[i]) - reference[i]) < 1e-6) }
                    // log π through the noise equals log π of the stored action.
                    let stored = HeadReference.squashedLogProb(in64, reference)
                    #expect(abs(Double(head.reparameterisedLogProb(input: p, noise: n)) - stored) < 1e-4)
                    try action.withUnsafeBufferPointer { a in
                        #expect(abs(Double(head.logProb(input: p, action: a)) - stored) < 2e-3)
                        // Score-function gradient (action fixed).
                        let a64 = reference
                        Self.expectGradient(Self.gradient(6) { head.addLogProbGradient(input: p, action: a, scale: 1, into: $0) },
                                            { HeadReference.squashedLogProb($0, a64) }, at: input)
                        _ = try #require(a.count == 3)
                    }
                    // Reparameterised gradient of L = c·a(θ, ξ) + κ·log π(a(θ, ξ)) with ξ fixed (eq. 61).
                    let c: [Float] = [0.3, -1.2, 0.8]
                    let kappa: Float = 0.2
                    let loss: ([Double]) -> Double = { x in
                        let a = HeadReference.squashedAction(x, xi)
                        return zip(a, c).reduce(0) { $0 + $1.0 * Double($1.1) } + Double(kappa) * HeadReference.squashedLogProb(x, a)
                    }
                    let g = try c.withUnsafeBufferPointer { cg in
                        _ = try #require(cg.count == 3)
                        return Self.gradient(6) {
                            head.addReparameterisedGradient(input: p, noise: n, actionGradient: cg, logProbScale: kappa, into: $0)
                        }
                    }
                    Self.expectGradient(g, loss, at: input)
                }
            }
        }
    }

    @Test func squashedGaussianSamplesStayInsideTheBoxAndClampLogStd() throws {
        let head = try TanhSquashedGaussianHead(actionCount: 2)
        var g = Xoshiro256StarStar(seed: 3)
        var actions: [Float] = []
        let inputs: [Float] = [5, -5, 30, 30]   // log-std far above the clamp (2)
        try head.sample(inputs: Array([[Float]](repeating: inputs, count: 500).joined()), batchSize: 500, using: &g, into: &actions)
        #expect(actions.allSatisfy { $0 >= -1 && $0 <= 1 })
        let gradient = try inputs.withUnsafeBufferPointer { p in
            try [Float](arrayLiteral: 0.1, -0.2).withUnsafeBufferPointer { a in
                _ = try #require(a.count == 2)
                return Self.gradient(4) { head.addLogProbGradient(input: p, action: a, scale: 1, into: $0) }
            }
        }
        #expect(gradient[2] == 0 && gradient[3] == 0)   // clamped log-std: no gradient
        var mode: [Float] = []
        try head.mode(inputs: inputs, batchSize: 1, into: &mode)
        #expect(abs(mode[0] - Float(Foundation.tanh(5.0))) < 1e-6)
    }

    // MARK: Batched API and losses

    @Test func batchedShapesAreChecked() throws {
        let head = try TanhSoftplusGaussianHead(actionCount: 2)
        var out: [Float] = []
        var g = Xoshiro256StarStar(seed: 1)
        #expect(throws: NeuralNetError.self) { try head.sample(inputs: [1, 2, 3], batchSize: 1, using: &g, into: &out) }
        #expect(throws: NeuralNetError.self) { try head.logProbs(inputs: [1, 2, 3, 4], actions: [1], batchSize: 1, into: &out) }
        var gradients = [Float](repeating: 0, count: 3)
        #expect(throws: NeuralNetError.self) {
            try head.addLogProbGradients(inputs: [1, 2, 3, 4], actions: [1, 2], scales: [1], batchSize: 1, into: &gradients)
        }
        #expect(throws: NeuralNetError.self) { try head.entropies(inputs: [1, 2, 3, 4], batchSize: 0, into: &out) }
        #expect(throws: NeuralNetError.self) { try CategoricalHead(actionChoices: 0) }
        #expect(throws: NeuralNetError.self) { try TanhSquashedGaussianHead(actionCount: 1, minLogStd: 1, maxLogStd: 0) }

        // Batched gradients equal the per-row ones.
        let inputs = Self.values(8, seed: 4), actions = Self.values(4, seed: 5)
        gradients = [Float](repeating: 0, count: 8)
        try head.addLogProbGradients(inputs: inputs, actions: actions, scales: [1, -1], batchSize: 2, into: &gradients)
        let row1 = inputs[4..<8].withUnsafeBufferPointer { p in
            actions[2..<4].withUnsafeBufferPointer { a in
                Self.gradient(4) { head.addLogProbGradient(input: p, action: a, scale: -1, into: $0) }
            }
        }
        #expect(Array(gradients[4..<8]) == row1)
    }

    @Test func lossGradientsMatchFiniteDifferences() throws {
        let predictions: [Float] = [0.5, -1, 3, 0.2], targets: [Float] = [0, 0, 0.5, 0.1]
        var gradient: [Float] = []
        let mse = try halfMeanSquaredError(predictions: predictions, targets: targets, gradient: &gradient)
        let mseReference: ([Double]) -> Double = { p in
            zip(p, targets).reduce(0) { $0 + 0.5 * ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) } / 4
        }
        #expect(abs(Double(mse) - mseReference(predictions.map(Double.init))) < 1e-6)
        Self.expectGradient(gradient, mseReference, at: predictions)

        let huber = try huberLoss(predictions: predictions, targets: targets, delta: 1, gradient: &gradient)
        let huberReference: ([Double]) -> Double = { p in
            zip(p, targets).reduce(0) { total, pair in
                let d = pair.0 - Double(pair.1)
                return total + (abs(d) <= 1 ? 0.5 * d * d : abs(d) - 0.5)
            } / 4
        }
        #expect(abs(Double(huber) - huberReference(predictions.map(Double.init))) < 1e-6)
        Self.expectGradient(gradient, huberReference, at: predictions)
        #expect(throws: NeuralNetError.self) { try huberLoss(predictions: [1], targets: [1, 2], gradient: &gradient) }
        #expect(throws: NeuralNetError.self) { try huberLoss(predictions: [1], targets: [1], delta: 0, gradient: &gradient) }
    }
}
