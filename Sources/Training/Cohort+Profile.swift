extension Cohort {
    /// Switches the phase timers of the cohort and its learners on (a fresh ``RunProfile``) or
    /// off. The timers read clocks only: the run's numbers are the same either way.
    public mutating func setProfiling(_ on: Bool) {
        for i in learners.indices { learners[i].setProfiling(on) }
        exchangeProfile = RoundProfile(enabled: on)
        roundLearnerProfile = RoundProfile(enabled: on)
        profile = on ? RunProfile(threads: min(threads, learners.count), learners: learners.count,
                                  networks: learners.first?.profiledNetworks ?? []) : nil
    }

    /// Closes a profiled round that began at `start` (nanoseconds): gathers the learners' times.
    mutating func finishProfiledRound(since start: UInt64, reports: [LearnerReport]) {
        guard profile != nil else { return }
        for i in learners.indices { learners[i].drainProfile(into: &roundLearnerProfile) }
        let wall = monotonicNanoseconds() &- start
        var steps = 0
        for r in reports { steps += r.environmentSteps }
        profile?.addRound(wallNanoseconds: wall, learnerTimes: roundLearnerProfile, communication: exchangeProfile, steps: steps)
        roundLearnerProfile.clear()
        exchangeProfile.clear()
    }
}
