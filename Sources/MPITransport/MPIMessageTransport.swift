import CMPI
import Communication
import Training

/// A ``Transport`` across the ranks of an MPI job: agents in contiguous blocks, one block per
/// rank (``agentBlock(rank:ranks:agents:)``), the controller on rank 0.
///
/// Each hop (``deliver()``) moves the messages in up to three steps, the same on every rank:
/// 1. messages between agents of this rank go from sender to inbox in memory;
/// 2. messages between agents of different ranks go over a distributed-graph communicator
///    (`MPI_Dist_graph_create_adjacent`) whose edges are the rank pairs the strategy's graph
///    crosses: `MPI_Neighbor_alltoall` of the byte counts, then `MPI_Neighbor_alltoallv` of
///    the messages, so each rank talks only to its neighbour ranks and moves
///    O(crossing edges × parameters) bytes;
/// 3. messages between agents and the controller: `MPI_Gatherv` to rank 0, `MPI_Bcast` from it.
///
/// Links behave exactly as in memory: the sender skips a message its link drops (the draw is
/// ``LinkConditions/drops(round:hop:source:destination:)``, a function of the seed, round, hop and
/// endpoints), the receiver adds the link's noise (``LinkConditions/received(_:round:hop:source:destination:)``).
/// A row sent from one agent to several agents of the same rank crosses once, with the list of
/// its receivers. Payload floats cross as their exact bits.
public struct MPIMessageTransport: Transport {
    public let agentCount: Int
    public let localAgents: Range<Int>
    public var hostsController: Bool { rank == 0 }
    public let rank: Int
    public let size: Int
    public let conditions: LinkConditions
    let usesController: Bool
    let graph: RankGraph?

    /// Bytes this rank handed to MPI since it was made: to neighbour ranks, and in the controller's
    /// gather and broadcast (a broadcast counted once per receiving rank).
    public private(set) var neighbourBytesSent = 0
    public private(set) var controllerBytesSent = 0

    private var round = -1
    private var hop = 0
    private var pending: [Envelope] = []
    private var inboxes: [[Envelope]]

    /// Builds the distributed-graph communicator (collective: every rank calls it).
    init(group: MPIGroup, agentCount: Int, channels: StrategyChannels, conditions: LinkConditions) throws {
        self.agentCount = agentCount
        rank = group.rank
        size = group.size
        localAgents = agentBlock(rank: rank, ranks: size, agents: agentCount)
        self.conditions = conditions
        usesController = channels.usesController && size > 1
        inboxes = [[Envelope]](repeating: [], count: agentCount + 1)
        graph = try RankGraph.make(channels: channels, agents: agentCount, rank: rank, size: size)
    }

    public mutating func beginRound(_ round: Int) {
        self.round = round
        hop = 0
        pending.removeAll(keepingCapacity: true)
        for i in inboxes.indices { inboxes[i].removeAll(keepingCapacity: true) }
    }

    public mutating func send(_ payload: Payload, from source: Int, to destination: Int) {
        pending.append(Envelope(source: source, destination: destination, payload: payload))
    }

    public func inbox(of endpoint: Int) -> [Envelope] { inboxes[endpoint] }

    func owner(_ endpoint: Int) -> Int { endpoint == agentCount ? 0 : rankOfAgent(endpoint, ranks: size, agents: agentCount) }

    public mutating func deliver() throws {
        for i in inboxes.indices { inboxes[i].removeAll(keepingCapacity: true) }
        var toNeighbours = [[Outgoing]](repeating: [], count: graph?.destinations.count ?? 0)
        var toRoot: [Outgoing] = []
        var fromRoot: [Outgoing] = []
        let c = agentCount
        for e in pending {
            guard e.source >= 0, e.source <= c, e.destination >= 0, e.destination <= c else {
                throw CommunicationError.shapeMismatch("a message from endpoint \(e.source) to \(e.destination) names no endpoint of \(c) agents and a controller")
            }
            guard e.source == c ? hostsController : localAgents.contains(e.source) else {
                throw CommunicationError.shapeMismatch("rank \(rank) sent a message from endpoint \(e.source), which runs on another rank")
            }
            if conditions.drops(round: round, hop: hop, source: e.source, destination: e.destination) { continue }
            let target = owner(e.destination)
            if target == rank {
                inboxes[e.destination].append(Envelope(source: e.source, destination: e.destination, payload:
                    conditions.received(e.payload, round: round, hop: hop, source: e.source, destination: e.destination)))
            } else if e.source == c || e.destination == c {
                guard usesController else {
                    throw CommunicationError.shapeMismatch("the strategy declared no controller but sent from \(e.source) to \(e.destination)")
                }
                if rank == 0 { fromRoot.add(e) } else { toRoot.add(e) }
            } else {
                guard let graph, let j = graph.destinations.firstIndex(of: Int32(target)) else {
                    throw CommunicationError.shapeMismatch("agent \(e.source) sent to agent \(e.destination) on rank \(target), a link the strategy's graph does not have")
                }
                toNeighbours[j].add(e)
            }
        }
        pending.removeAll(keepingCapacity: true)
        if let graph { try exchangeWithNeighbours(graph, toNeighbours) }
        if usesController { try exchangeWithController(toRoot: toRoot, fromRoot: fromRoot) }
        hop += 1
    }

