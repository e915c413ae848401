import Envs
import Training

/// RunConfig.decode on arbitrary JSON: it must return or throw one sentence, and a decoded
/// configuration must print as JSON that decodes back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRunConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let json = try? JSONValue.parse(text) else { return 0 }
    guard let config = try? RunConfig.decode(json, context: "fuzz") else { return 0 }
    _ = config.validationProblem()
    let again = try? RunConfig.decode(try! JSONValue.parse(config.json.description), context: "fuzz again")
    precondition(again == config, "a decoded configuration does not round-trip through its JSON")
    return 0
}
