/// Parameters of a finite family that can export its exact model.
public protocol TabularParameters: TaskParameters {
    /// The exact model of the task these parameters describe (see ``TabularModel``).
    func tabularModel() throws(EnvironmentError) -> TabularModel
}

/// A registered task whose every parameter value describes a finite MDP: the command line and
/// the exact tools (`Tabular`) reach the model through this, from an `any RegisteredTask`.
public protocol TabularTask: RegisteredTask {
    /// The model of the task with `assignment` (overrides, such as a variant) applied.
    func tabularModel(_ assignment: JSONValue, context: String) throws -> TabularModel
}

extension Task: TabularTask where V.Parameters: TabularParameters {
    public func tabularModel(_ assignment: JSONValue, context: String) throws -> TabularModel {
        try typedParameters(assignment, context: context).tabularModel()
    }
}
