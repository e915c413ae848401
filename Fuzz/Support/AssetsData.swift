import Foundation

/// Stand-in for the package's `AssetsData` resource target in fuzz builds: the bundled folders
/// are read from the source tree (`SHOAL_ROOT`, set by `Fuzz/run.sh`).
public enum AssetsData {
    public static func directory(_ name: String) -> URL? {
        guard let root = ProcessInfo.processInfo.environment["SHOAL_ROOT"] else { return nil }
        return URL(fileURLWithPath: root).appendingPathComponent("Assets").appendingPathComponent(name)
    }
}
