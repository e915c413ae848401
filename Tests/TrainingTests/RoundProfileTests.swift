import ActorCritic
import Envs
import EnvsTesting
import Foundation
import Testing
import Training
import TrainingCatalogue

@Suite("Round profile: phase timers that change no number")
struct RoundProfileTests {
    let registry = try! TaskRegistry.standard.adding(TaskRegistry.testingTasks)

    func config(_ algorithm: String) -> RunConfig {
        var c = RunConfig()
        c.task = "testing/identity-v1"
        c.agents = 3
        c.copiesPerTask = 2
        c.topology = .complete
        c.rounds = 8
        c.checkpointEvery = 4
        c.logEvery = 2
        c.evalEpisodes = 2
        c.threads = 2
        c.algorithm = algorithm
        c.strategy = "diffusion-atc"
        c.algorithmSettings = TrainingRunTests.smallSettings[algorithm]!
        return c
    }

    /// Trains `config` (profiled or not) and returns the run directory and the profile.
    func train(_ config: RunConfig, profiling: Bool) throws -> (RunDirectory, RunProfile?) {
        let plan = try RunPlan(config: config, registry: registry, algorithms: .standard)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-profile-\(UUID().uuidString)").path
        let directory = try RunDirectory.create(at: path, force: false)
        try directory.writeConfig(plan.config)
        var session = try plan.algorithm.openRun(plan: plan, directory: directory, resume: false)
        if profiling {
            let enabled = session.setProfiling(true)
            #expect(enabled)
        }
        _ = try session.run(stopAfter: nil, progress: nil)
        return (directory, session.roundProfile)
    }

    func comparable(_ directory: RunDirectory) throws -> [JSONValue] {
        try directory.metricsLines().map { line in
            .object(line.objectPairs!.filter { !["wall_seconds", "perf/env_steps_per_second"].contains($0.key) })
        }
    }

    @Test("profiling on or off, the metrics and the final networks are bit-identical", arguments: ["a2c", "ppo", "siac"])
    func profilingChangesNoNumber(algorithm: String) throws {
        let (plain, none) = try train(config(algorithm), profiling: false)
        let (profiled, profile) = try train(config(algorithm), profiling: true)
        #expect(none == nil)
        #expect(try comparable(plain) == comparable(profiled))
        #expect(try comparable(plain).count == 4)
        let a = try #require(try plain.latestCheckpoint()), b = try #require(try profiled.latestCheckpoint())
        #expect(a.tensors.count == b.tensors.count)
        for (name, values) in a.tensors { #expect(b.tensors[name] == values, "\(algorithm): \(name) differs") }
        #expect(profile != nil)
    }

    @Test("every phase of A2C, PPO and SiAC is timed, and the phases add up to at most the round", arguments: ["a2c", "ppo", "siac"])
    func phasesAddUpToAtMostTheRound(algorithm: String) throws {
        let (_, found) = try train(config(algorithm), profiling: true)
        let p = try #require(found)
        #expect(p.rounds == 8)
        #expect(p.threads == 2 && p.learners == 3)
        for phase in RoundPhase.allCases { #expect(p.phaseSeconds[phase.rawValue] > 0, "\(algorithm): no time in \(phase.name)") }
        #expect(p.phaseSeconds.reduce(0, +) <= p.wallSeconds)
        #expect(p.largestAttributedFraction > 0 && p.largestAttributedFraction <= 1)
        #expect(p.environmentSteps > 0)
        // The passes name both networks, with their widths (16 hidden; the critic ends in one value).
        #expect(p.networks.count == 2 && p.networks[0].count == 3 && p.networks[0][1] == 16)
        #expect(p.networks[1].first == p.networks[0].first && p.networks[1].last == 1)
        #expect(Set(p.learnerTotals.passes.map(\.network)) == [0, 1])
        let passTime = p.learnerTotals.passes.reduce(UInt64(0)) { $0 + $1.forwardNanoseconds + $1.backwardNanoseconds }
        // The network passes are part of forward and backward, which also hold the policy head's math.
        #expect(passTime > 0)
        #expect(passTime < p.learnerTotals.nanoseconds[RoundPhase.forward.rawValue] + p.learnerTotals.nanoseconds[RoundPhase.backward.rawValue])
    }

    @Test("a profile that is off reads no clock and records nothing; shapes beyond its capacity are counted apart")
    func offRecordsNothing() {
        var off = RoundProfile()
        let t = off.start()
        #expect(t == 0)
        off.stopPass(.forward, since: t, network: 0, rows: 4)
        off.stop(.environment, since: t)
        #expect(off.nanoseconds == SIMD8(repeating: 0) && off.passes.isEmpty)
        var on = RoundProfile(enabled: true)
        for rows in 1...(RoundProfile.shapeCapacity + 3) { on.stopPass(.backward, since: on.start(), network: 1, rows: rows) }
        on.stopPass(.forward, since: on.start(), network: 1, rows: 1)
        #expect(on.passes.count == RoundProfile.shapeCapacity && on.untalliedPasses == 3)
        #expect(on.passes[0].forwardPasses == 1 && on.passes[0].backwardPasses == 1)
        var sum = RoundProfile(enabled: true)
        sum.add(on)
        sum.add(on)
        #expect(sum.passes[0].backwardPasses == 2 && sum.untalliedPasses == 6)
        sum.clear()
        #expect(sum.passes.isEmpty && sum.nanoseconds == SIMD8(repeating: 0) && sum.isEnabled)
    }
}
