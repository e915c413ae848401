import Foundation

/// Bodies, maps and experiment presets shipped with Shoal (`Assets/`).
public enum AssetsData {
    /// The bundled `Assets/<name>` folder (`bodies`, `maps`, `experiments`), or `nil` if missing.
    public static func directory(_ name: String) -> URL? {
        Bundle.module.url(forResource: name, withExtension: nil)
    }
}
