import Envs

/// JSONValue.parse on arbitrary bytes: it must return or throw, and a parsed value must print
/// and parse back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let value = try? JSONValue.parse(text) else { return 0 }
    let again = try? JSONValue.parse(value.description)
    precondition(again != nil, "a printed JSON value does not parse back")
    return 0
}
