import NeuralNets

/// A safetensors file (header and data offsets), read only.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? SafetensorsFile(bytes: bytes) else { return 0 }
    for t in file.tensors { _ = file.tensor(named: t.name) }
    return 0
}