    /// Step 2: the neighbourhood collectives.
    private mutating func exchangeWithNeighbours(_ graph: RankGraph, _ outgoing: [[Outgoing]]) throws {
        var w = WireWriter()
        var sendSizes: [Int64] = []
        for list in outgoing {
            let before = w.bytes.count
            write(list, to: &w)
            sendSizes.append(Int64(w.bytes.count - before))
        }
        let sendBytes = w.bytes
        neighbourBytesSent += sendBytes.count
        var recvSizes = [Int64](repeating: 0, count: graph.sources.count)
        try MPIRuntime.collective("MPI_Neighbor_alltoall") {
            try MPIRuntime.check(MPI_Neighbor_alltoall(sendSizes, 1, cmpi_int64(), &recvSizes, 1, cmpi_int64(), graph.comm), "MPI_Neighbor_alltoall")
        }
        let (sendCounts, sendDisplacements, _) = try layout(sendSizes)
        let (recvCounts, recvDisplacements, total) = try layout(recvSizes)
        var received = [UInt8](repeating: 0, count: max(total, 1))
        try MPIRuntime.collective("MPI_Neighbor_alltoallv") {
            try sendBytes.withUnsafeBytes { s in
                try received.withUnsafeMutableBytes { r in
                    try MPIRuntime.check(MPI_Neighbor_alltoallv(s.baseAddress, sendCounts, sendDisplacements, cmpi_byte(),
                                                                r.baseAddress, recvCounts, recvDisplacements, cmpi_byte(), graph.comm),
                                         "MPI_Neighbor_alltoallv")
                }
            }
        }
        for (count, displacement) in zip(recvCounts, recvDisplacements) {
            var reader = WireReader(received, offset: Int(displacement), end: Int(displacement + count))
            try read(&reader)
        }
    }

    /// Step 3: uploads gathered on rank 0, the controller's messages broadcast from it.
    private mutating func exchangeWithController(toRoot: [Outgoing], fromRoot: [Outgoing]) throws {
        let group = MPIGroup(rank: rank, size: size)
        var up = WireWriter()
        write(toRoot, to: &up)
        if rank != 0 { controllerBytesSent += up.bytes.count }
        for bytes in try group.gather(up.bytes) {
            var reader = WireReader(bytes)
            try read(&reader)
        }
        var down = WireWriter()
        if rank == 0 {
            write(fromRoot, to: &down)
            controllerBytesSent += down.bytes.count * (size - 1)
        }
        let message = try group.broadcast(down.bytes)
        if rank != 0, !message.isEmpty {
            var reader = WireReader(message)
            try read(&reader, onlyLocal: true)
        }
    }

    private func write(_ list: [Outgoing], to w: inout WireWriter) {
        w.write(list.count)
        for o in list {
            w.write(o.source)
            w.write(o.destinations.count)
            for d in o.destinations { w.write(d) }
            switch o.payload {
            case let .floats(v):
                w.write(true)
                w.write(v)
            case let .bytes(b):
                w.write(false)
                w.write(b)
            }
        }
    }

    /// Unpacks messages into the inboxes of their local receivers (with `onlyLocal`, receivers
    /// on other ranks are skipped: a broadcast lists every rank's).
    private mutating func read(_ r: inout WireReader, onlyLocal: Bool = false) throws {
        let c = agentCount
        for _ in 0..<(try r.readCount()) {
            let source = try r.readInt()
            var destinations: [Int] = []
            for _ in 0..<(try r.readCount(elementSize: 8)) { destinations.append(try r.readInt()) }
            let payload: Payload = try r.readBool() ? .floats(try r.readFloats()) : .bytes(try r.readBytes())
            guard source >= 0, source <= c else { throw CommunicationError.shapeMismatch("rank \(rank) received a message from no endpoint (\(source))") }
            for d in destinations {
                let here = d == c ? hostsController : localAgents.contains(d)
                guard here else {
                    if onlyLocal { continue }
                    throw CommunicationError.shapeMismatch("rank \(rank) received a message for endpoint \(d), which runs on another rank")
                }
                inboxes[d].append(Envelope(source: source, destination: d, payload:
                    conditions.received(payload, round: round, hop: hop, source: source, destination: d)))
            }
        }
    }

