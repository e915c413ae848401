import Foundation

/// Stand-in for the package's `EnvironmentsData` resource target in fuzz builds (see
/// `AssetsData.swift`).
public enum EnvironmentsData {
    public static var familiesDirectory: URL? {
        guard let root = ProcessInfo.processInfo.environment["SHOAL_ROOT"] else { return nil }
        return URL(fileURLWithPath: root).appendingPathComponent("Environments").appendingPathComponent("families")
    }
}
