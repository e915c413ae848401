import Envs
import Foundation
import Locomotion

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tasks the C interface serves: the standard registry plus locomotion, built once.
///
/// The bundled data are read through Foundation's resource bundles, which abort the process when
/// a bundle is missing; so before touching them this checks that the bundles sit next to the
/// library (or the program), and reports a missing bundle as an error instead.
enum CAPIRegistry {
    static let bundleNames = ["Shoal_EnvironmentsData.resources", "Shoal_AssetsData.resources"]

    private static let loaded: Result<TaskRegistry, CAPIFailure> = {
        let folders = candidateFolders()
        guard folders.contains(where: { folder in
            bundleNames.allSatisfy { FileManager.default.fileExists(atPath: folder + "/" + $0) }
        }) else {
            return .failure(CAPIFailure(
                .internal,
                "Shoal's resource folders (\(bundleNames.joined(separator: ", "))) are not next to the library; "
                    + "load libShoalEnvsC from the folder it was built into (searched: \(folders.joined(separator: ", ")))"))
        }
        do {
            return .success(try TaskRegistry.standard.addingLocomotion())
        } catch {
            return .failure(CAPIFailure(.internal, "the task registry cannot be loaded: \(error)"))
        }
    }()

    /// The registry, or the failure that prevents loading it.
    static func registry() throws(CAPIFailure) -> TaskRegistry {
        try loaded.get()
    }

    /// The folder holding this library's code, and the program's folder.
    static func candidateFolders() -> [String] {
        var folders: [String] = []
        if let library = imagePath(containing: UInt(bitPattern: #dsohandle)) {
            folders.append(URL(fileURLWithPath: library).resolvingSymlinksInPath().deletingLastPathComponent().path)
        }
        folders.append(Bundle.main.bundleURL.resolvingSymlinksInPath().path)
        return folders
    }

    /// The file mapped at `address` in this process (Linux: from `/proc/self/maps`), if known.
    static func imagePath(containing address: UInt) -> String? {
        // Files under /proc report a size of 0, so read them to the end rather than by their size.
        guard let file = fopen("/proc/self/maps", "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, let dash = fields[0].firstIndex(of: "-"),
                  let start = UInt(fields[0][..<dash], radix: 16),
                  let end = UInt(fields[0][fields[0].index(after: dash)...], radix: 16),
                  address >= start && address < end else { continue }
            return fields[5...].joined(separator: " ")
        }
        return nil
    }
}