    public mutating func shareFromController(_ values: inout [Double]) throws {
        guard size > 1 else { return }
        var w = WireWriter()
        w.write(values.count)
        for v in values { w.write(v) }
        var r = WireReader(try MPIGroup(rank: rank, size: size).broadcast(w.bytes))
        var out: [Double] = []
        for _ in 0..<(try r.readCount(elementSize: 8)) { out.append(try r.readDouble()) }
        values = out
    }

    public mutating func shareRowsWithController(_ rows: inout [[Float]]) throws {
        guard size > 1 else { return }
        var w = WireWriter()
        w.write(localAgents.count)
        for k in localAgents {
            w.write(k)
            w.write(rows[k])
        }
        for bytes in try MPIGroup(rank: rank, size: size).gather(w.bytes) {
            var r = WireReader(bytes)
            for _ in 0..<(try r.readCount()) {
                let k = try r.readInt()
                guard k >= 0, k < rows.count else { throw CommunicationError.shapeMismatch("rank \(rank) received row \(k) of \(rows.count)") }
                rows[k] = try r.readFloats()
            }
        }
    }
}

/// Messages bound for one rank, with the rows sent by one agent to several of its agents merged.
struct Outgoing {
    var source: Int
    var payload: Payload
    var destinations: [Int]
}

extension Array where Element == Outgoing {
    mutating func add(_ e: Envelope) {
        if let last = self.last, last.source == e.source, last.payload == e.payload {
            self[count - 1].destinations.append(e.destination)
        } else {
            append(Outgoing(source: e.source, payload: e.payload, destinations: [e.destination]))
        }
    }
}

/// The ranks this rank exchanges agent messages with, and the distributed-graph communicator
/// over those pairs.
final class RankGraph {
    let comm: MPI_Comm
    /// In-neighbour ranks (who sends to this rank), ascending: the order blocks arrive in.
    let sources: [Int32]
    /// Out-neighbour ranks, ascending: the order blocks are sent in.
    let destinations: [Int32]

    private init(comm: MPI_Comm, sources: [Int32], destinations: [Int32]) {
        self.comm = comm
        self.sources = sources
        self.destinations = destinations
    }

    /// Nil when no agent link crosses ranks (a conclusion every rank reaches alike, so either every
    /// rank creates the communicator or none does).
    static func make(channels: StrategyChannels, agents: Int, rank: Int, size: Int) throws -> RankGraph? {
        guard size > 1, channels.usesAgentLinks else { return nil }
        // links[a][b]: some agent of rank a sends to some agent of rank b.
        var links = [[Bool]](repeating: [Bool](repeating: false, count: size), count: size)
        if let destinations = channels.agentDestinations {
            guard destinations.count == agents else {
                throw CommunicationError.shapeMismatch("the strategy lists destinations for \(destinations.count) agents, the run has \(agents)")
            }
            for (k, list) in destinations.enumerated() {
                let a = rankOfAgent(k, ranks: size, agents: agents)
                for d in list where d >= 0 && d < agents { links[a][rankOfAgent(d, ranks: size, agents: agents)] = true }
            }
        } else {
            for a in 0..<size { for b in 0..<size { links[a][b] = true } }
        }
        var crossing = false
        for a in 0..<size { for b in 0..<size where a != b && links[a][b] { crossing = true } }
        guard crossing else { return nil }
        let sources = (0..<size).filter { $0 != rank && links[$0][rank] }.map(Int32.init)
        let destinations = (0..<size).filter { $0 != rank && links[rank][$0] }.map(Int32.init)
        var comm: MPI_Comm? = cmpi_comm_null()
        try MPIRuntime.collective("MPI_Dist_graph_create_adjacent") {
            try MPIRuntime.check(MPI_Dist_graph_create_adjacent(cmpi_comm_world(), Int32(sources.count), sources, cmpi_unweighted(),
                                                                Int32(destinations.count), destinations, cmpi_unweighted(),
                                                                cmpi_info_null(), 0, &comm), "MPI_Dist_graph_create_adjacent")
        }
        guard let comm else { throw MPIError("MPI_Dist_graph_create_adjacent returned no communicator") }
        return RankGraph(comm: comm, sources: sources, destinations: destinations)
    }
}
