import Envs
import Foundation

/// An indoor JSON map: decoded and, when valid, ray-cast from every start pose.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIndoorMap(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let json = try? JSONValue.parse(text), let map = try? IndoorMap.decode(json, file: "fuzz.json") else { return 0 }
    for s in map.starts {
        for k in 0..<8 {
            let a = Double(k) * .pi / 4
            _ = map.castRay(x: s.x, y: s.y, dx: cos(a), dy: sin(a), maxDistance: 100)
        }
    }
    return 0
}
