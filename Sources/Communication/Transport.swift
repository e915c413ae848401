/// Moves messages between agents, and between agents and a controller, in rounds.
///
/// This is the seam between communication *strategies* (what to send and how to
/// combine, see ``CommunicationStrategy``) and the machinery that moves bytes. It is
/// deliberately small so that an MPI implementation (one or more agents per rank,
/// neighbourhood collectives for graph exchanges, gather/broadcast for the controller)
/// can sit behind it.
///
/// **Endpoints.** Agents are endpoints `0 ..< agentCount`; endpoint ``controller``
/// (`== agentCount`) is the central controller used by centralised strategies.
///
/// **Calling contract.** Within one communication round a strategy calls:
/// 1. ``beginRound(_:)`` once, with the round index (0, 1, 2, … — rounds are explicit,
///    time never advances on its own). This discards the previous round's inboxes.
/// 2. Any number of *hops*, each made of
///    - ``send(_:from:to:)`` for every message of the hop (only from local endpoints),
///    - ``deliver()`` once, which ends the hop: every message that survives its link
///      is placed in its receiver's inbox; the others are dropped;
///    - ``inbox(of:)`` to read what a local endpoint received in this hop.
///    Diffusion uses one hop; a controller that gathers and then broadcasts uses two.
///
/// **Failures are part of the contract.** A message may be dropped (each directed
/// link independently per hop, see ``LinkConditions``) and a float payload may
/// arrive with noise added. A transport never invents, duplicates or reorders
/// content within a message; it may deliver the messages of one inbox in any order, so
/// a strategy must not depend on arrival order.
public protocol Transport {
    /// Number of agents (learner endpoints).
    var agentCount: Int { get }
    /// The agents whose strategy work runs in this process. All of them in memory.
    var localAgents: Range<Int> { get }
    /// Whether the controller endpoint runs in this process.
    var hostsController: Bool { get }

    /// Starts round `round`; previous inboxes are discarded.
    mutating func beginRound(_ round: Int)
    /// Queues `payload` from `source` to `destination` for the current hop.
    mutating func send(_ payload: Payload, from source: Int, to destination: Int)
    /// Ends the current hop: delivers every queued message that survives its link.
    /// - Throws: when a transport across processes cannot move the messages (a peer is gone,
    ///   a message goes to an agent its process was not told it talks to).
    mutating func deliver() throws
    /// The messages `endpoint` received in the most recent hop.
    func inbox(of endpoint: Int) -> [Envelope]

    /// Makes every agent's row of `rows` readable where the controller runs, for a controller
    /// that starts from the learners' mean (not a message of the algorithm: the ledger does not
    /// count it). In one process the rows are already there; a transport across processes
    /// gathers them. Every process calls it at the same point of the same round.
    mutating func shareRowsWithController(_ rows: inout [[Float]]) throws

    /// Makes the controller's `values` known to every process, for state the algorithm lets
    /// every learner know without a message of its own (LAPG's history `‖θ^{k+1} − θ^k‖²`, which
    /// each learner could compute from consecutive broadcasts). Not counted in the ledger; in
    /// one process a no-op. Every process calls it at the same point of the same round.
    mutating func shareFromController(_ values: inout [Double]) throws
}

extension Transport {
    /// The controller's endpoint index (`agentCount`).
    public var controller: Int { agentCount }

    public mutating func shareRowsWithController(_ rows: inout [[Float]]) throws {}
    public mutating func shareFromController(_ values: inout [Double]) throws {}

    /// The agents that chose to send this hop, where the controller runs: `local` (this
    /// process's senders) joined with every other process's (for the controller's report of
    /// uploads that were sent but did not arrive; not counted in the ledger).
    public mutating func sendersAtController(_ local: [Int]) throws -> Set<Int> {
        if localAgents.count == agentCount { return Set(local) }
        var flags = [[Float]](repeating: [0], count: agentCount)
        for k in local { flags[k] = [1] }
        try shareRowsWithController(&flags)
        return Set((0..<agentCount).filter { flags[$0].first == 1 })
    }
}
