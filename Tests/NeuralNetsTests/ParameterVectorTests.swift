import Foundation
import Testing
@testable import NeuralNets

@Suite struct ParameterVectorTests {
    static let layout = try! ParameterLayout([(name: "a", shape: [2, 2]), (name: "b", shape: [3])])

    @Test func layoutPacksSlicesBackToBack() throws {
        let layout = Self.layout
        #expect(layout.count == 7)
        #expect(layout.slices.map(\.offset) == [0, 4])
        #expect(layout.slice(named: "b")?.range == 4..<7)
        #expect(layout.slice(named: "c") == nil)
        #expect(throws: NeuralNetError.self) { try ParameterLayout([(name: "a", shape: [1]), (name: "a", shape: [2])]) }
        #expect(throws: NeuralNetError.self) { try ParameterLayout([(name: "", shape: [1])]) }
        #expect(throws: NeuralNetError.self) { try ParameterLayout([(name: "__metadata__", shape: [1])]) }
        #expect(throws: NeuralNetError.self) { try ParameterLayout([(name: "n", shape: [-1, 2])]) }
    }

    @Test func arithmetic() throws {
        var x = try ParameterVector(layout: Self.layout, values: [1, 2, 3, 4, 5, 6, 7])
        let y = try ParameterVector(layout: Self.layout, values: [1, 1, 1, 1, 1, 1, -1])
        try x.axpy(2, y)
        #expect(x.values == [3, 4, 5, 6, 7, 8, 5])
        x.scale(by: 0.5)
        #expect(x.values == [1.5, 2, 2.5, 3, 3.5, 4, 2.5])
        #expect(try x.dot(y) == 1.5 + 2 + 2.5 + 3 + 3.5 + 4 - 2.5)
        let v = try ParameterVector(layout: Self.layout, values: [3, 4, 0, 0, 0, 0, 0])
        #expect(v.norm == 5)
        #expect(x.count == 7)
        x.zero()
        #expect(x.values == [Float](repeating: 0, count: 7))
    }

    @Test func namedSlices() throws {
        var x = ParameterVector(zeroing: Self.layout)
        try x.setValues(of: "b", to: [7, 8, 9])
        #expect(x.values(of: "b").map(Array.init) == [7, 8, 9])
        #expect(x.values(of: "zzz") == nil)
        x[0] = 1
        #expect(x.values == [1, 0, 0, 0, 7, 8, 9])
        #expect(throws: NeuralNetError.shapeMismatch("The parameter 'b' has 3 elements, but 2 were given.")) {
            try x.setValues(of: "b", to: [1, 2])
        }
        #expect(throws: NeuralNetError.self) { try x.setValues(of: "zzz", to: [1]) }
        #expect(throws: NeuralNetError.self) { try x.setValues([1, 2]) }
        #expect(throws: NeuralNetError.self) { try ParameterVector(layout: Self.layout, values: [1]) }
    }

    @Test func assignAndDistance() throws {
        let x = try ParameterVector(layout: Self.layout, values: [1, 2, 3, 4, 5, 6, 7])
        var y = ParameterVector(zeroing: Self.layout)
        #expect(try y.distance(to: x) == (1 + 4 + 9 + 16 + 25 + 36 + 49 as Double).squareRoot())
        try y.assign(x)
        #expect(y == x)
        y[0] = 4
        #expect(x[0] == 1)                 // independent storage
        #expect(try y.distance(to: x) == 3)
    }

    @Test func mismatchedLayoutsThrow() throws {
        var x = ParameterVector(zeroing: Self.layout)
        let other = ParameterVector(zeroing: try ParameterLayout([(name: "a", shape: [7])]))
        #expect(throws: NeuralNetError.self) { try x.axpy(1, other) }
        #expect(throws: NeuralNetError.self) { try x.dot(other) }
        #expect(throws: NeuralNetError.self) { try x.assign(other) }
        #expect(throws: NeuralNetError.self) { try x.distance(to: other) }
    }

    @Test func nonFiniteDetection() throws {
        let x = try ParameterVector(layout: Self.layout, values: [1, .nan, 3, 4, 5, .infinity, 7])
        #expect(x.nonFiniteCount == 2)
        #expect(x.nonFiniteTensorNames == ["a", "b"])
    }

    @Test func codableRoundTripAndValidation() throws {
        let x = try ParameterVector(layout: Self.layout, values: [1, 2, 3, 4, 5, 6, 7])
        let data = try JSONEncoder().encode(x)
        #expect(try JSONDecoder().decode(ParameterVector.self, from: data) == x)
        let short = #"{"layout":{"slices":[{"name":"a","shape":[2],"offset":0}]},"values":[1]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ParameterVector.self, from: Data(short.utf8)) }
        let gap = #"{"slices":[{"name":"a","shape":[1],"offset":0},{"name":"b","shape":[1],"offset":5}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ParameterLayout.self, from: Data(gap.utf8)) }
    }
}

