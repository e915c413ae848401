extension GridWorld.Parameters: TabularParameters {
    /// The exact model of this grid world (compiled once, see ``GridWorldDynamics``).
    public func tabularModel() throws(EnvironmentError) -> TabularModel {
        try GridWorldDynamics.compiled(self).tabularModel()
    }
}
