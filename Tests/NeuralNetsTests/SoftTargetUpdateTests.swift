import Foundation
import NeuralNets
import Testing

@Suite("Soft target updates φ̂ ← (1 − ε) φ̂ + ε φ")
struct SoftTargetUpdateTests {
    @Test("hand-computed values; ε = 1 copies, ε = 0 keeps; repeated updates converge geometrically")
    func values() throws {
        var target: [Float] = [1, -2, 4]
        let source: [Float] = [3, 2, 0]
        try source.withUnsafeBufferPointer { s in
            try target.withUnsafeMutableBufferPointer { try softTargetUpdate(target: $0, source: s, rate: 0.25) }
        }
        // 0.75 · 1 + 0.25 · 3 = 1.5; 0.75 · (−2) + 0.25 · 2 = −1; 0.75 · 4 + 0 = 3.
        #expect(target == [1.5, -1, 3])
        var kept = target
        try source.withUnsafeBufferPointer { s in try kept.withUnsafeMutableBufferPointer { try softTargetUpdate(target: $0, source: s, rate: 0) } }
        #expect(kept == target)
        try source.withUnsafeBufferPointer { s in try kept.withUnsafeMutableBufferPointer { try softTargetUpdate(target: $0, source: s, rate: 1) } }
        #expect(kept == source)
        // After k updates at ε the gap is (1 − ε)^k of the first.
        var follow: [Float] = [0]
        for _ in 0..<10 { try [1].withUnsafeBufferPointer { s in try follow.withUnsafeMutableBufferPointer { try softTargetUpdate(target: $0, source: s, rate: 0.1) } } }
        #expect(abs(Double(1 - follow[0]) - pow(0.9, 10)) < 1e-6)
    }

    @Test("a rate outside [0, 1] or rows of different lengths are one sentence")
    func badInput() {
        var t: [Float] = [0, 0]
        #expect(throws: NeuralNetError.invalidArgument("the soft target update's rate ε must lie in [0, 1], got 1.5")) {
            try [Float(1), 1].withUnsafeBufferPointer { s in try t.withUnsafeMutableBufferPointer { try softTargetUpdate(target: $0, source: s, rate: 1.5) } }
        }
        #expect(throws: NeuralNetError.invalidArgument("the target network has 2 parameters, the network 1; they must match")) {
            try [Float(1)].withUnsafeBufferPointer { s in try t.withUnsafeMutableBufferPointer { try softTargetUpdate(target: $0, source: s, rate: 0.5) } }
        }
    }
}
