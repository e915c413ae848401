import EnvironmentsData
import Foundation

extension TaskRegistry {
    /// Every task implemented in Swift in this module, one line each.
    public static var builtInTasks: [any RegisteredTask] {
        classicControlTasks + gridWorldTasks + randomMDPTasks + navigationTasks + particleTasks
    }

    /// The built-in tasks plus the variants and task sets of the bundled family files
    /// (`Environments/families/*.json`).
    public static var standard: TaskRegistry {
        get throws { try standardResult.get() }
    }

    private static let standardResult: Result<TaskRegistry, RegistryError> = Result { () throws(RegistryError) -> TaskRegistry in
        let registry = try TaskRegistry().adding(builtInTasks)
        guard let folder = EnvironmentsData.familiesDirectory else {
            throw RegistryError("the bundled family files are missing (resource bundle not found next to the program)")
        }
        return try registry.loadingFamilyFiles(in: folder)
    }
}