@Suite struct RandomAndInitialisationTests {
    @Test func splitMixMatchesItsReferenceOutput() {
        // SplitMix64 from seed 0: the first output of the reference C implementation.
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func xoshiroIsDeterministicAndStreamsDiffer() {
        var a = Xoshiro256StarStar(seed: 1), b = Xoshiro256StarStar(seed: 1)
        var c = Xoshiro256StarStar(seed: 1, stream: 1), d = Xoshiro256StarStar(seed: 1, stream: 2)
        let sa = (0..<8).map { _ in a.next() }, sb = (0..<8).map { _ in b.next() }
        let sc = (0..<8).map { _ in c.next() }, sd = (0..<8).map { _ in d.next() }
        #expect(sa == sb)
        #expect(sc != sd && sc != sa)
        var n = Xoshiro256StarStar(seed: 2)
        let normals = (0..<20_000).map { _ in n.nextStandardNormal() }
        let mean = normals.reduce(0, +) / 20_000
        let variance = normals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 20_000
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.04)
    }

    @Test(arguments: [(8, 3), (3, 8), (5, 5)])
    func orthogonalInitialisationIsOrthogonalWithGain(fanOut: Int, fanIn: Int) {
        var g = Xoshiro256StarStar(seed: 4)
        let gain: Float = 1.5
        let w = try! Initialization.orthogonal(gain: gain).draw(fanIn: fanIn, fanOut: fanOut, using: &g)
        #expect(w.bias == [Float](repeating: 0, count: fanOut))
        // The smaller Gram matrix (rows·rowsᵀ or colsᵀ·cols) equals gain²·I.
        let byRows = fanOut <= fanIn
        let k = min(fanIn, fanOut)
        for i in 0..<k {
            for j in 0..<k {
                var dot: Float = 0
                for t in 0..<max(fanIn, fanOut) {
                    dot += byRows ? w.weight[i * fanIn + t] * w.weight[j * fanIn + t]
                                  : w.weight[t * fanIn + i] * w.weight[t * fanIn + j]
                }
                #expect(abs(dot - (i == j ? gain * gain : 0)) < 1e-4)
            }
        }
    }

    @Test func uniformInitialisationsRespectTheirBounds() {
        var g = Xoshiro256StarStar(seed: 6)
        let xavier = try! Initialization.xavierUniform(gain: 1).draw(fanIn: 30, fanOut: 20, using: &g)
        let xavierBound = Float((6.0 / 50.0).squareRoot())
        #expect(xavier.weight.allSatisfy { abs($0) <= xavierBound })
        #expect(xavier.weight.map(abs).max()! > 0.9 * xavierBound)
        let kaiming = try! Initialization.kaimingUniform(gain: Float(2).squareRoot()).draw(fanIn: 30, fanOut: 20, using: &g)
        let kaimingBound = Float((2.0 * 3.0 / 30.0).squareRoot())
        #expect(kaiming.weight.allSatisfy { abs($0) <= kaimingBound })
        #expect(kaiming.weight.map(abs).max()! > 0.9 * kaimingBound)
        let torch = try! Initialization.pytorchDefault.draw(fanIn: 16, fanOut: 4, using: &g)
        #expect(torch.bias.allSatisfy { abs($0) <= 0.25 } && torch.bias.contains { $0 != 0 })
        var g1 = Xoshiro256StarStar(seed: 6), g2 = Xoshiro256StarStar(seed: 6)
        #expect(try! Initialization.xavierUniform(gain: 1).draw(fanIn: 3, fanOut: 2, using: &g1)
            == (try! Initialization.xavierUniform(gain: 1).draw(fanIn: 3, fanOut: 2, using: &g2)))
    }
}

extension RandomAndInitialisationTests {
    @Test func negativeFansAreRejected() {
        var g = Xoshiro256StarStar(seed: 0)
        #expect(throws: NeuralNetError.self) { try Initialization.orthogonal(gain: 1).draw(fanIn: -1, fanOut: 2, using: &g) }
    }
}
