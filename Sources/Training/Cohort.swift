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
public struct Cohort<L: Learner> {
    public var learners: [L]
    public var strategy: any CommunicationStrategy
    public private(set) var transport: InMemoryTransport
    public private(set) var ledger: MessageLedger
    var buffers: CohortBuffers
    /// Threads the learners are spread over.
    public var threads: Int
    /// The next round's index.
    public private(set) var round = 0
    /// Counts carried over from before a resume.
    var ledgerOffset = MessageLedger.Counts()

    /// Messages, scalars and bytes sent since the run began (across resumptions).
    public var totalCounts: MessageLedger.Counts { ledger.total + ledgerOffset }

    public init(learners: [L], strategy: any CommunicationStrategy, links: LinkConditions = .perfect, threads: Int = 1) throws {
        guard let first = learners.first else { throw TrainingError("a cohort needs at least one learner") }
        guard learners.allSatisfy({ $0.parameterCount == first.parameterCount }) else {
            throw TrainingError("every learner of a cohort must have the same network shapes, to mix parameters")
        }
        self.learners = learners
        self.strategy = strategy
        self.threads = max(1, threads)
        transport = InMemoryTransport(agentCount: learners.count, conditions: links, keepsRecords: false)
        ledger = MessageLedger(agentCount: learners.count)
        buffers = CohortBuffers(agentCount: learners.count, parameterCount: first.parameterCount)
    }

    /// Runs one round and returns what every learner did plus the round's communication.
    public mutating func runRound() throws -> CohortRoundReport {
        let n = learners.count
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
        for k in 0..<n {
            let c = ledger.counts(round: round, endpoint: k)
            if c.messages > 0 { senders += 1 }
            agentMessages += c.messages
            agentScalars += c.scalars
        }
        round += 1
        return CohortRoundReport(round: round - 1, learners: reports, messages: counts.messages, scalars: counts.scalars, bytes: counts.bytes,
                                 missing: roundReport?.missing.reduce(0) { $0 + $1.count } ?? 0,
                                 senders: senders, agentMessages: agentMessages, agentScalars: agentScalars)
    }

    /// Every learner's flat parameter row.
    public func parameterRows() -> [[Float]] {
        learners.map { l in
            var row: [Float] = []
            l.copyParameters(into: &row)
            return row
        }
    }

    /// Replaces every learner's parameters (resume) and restores the round counter.
    public mutating func restore(round: Int) { self.round = round }

    /// Copies the rows out, communicates, copies them back. For a strategy that reads returns,
    /// each learner's ``LearnerReport/perturbedReturn`` goes to `buffers.returns` first; for one
    /// that ``CommunicationStrategy/writesGradients``, each learner then applies its row of
    /// `buffers.updates` itself (nil when it missed the round's result).
    mutating func exchange(_ report: inout RoundReport?, reports: [LearnerReport] = []) throws {
        for k in learners.indices { learners[k].copyParameters(into: &buffers.parameters[k]) }
        if strategy.inputs.contains(.returns) {
            for k in learners.indices {
                guard k < reports.count, let f = reports[k].perturbedReturn else {
                    throw TrainingError("strategy \(strategy.name) reads each agent's return, but learner \(k) reported none")
                }
                buffers.returns[k] = f
            }
        }
        let result = try strategy.communicate(round: round, buffers: &buffers, transport: &transport, ledger: &ledger)
        report = result
        for k in learners.indices { try learners[k].loadParameters(from: buffers.parameters[k]) }
        if strategy.writesGradients {
            for k in learners.indices {
                let heard = k < result.missing.count ? result.missing[k].isEmpty : true
                try learners[k].applyCommunicatedGradient(heard ? buffers.updates[k] : nil)
            }
        }
    }

    mutating func learnAll(into reports: inout [LearnerReport], writingSteps: Bool) throws {
        let n = learners.count
        var errors = [Error?](repeating: nil, count: n)
        learners.withUnsafeMutableBufferPointer { learnerBuffer in
            buffers.updates.withUnsafeMutableBufferPointer { updateBuffer in
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
