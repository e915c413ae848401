import AssetsData
import Foundation

/// The maps shipped in `Assets/maps/indoor/`, loaded once per process and shared by every copy.
extension IndoorMap {
    /// The bundled map names (file names without `.json`), sorted.
    public static var bundledNames: [String] {
        guard let folder = bundledFolder,
              let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    static var bundledFolder: URL? { AssetsData.directory("maps")?.appendingPathComponent("indoor") }

    /// A bundled map by name, or a map file by path (anything ending in `.json`); cached.
    public static func named(_ name: String) throws(IndoorMapError) -> IndoorMap {
        mapCache.lock.lock()
        defer { mapCache.lock.unlock() }
        if let map = mapCache.maps[name] { return map }
        let url: URL
        if name.hasSuffix(".json") {
            url = URL(fileURLWithPath: name)
        } else {
            let names = bundledNames
            guard names.contains(name), let folder = bundledFolder else {
                var message = "unknown indoor map '\(name)'"
                if let g = closestName(to: name, among: names) { message += "; did you mean '\(g)'?" }
                throw IndoorMapError(message + " Bundled maps: \(names.joined(separator: ", ")) (or give a path to a .json map file).")
            }
            url = folder.appendingPathComponent(name + ".json")
        }
        let map = try load(contentsOf: url)
        mapCache.maps[name] = map
        return map
    }
}

/// Maps already decoded, by the name they were asked for.
private final class MapCache: @unchecked Sendable {
    let lock = NSLock()
    var maps: [String: IndoorMap] = [:]
}

private let mapCache = MapCache()
