import Envs
import EnvsTesting
import Testing

/// Every registered task keeps the vector-environment contract (dm_control's suite test).
@Suite("Catalogue")
struct CatalogueTests {
    /// Every standard task; if the registry cannot load, one case whose lookup throws the load
    /// error, so the catalogue test fails instead of running zero cases.
    static let ids: [String] = (try? TaskRegistry.standard)?.ids.map(\.description) ?? ["the standard registry failed to load"]

    @Test("the standard registry loads and lists the classic-control tasks")
    func standardRegistry() throws {
        let ids = try TaskRegistry.standard.ids.map(\.description)
        for id in ["pendulum-v1", "cart-pole-v1", "cart-pole/continuous-v1", "cart-pole/swing-up-v1", "acrobot-v1"] {
            #expect(ids.contains(id))
        }
    }

    @Test("every task passes the environment checker", arguments: ids)
    func check(id: String) throws {
        try EnvironmentChecker().check(task: try TaskRegistry.standard.task(id))
    }
}

/// Deliberately broken environments: the checker must reject each one.
@Suite("The checker rejects broken environments")
struct CheckerRejectsBrokenTests {
    /// Forgets to mark episode starts after an autoreset.
    struct ForgetsEpisodeStart: VectorEnvironment {
        var base: PendulumVector
        var count: Int { base.count }
        var observationSpace: Space { base.observationSpace }
        var actionSpace: Space { base.actionSpace }
        mutating func reset(seed: UInt64, into batch: inout StepBatch) { base.reset(seed: seed, into: &batch) }
        mutating func step(_ actions: [Float], into batch: inout StepBatch) throws(EnvironmentError) {
            try base.step(actions, into: &batch)
            for r in 0..<count { batch.episodeStart[r] = false }
        }
    }

    /// Ignores the seed (a global counter decides the start states).
    struct IgnoresSeed: VectorEnvironment {
        nonisolated(unsafe) static var calls: UInt64 = 0
        var base: PendulumVector
        var count: Int { base.count }
        var observationSpace: Space { base.observationSpace }
        var actionSpace: Space { base.actionSpace }
        mutating func reset(seed: UInt64, into batch: inout StepBatch) {
            Self.calls += 1
            base.reset(seed: Self.calls, into: &batch)
        }
        mutating func step(_ actions: [Float], into batch: inout StepBatch) throws(EnvironmentError) { try base.step(actions, into: &batch) }
    }

    /// Truncates one step late.
    struct TruncatesLate: VectorEnvironment {
        var base: PendulumVector
        var count: Int { base.count }
        var observationSpace: Space { base.observationSpace }
        var actionSpace: Space { base.actionSpace }
        mutating func reset(seed: UInt64, into batch: inout StepBatch) { base.reset(seed: seed, into: &batch) }
        mutating func step(_ actions: [Float], into batch: inout StepBatch) throws(EnvironmentError) { try base.step(actions, into: &batch) }
    }

    func pendulums(limit: Int) throws -> PendulumVector {
        var p = Pendulum.Parameters()
        p.maxEpisodeSteps = limit
        return try PendulumVector(parameters: [Pendulum.Parameters](repeating: p, count: 6), firstIndex: 0)
    }

    @Test func rejectsMissingEpisodeStart() throws {
        let failure = #expect(throws: CheckFailure.self) {
            try EnvironmentChecker().check(timeLimit: 9) { _ in ForgetsEpisodeStart(base: try pendulums(limit: 9)) }
        }
        #expect(failure?.message.contains("episodeStart") == true)
    }

    @Test func rejectsIgnoredSeed() throws {
        let failure = #expect(throws: CheckFailure.self) {
            try EnvironmentChecker().check(timeLimit: 9) { _ in IgnoresSeed(base: try pendulums(limit: 9)) }
        }
        #expect(failure?.message.contains("same seed") == true)
    }

    @Test func rejectsWrongTruncation() throws {
        // The environment truncates at 10 while the checker is told the limit is 9.
        let failure = #expect(throws: CheckFailure.self) {
            try EnvironmentChecker().check(timeLimit: 9) { _ in TruncatesLate(base: try pendulums(limit: 10)) }
        }
        #expect(failure?.message.contains("truncated") == true)
    }

    @Test func acceptsTheCorrectOne() throws {
        try EnvironmentChecker().check(timeLimit: 9) { threads in
            var p = Pendulum.Parameters()
            p.maxEpisodeSteps = 9
            return try Task<PendulumVector>("pendulum-v1", summary: "", source: "").makeTypedVector([Pendulum.Parameters](repeating: p, count: 6), threads: threads)
        }
    }
}
