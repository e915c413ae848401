import Envs
import EnvsTesting
import Testing
@testable import Locomotion

/// Every locomotion task passes the team's environment checker.
@Suite struct LocomotionCatalogueTests {
    @Test(arguments: TaskRegistry.locomotionTasks.map(\.id.description))
    func passesTheEnvironmentChecker(_ id: String) throws {
        let registry = try TaskRegistry().addingLocomotion()
        try EnvironmentChecker().check(task: try registry.task(id))
    }
}
