import Envs
import EnvsTesting
import Foundation
import Locomotion

/// The registry the command line works with: the standard tasks plus the task families that
/// live in modules of their own, and any family files the user adds with `--data-dir`.
func cliRegistry(dataDirectory: String? = nil) throws -> TaskRegistry {
    var registry = try TaskRegistry.standard.adding(TaskRegistry.testingTasks)
    registry = try registry.addingLocomotion()
    if let dataDirectory {
        registry = try registry.loadingFamilyFiles(in: URL(fileURLWithPath: dataDirectory))
    }
    return registry
}
