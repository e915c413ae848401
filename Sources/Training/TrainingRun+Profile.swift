extension TrainingRun {
    /// Times every round's phases (see ``RunProfile``); the numbers of the run do not change.
    public mutating func setProfiling(_ on: Bool) -> Bool {
        cohort.setProfiling(on)
        return true
    }

    public var roundProfile: RunProfile? { cohort.profile }
}
