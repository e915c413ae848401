import Communication
import Dispatch
import Envs

/// N learners, each with its own task set and seed, improving their policies in rounds and
/// talking through a communication strategy (Diff-DAC paper 000, Algorithm 1; DESIGN §5).
///
/// A round: every learner collects and adapts in parallel over threads (each learner owns its
/// environments, networks and generators, so the numbers do not depend on the thread count),
/// then the strategy exchanges and combines the flat parameter rows, the ledger counts every
/// message. Where the local step goes relative to the exchange is the strategy's
/// ``CommunicationStrategy/localStep`` (adapt-then-combine, combine-then-adapt, or a step the
/// strategy applies itself). The three architectures of the paper are configurations:
/// centralised (one learner whose batch holds every task), specialised (one learner per task,
/// ``NoCommunication``) and decentralised (one learner per task, a graph and a strategy).
///
/// **Across processes.** With a ``ProcessGroup`` of K ranks, this process holds only its block
/// ``localAgents`` of the ``agentCount`` agents (`learners[i]` is agent `localAgents.lowerBound
/// + i`); the transport the group supplies moves the messages, and every round's report is
/// assembled on every rank (each learner's report gathered in agent order, the counts summed),
/// so the run's bookkeeping is the same on every rank and equal to one process's.
public struct Cohort<L: Learner> {
    /// The local learners (all of them in one process).
    public var learners: [L]
    public var strategy: any CommunicationStrategy
    public private(set) var transport: any Transport
    /// What this process sent (its agents, and the controller on rank 0).
    public private(set) var ledger: MessageLedger
    var buffers: CohortBuffers
    /// Threads the learners are spread over.
    public var threads: Int
    /// The next round's index.
    public private(set) var round = 0
    /// Counts carried over from before a resume.
    var ledgerOffset = MessageLedger.Counts()
    /// Every process's counts of the rounds run so far, summed.
    var groupTotal = MessageLedger.Counts()
    /// The processes the agents are spread over.
    public let group: any ProcessGroup
    /// Number of agents in the whole cohort.
    public let agentCount: Int
    /// The agents whose learners live in this process.
    public let localAgents: Range<Int>
    /// The phase times of the rounds since profiling was switched on (nil: off; see ``setProfiling(_:)``).
    public internal(set) var profile: RunProfile?
    var exchangeProfile = RoundProfile(), roundLearnerProfile = RoundProfile()

    /// Messages, scalars and bytes sent since the run began (across resumptions), by every process.
    public var totalCounts: MessageLedger.Counts { groupTotal + ledgerOffset }

    /// A cohort of `learners`; with a `group` of several processes, `learners` are this rank's
    /// block of `agentCount` agents.
    public init(learners: [L], agentCount: Int? = nil, strategy: any CommunicationStrategy, links: LinkConditions = .perfect, threads: Int = 1,
                group: any ProcessGroup = SingleProcess()) throws {
        guard let first = learners.first else { throw TrainingError("a cohort needs at least one learner") }
        guard learners.allSatisfy({ $0.parameterCount == first.parameterCount }) else {
            throw TrainingError("every learner of a cohort must have the same network shapes, to mix parameters")
        }
        let n = agentCount ?? learners.count
        let block = group.block(agents: n)
        guard block.count == learners.count else {
            throw TrainingError("rank \(group.rank) of \(group.size) holds agents \(block.lowerBound)..<\(block.upperBound) but was given \(learners.count) learners")
        }
        self.learners = learners
        self.strategy = strategy
        self.threads = max(1, threads)
        self.group = group
        self.agentCount = n
        localAgents = block
        transport = try group.makeTransport(agentCount: n, channels: strategy.channels, conditions: links)
        ledger = MessageLedger(agentCount: n)
        buffers = CohortBuffers(agentCount: n, parameterCount: first.parameterCount)
    }

    /// Runs one round and returns what every learner did plus the round's communication.
    public mutating func runRound() throws -> CohortRoundReport {
        let n = learners.count
        let roundStart = profile == nil ? 0 : monotonicNanoseconds()
        var reports = [LearnerReport](repeating: LearnerReport(), count: n)
        var roundReport: RoundReport?
        switch strategy.localStep {
        case .beforeCommunication:
            try learnAll(into: &reports, writingSteps: false)
            try exchange(&roundReport)
        case .afterCommunication:
            try exchange(&roundReport)
            try learnAll(into: &reports, writingSteps: false)
        case .insideCommunication:
            try learnAll(into: &reports, writingSteps: true)
            try exchange(&roundReport, reports: reports)
        }
        let counts = ledger.total(round: round)
        // What the agents (not the controller) sent: who, how many messages, how many scalars.
        var senders = 0, agentMessages = 0, agentScalars = 0
        for k in localAgents {
            let c = ledger.counts(round: round, endpoint: k)
            if c.messages > 0 { senders += 1 }
            agentMessages += c.messages
            agentScalars += c.scalars
        }
        var summed = [counts.messages, counts.scalars, counts.bytes, roundReport?.missing.reduce(0) { $0 + $1.count } ?? 0,
                      senders, agentMessages, agentScalars]
        if group.size > 1 { (reports, summed) = try gatherReports(reports, counts: summed) }
        groupTotal = groupTotal + MessageLedger.Counts(messages: summed[0], scalars: summed[1], bytes: summed[2])
        round += 1
        if profile != nil { finishProfiledRound(since: roundStart, reports: reports) }
        return CohortRoundReport(round: round - 1, learners: reports, messages: summed[0], scalars: summed[1], bytes: summed[2],
                                 missing: summed[3], senders: summed[4], agentMessages: summed[5], agentScalars: summed[6])
    }

