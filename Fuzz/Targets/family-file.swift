import Envs
import Foundation

private let base: TaskRegistry = {
    do { return try TaskRegistry.standard } catch { fatalError("the standard registry does not load: \(error)") }
}()

/// A family data file: parsed, decoded against the standard registry, and — when it loads —
/// every new task made once.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFamilyFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let json = try? JSONValue.parse(text), let registry = try? base.loadingFamily(json, context: "family file fuzz.json") else { return 0 }
    for id in registry.ids where !base.ids.contains(id) { _ = try? registry.make(id.description, count: 2) }
    return 0
}
