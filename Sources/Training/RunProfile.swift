/// Where the rounds of a run went, phase by phase (a ``Cohort`` with profiling on; `shoal bench
/// train` prints it).
///
/// **Attribution.** Each learner times its own phases (environment steps, forward and backward:
/// network passes and the action distribution's math, optimiser); in a round those times are summed over the learners and divided
/// by the threads the learners ran on, `min(threads, learners)`. The exchange (communication)
/// runs on one thread and counts as measured. A round's wall time is that of
/// ``Cohort/runRound()``; "everything else" is the wall time minus the attributed phases, so it
/// holds the unnamed work (rollout copies, losses, advantages, reports, waking the workers) and
/// any time a thread waited for the others. ``learnerTotals``' passes time the MLPs alone.
public struct RunProfile: Sendable {
    public var rounds = 0
    /// Wall seconds of the rounds, summed.
    public var wallSeconds = 0.0
    /// Attributed seconds per ``RoundPhase`` (by raw value), summed over rounds.
    public var phaseSeconds = [Double](repeating: 0, count: RoundPhase.allCases.count)
    /// The largest fraction of one round's wall time that its attributed phases took.
    public var largestAttributedFraction = 0.0
    /// Threads the learners ran on, and the number of learners.
    public var threads: Int
    public var learners: Int
    public var environmentSteps = 0
    /// The learners' own profiles summed over learners and rounds (learner-seconds, not divided
    /// by threads): the network passes by shape.
    public var learnerTotals = RoundProfile(enabled: true)
    /// The layer widths of the networks the passes name (0 actor, 1 critic).
    public var networks: [[Int]]

    public init(threads: Int, learners: Int, networks: [[Int]]) {
        self.threads = threads
        self.learners = learners
        self.networks = networks
    }

    /// Seconds of the rounds not attributed to a phase.
    public var otherSeconds: Double { max(0, wallSeconds - phaseSeconds.reduce(0, +)) }

    /// Adds one round: `learnerTimes` summed over the learners, `communication` as measured.
    public mutating func addRound(wallNanoseconds: UInt64, learnerTimes: RoundProfile, communication: RoundProfile, steps: Int) {
        let wall = Double(wallNanoseconds) / 1e9
        var attributed = 0.0
        for phase in RoundPhase.allCases {
            let share = learnerTimes.seconds(phase) / Double(threads) + communication.seconds(phase)
            phaseSeconds[phase.rawValue] += share
            attributed += share
        }
        if wall > 0 { largestAttributedFraction = max(largestAttributedFraction, attributed / wall) }
        wallSeconds += wall
        rounds += 1
        environmentSteps += steps
        learnerTotals.add(learnerTimes)
    }
}