    /// Every rank's learner reports, in agent order, and the sums of every rank's `counts`, on
    /// every rank (one exchange).
    func gatherReports(_ local: [LearnerReport], counts: [Int]) throws -> ([LearnerReport], [Int]) {
        var w = WireWriter()
        w.write(counts.count)
        for c in counts { w.write(c) }
        w.write(local.count)
        for r in local { r.write(to: &w) }
        var all: [LearnerReport] = []
        all.reserveCapacity(agentCount)
        var sums = [Int](repeating: 0, count: counts.count)
        for bytes in try group.allGather(w.bytes) {
            var reader = WireReader(bytes)
            guard try reader.readCount(elementSize: 8) == counts.count else { throw TrainingError("the ranks reported different counts") }
            for i in sums.indices { sums[i] += try reader.readInt() }
            for _ in 0..<(try reader.readCount()) { all.append(try LearnerReport(from: &reader)) }
        }
        guard all.count == agentCount else { throw TrainingError("the ranks reported \(all.count) learners, expected \(agentCount)") }
        return (all, sums)
    }

    /// The local learners' flat parameter rows (every learner's in one process).
    public func parameterRows() -> [[Float]] {
        learners.map { l in
            var row: [Float] = []
            l.copyParameters(into: &row)
            return row
        }
    }

    /// Every agent's flat parameter row in agent order, on rank 0 (empty on the other ranks).
    /// Every rank must call it.
    public func gatherParameterRows() throws -> [[Float]] {
        guard group.size > 1 else { return parameterRows() }
        var w = WireWriter()
        let rows = parameterRows()
        w.write(rows.count)
        for row in rows { w.write(row) }
        var all: [[Float]] = []
        for bytes in try group.gather(w.bytes) {
            var reader = WireReader(bytes)
            for _ in 0..<(try reader.readCount()) { all.append(try reader.readFloats()) }
        }
        return all
    }

    /// Replaces every learner's parameters (resume) and restores the round counter.
    public mutating func restore(round: Int) { self.round = round }

    /// Copies the rows out, communicates, copies them back. For a strategy that reads returns,
    /// each learner's ``LearnerReport/perturbedReturn`` goes to `buffers.returns` first; for one
    /// that ``CommunicationStrategy/writesGradients``, each learner then applies its row of
    /// `buffers.updates` itself (nil when it missed the round's result).
    mutating func exchange(_ report: inout RoundReport?, reports: [LearnerReport] = []) throws {
        let o = localAgents.lowerBound
        let clock = exchangeProfile.start()
        defer { exchangeProfile.stop(.communication, since: clock) }
        for i in learners.indices { learners[i].copyParameters(into: &buffers.parameters[o + i]) }
        if strategy.inputs.contains(.returns) {
            for i in learners.indices {
                guard i < reports.count, let f = reports[i].perturbedReturn else {
                    throw TrainingError("strategy \(strategy.name) reads each agent's return, but learner \(o + i) reported none")
                }
                buffers.returns[o + i] = f
            }
        }
        let result = try strategy.communicate(round: round, buffers: &buffers, transport: &transport, ledger: &ledger)
        report = result
        for i in learners.indices { try learners[i].loadParameters(from: buffers.parameters[o + i]) }
        if strategy.writesGradients {
            for i in learners.indices {
                let k = o + i
                let heard = k < result.missing.count ? result.missing[k].isEmpty : true
                try learners[i].applyCommunicatedGradient(heard ? buffers.updates[k] : nil)
            }
        }
    }

    mutating func learnAll(into reports: inout [LearnerReport], writingSteps: Bool) throws {
        let n = learners.count
        var errors = [Error?](repeating: nil, count: n)
        let o = localAgents.lowerBound
        learners.withUnsafeMutableBufferPointer { learnerBuffer in
            buffers.updates[o..<(o + n)].withUnsafeMutableBufferPointer { updateBuffer in
                reports.withUnsafeMutableBufferPointer { reportBuffer in
                    errors.withUnsafeMutableBufferPointer { errorBuffer in
                        let (learners, updates, reports, errors) = (learnerBuffer, updateBuffer, reportBuffer, errorBuffer)
                        let work = { (k: Int) in
                            do {
                                if writingSteps {
                                    try updates[k].withUnsafeMutableBufferPointer { reports[k] = try learners[k].learn(step: $0) }
                                } else {
                                    reports[k] = try learners[k].learn(step: nil)
                                }
                            } catch { errors[k] = error }
                        }
                        let t = min(threads, n)
                        if t <= 1 {
                            for k in 0..<n { work(k) }
                        } else {
                            // Contiguous blocks of learners per thread; each learner's numbers are its own.
                            WorkerPool.shared.run(workers: t) { w in
                                for k in (w * n / t)..<((w + 1) * n / t) { work(k) }
                            }
                        }
                    }
                }
            }
        }
        if let error = errors.compactMap({ $0 }).first { throw error }
    }
}

/// What a cohort round did.
public struct CohortRoundReport {
    public var round: Int
    public var learners: [LearnerReport]
    /// Messages, scalars and bytes sent this round (every agent and the controller).
    public var messages: Int
    public var scalars: Int
    public var bytes: Int
    /// Messages that a link dropped.
    public var missing: Int
    /// Agents that sent at least one message this round (the controller not counted).
    public var senders: Int = 0
    /// Messages and scalars the agents sent (the controller's broadcasts not counted).
    public var agentMessages: Int = 0
    public var agentScalars: Int = 0
}

extension Cohort {
    /// Restores the ledger's running totals from a checkpoint (per-round detail restarts).
    public mutating func restoreLedgerTotals(messages: Int, scalars: Int, bytes: Int) {
        ledgerOffset = MessageLedger.Counts(messages: messages, scalars: scalars, bytes: bytes)
    }
}
