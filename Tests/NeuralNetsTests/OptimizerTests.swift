import Testing
@testable import NeuralNets

@Suite struct OptimizerTests {
    static let layout = try! ParameterLayout([(name: "w", shape: [1]), (name: "b", shape: [1])])
    static let single = try! ParameterLayout([(name: "w", shape: [1])])

    static func vector(_ values: [Float], _ layout: ParameterLayout = layout) -> ParameterVector {
        try! ParameterVector(layout: layout, values: values)
    }

    /// Runs `optimizer` over the gradients and returns the parameters after each step.
    static func trajectory(
        _ optimizer: inout some Optimizer, start: [Float], gradients: [[Float]]
    ) throws -> [[Float]] {
        let layout = start.count == 1 ? single : layout
        var p = vector(start, layout)
        var out: [[Float]] = []
        for g in gradients {
            var gradient = vector(g, layout)
            #expect(try optimizer.step(&p, gradient: &gradient).wasApplied)
            out.append(p.values)
        }
        return out
    }

    static func close(_ a: [Float], _ b: [Double], _ tolerance: Double = 2e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) <= tolerance * max(1, abs($1)) }
    }

    @Test func sgdWithL2() throws {
        // θ − lr·(g + λθ): 1 − 0.1·(0.5 + 0.1) = 0.94; −2 − 0.1·(0.25 − 0.2) = −2.005.
        var sgd = SGD(learningRate: 0.1, weightDecay: 0.1)
        let steps = try Self.trajectory(&sgd, start: [1, -2], gradients: [[0.5, 0.25]])
        #expect(Self.close(steps[0], [0.94, -2.005]))
        #expect(sgd.stepCount == 1)
    }

    @Test func heavyBallFollowsPaper002() throws {
        // α = 0.01, β = 0.6. d₁ = −0.01·2 = −0.02 → 0.98; d₂ = 0.6·(−0.02) − 0.01·1 = −0.022 → 0.958.
        var optimizer = HeavyBallMomentum()
        let steps = try Self.trajectory(&optimizer, start: [1], gradients: [[2], [1]])
        #expect(Self.close(steps[0], [0.98]))
        #expect(Self.close(steps[1], [0.958]))
    }

    @Test func rmsPropHasPyTorchSemantics() throws {
        // s₁ = 0.01·4 = 0.04, θ = 1 − 0.01·2/(0.2 + 1e-5); s₂ = 0.99·0.04 + 0.01 = 0.0496,
        // θ −= 0.01·1/(√0.0496 + 1e-5). ε outside the root: inside it would give 0.900022…
        var optimizer = RMSProp(learningRate: 0.01)
        let steps = try Self.trajectory(&optimizer, start: [1], gradients: [[2], [1]])
        #expect(Self.close(steps[0], [0.900_004_999_75], 5e-7))
        #expect(Self.close(steps[1], [0.855_105_690_28], 5e-7))
    }

    @Test func rmsPropCenteredWithMomentum() throws {
        // α = 0.9, μ = 0.5: s, m averages; d = √(s − m²) + ε; b = μb + g/d; θ −= 0.01·b.
        var optimizer = RMSProp(schedule: .constant(0.01), alpha: 0.9, momentum: 0.5, centered: true)
        let steps = try Self.trajectory(&optimizer, start: [1], gradients: [[2], [1]])
        #expect(Self.close(steps[0], [0.966_667_222_2], 5e-7))
        #expect(Self.close(steps[1], [0.933_812_997_7], 5e-7))
    }

    @Test func adamBiasCorrectionAndWeightDecay() throws {
        // Step 1 with bias correction moves each coordinate by lr·sign(g).
        var adam = Adam(learningRate: 0.1)
        var steps = try Self.trajectory(&adam, start: [1, -1], gradients: [[3, -0.5], [1, 1]])
        #expect(Self.close(steps[0], [0.9, -0.9]))
        #expect(Self.close(steps[1], [0.812_893_605_65, -0.936_610_354_24]))

        var adamW = Adam(learningRate: 0.1, weightDecay: .decoupled(0.5))
        steps = try Self.trajectory(&adamW, start: [1, -1], gradients: [[3, -0.5], [1, 1]])
        #expect(Self.close(steps[0], [0.85, -0.85]))
        #expect(Self.close(steps[1], [0.720_393_605_63, -0.844_110_354_14]))

        var adamL2 = Adam(learningRate: 0.1, weightDecay: .l2(0.5))
        steps = try Self.trajectory(&adamL2, start: [1, -1], gradients: [[3, -0.5], [1, 1]])
        #expect(Self.close(steps[1], [0.809_607_527_98, -0.877_170_377_49]))
    }

    @Test func nonFiniteGradientIsReportedAndNotApplied() throws {
        var adam = Adam(learningRate: 0.1)
        var p = Self.vector([1, 2])
        var gradient = Self.vector([.nan, 1])
        let result = try adam.step(&p, gradient: &gradient, maxGradientNorm: 1)
        #expect(result == .rejectedNonFinite(count: 1, tensors: ["w"]))
        #expect(!result.wasApplied)
        #expect(p.values == [1, 2])
        #expect(adam.stepCount == 0)
        #expect(adam.firstMoment.isEmpty)
        var infinite = Self.vector([1, -.infinity])
        #expect(try adam.step(&p, gradient: &infinite) == .rejectedNonFinite(count: 1, tensors: ["b"]))
    }

    @Test func globalNormClipping() throws {
        var sgd = SGD(learningRate: 1)
        var p = Self.vector([0, 0])
        var gradient = Self.vector([3, 4])
        let result = try sgd.step(&p, gradient: &gradient, maxGradientNorm: 1)
        #expect(result == .applied(gradientNorm: 5, clipped: true, learningRate: 1))
        #expect(Self.close(p.values, [-0.6, -0.8], 1e-5))
        var small = Self.vector([0.3, 0.4])
        #expect(try sgd.step(&p, gradient: &small, maxGradientNorm: 1)
            == .applied(gradientNorm: 0.5, clipped: false, learningRate: 1))
        #expect(throws: NeuralNetError.self) { try sgd.step(&p, gradient: &small, maxGradientNorm: 0) }
    }

    @Test func schedules() throws {
        let linear = LearningRateSchedule.linearDecay(initial: 1, final: 0, steps: 4)
        #expect([0, 1, 2, 4, 9].map { linear.value(atStep: $0) } == [1, 0.75, 0.5, 0, 0])
        #expect(LearningRateSchedule.constant(0.3).value(atStep: 100) == 0.3)
        // The driver reads the schedule at the current step count.
        var sgd = SGD(schedule: linear)
        var p = Self.vector([0, 0])
        var g = Self.vector([1, 1])
        _ = try sgd.step(&p, gradient: &g)
        _ = try sgd.step(&p, gradient: &g)
        #expect(p.values == [-1.75, -1.75])
    }

    @Test func layoutMismatchThrows() throws {
        var sgd = SGD(learningRate: 1)
        var p = Self.vector([0, 0])
        var g = Self.vector([1], Self.single)
        #expect(throws: NeuralNetError.self) { try sgd.step(&p, gradient: &g) }
    }
}
