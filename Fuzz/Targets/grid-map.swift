import Envs

/// A grid-world text map.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGridMap(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let map = try? GridMap(text: text, source: "fuzz.txt") {
        precondition(map.cellCount == map.cells.count, "cells do not match the shape")
    }
    return 0
}
