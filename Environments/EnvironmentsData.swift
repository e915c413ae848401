import Foundation

/// The task-family data files shipped with Shoal (`Environments/families/*.json`).
public enum EnvironmentsData {
    /// The folder that holds the bundled family files, or `nil` if the resource bundle is missing.
    public static var familiesDirectory: URL? {
        Bundle.module.url(forResource: "families", withExtension: nil)
    }
}
