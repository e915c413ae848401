import Communication
import Foundation

/// A graph file: parsed and, when valid, its weights and spectrum computed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGraphFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let file = try? GraphFile(data: Data(bytes: data, count: size), path: "fuzz.json") else { return 0 }
    guard file.graph.agentCount <= 300 else { return 0 }
    let w = file.weights ?? MixingRule.hastings.weights(for: file.graph)
    let s = secondLargestEigenvalueModulus(w)
    precondition(s.slem.isNaN || (s.slem >= 0 && s.slem <= 1), "SLEM outside [0, 1]")
    return 0
}
