import Envs

/// An actions file against a discrete and a box action space.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzActionsFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for space in [Space.discrete(3), .box(low: [-2], high: [2]), .box(low: [-1, -1, -1], high: [1, 1, 1])] {
        if let actions = try? ActionsFile.parse(text, space: space, path: "fuzz.json") {
            precondition(actions.allSatisfy { $0.count == space.size && $0.allSatisfy { $0.isFinite } }, "an action of the wrong shape")
        }
    }
    return 0
}
