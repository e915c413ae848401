import Locomotion

/// A locomotion body file: parsed and, when valid, built into an ODE world and stepped.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBodyFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let model = try? BodyModel.parse(text, file: "fuzz.json"), model.bodies.count <= 16,
          let world = try? ArticulatedWorld(model: model) else { return 0 }
    let action = [Float](repeating: 0.5, count: model.actuators.count)
    for _ in 0..<20 {
        guard action.withUnsafeBufferPointer({ world.step($0, substeps: 4, h: 0.002) }) else { break }
    }
    return 0
}
