import Communication

/// The processes a run is spread over, and the few collective operations a ``Cohort`` and a
/// ``TrainingRun`` need from them. One process (``SingleProcess``) is the default; the `shoal`
/// executable supplies an MPI group when started by `mpirun`, from its `MPITransport` module,
/// so that the libraries never link MPI and the cohort never knows which one it has.
///
/// Agents are split into contiguous blocks, one per rank (``agentBlock(rank:ranks:agents:)``).
/// Every collective must be called by every rank at the same point, in the same order.
public protocol ProcessGroup: AnyObject {
    /// This process's index, 0 ..< ``size``; rank 0 hosts the controller and writes the run.
    var rank: Int { get }
    /// Number of processes.
    var size: Int { get }
    /// A transport between `agentCount` agents, this rank's block local, opening the channels
    /// `channels` declares, with `conditions` on every link.
    func makeTransport(agentCount: Int, channels: StrategyChannels, conditions: LinkConditions) throws -> any Transport
    /// Every rank's bytes, in rank order, on every rank.
    func allGather(_ bytes: [UInt8]) throws -> [[UInt8]]
    /// Every rank's bytes, in rank order, on rank 0 (empty elsewhere).
    func gather(_ bytes: [UInt8]) throws -> [[UInt8]]
    /// Rank 0's bytes, on every rank (the others' argument is ignored).
    func broadcast(_ bytes: [UInt8]) throws -> [UInt8]
    /// The element-wise sum over ranks of equal-length integer vectors, on every rank.
    func sum(_ values: [Int]) throws -> [Int]
}

extension ProcessGroup {
    /// Whether this is rank 0.
    public var isRoot: Bool { rank == 0 }
    /// This rank's agents among `agents`.
    public func block(agents: Int) -> Range<Int> { agentBlock(rank: rank, ranks: size, agents: agents) }

    /// Rank 0's value of `flag`, on every rank (to take the same branch everywhere).
    public func agree(_ flag: Bool) throws -> Bool {
        size == 1 ? flag : try broadcast([flag ? 1 : 0]).first == 1
    }

    /// Every rank reports whether it could go on; if any could not, every rank throws the same
    /// error: the first failing rank's message (named by rank unless it is rank 0's). Use it
    /// where an error might hit some ranks and not others, so that none is left waiting.
    public func agreeToContinue(_ failure: Error?) throws {
        guard size > 1 else { if let failure { throw failure }; return }
        var w = WireWriter()
        w.write(failure != nil)
        w.write(failure.map { String(describing: $0) } ?? "")
        for (r, bytes) in try allGather(w.bytes).enumerated() {
            var reader = WireReader(bytes)
            if try reader.readBool() {
                let message = try reader.readString()
                throw RankFailure(rank: r, message: message)
            }
        }
    }
}

/// An error one rank met and every rank reports (see ``ProcessGroup/agreeToContinue(_:)``).
public struct RankFailure: Error, CustomStringConvertible {
    public var rank: Int
    public var message: String
    public init(rank: Int, message: String) {
        self.rank = rank
        self.message = message
    }
    public var description: String { rank == 0 ? message : "rank \(rank): \(message)" }
}

/// Rank `rank`'s contiguous block of `agents` agents split over `ranks` ranks: agents
/// `⌊rank·N/K⌋ ..< ⌊(rank+1)·N/K⌋`, so blocks differ in size by at most one.
public func agentBlock(rank: Int, ranks: Int, agents: Int) -> Range<Int> {
    (rank * agents / ranks)..<((rank + 1) * agents / ranks)
}

/// The rank whose block holds `agent`.
public func rankOfAgent(_ agent: Int, ranks: Int, agents: Int) -> Int {
    // The largest r with ⌊r·N/K⌋ ≤ agent.
    var r = min(ranks - 1, (agent * ranks) / max(1, agents))
    while r > 0 && agentBlock(rank: r, ranks: ranks, agents: agents).lowerBound > agent { r -= 1 }
    while r + 1 < ranks && agentBlock(rank: r + 1, ranks: ranks, agents: agents).lowerBound <= agent { r += 1 }
    return r
}

/// One process: every agent and the controller here, messages in memory.
public final class SingleProcess: ProcessGroup {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func makeTransport(agentCount: Int, channels: StrategyChannels, conditions: LinkConditions) throws -> any Transport {
        InMemoryTransport(agentCount: agentCount, conditions: conditions, keepsRecords: false)
    }
    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] { [bytes] }
    public func gather(_ bytes: [UInt8]) throws -> [[UInt8]] { [bytes] }
    public func broadcast(_ bytes: [UInt8]) throws -> [UInt8] { bytes }
    public func sum(_ values: [Int]) throws -> [Int] { values }
}
