import CMPI
import Communication
import Training

/// The ranks of `MPI_COMM_WORLD` as a ``ProcessGroup``: collectives over the world
/// communicator, and ``MPIMessageTransport`` for a cohort's messages.
public final class MPIGroup: ProcessGroup {
    public let rank: Int
    public let size: Int

    init(rank: Int, size: Int) {
        self.rank = rank
        self.size = size
    }

    public func makeTransport(agentCount: Int, channels: StrategyChannels, conditions: LinkConditions) throws -> any Transport {
        try MPIMessageTransport(group: self, agentCount: agentCount, channels: channels, conditions: conditions)
    }

    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] {
        try MPIRuntime.collective("MPI_Allgatherv") {
            var mine = Int64(bytes.count)
            var sizes = [Int64](repeating: 0, count: size)
            try MPIRuntime.check(MPI_Allgather(&mine, 1, cmpi_int64(), &sizes, 1, cmpi_int64(), cmpi_comm_world()), "MPI_Allgather")
            let (counts, displacements, total) = try layout(sizes)
            var all = [UInt8](repeating: 0, count: total)
            try bytes.withUnsafeBytes { send in
                try all.withUnsafeMutableBytes { recv in
                    try MPIRuntime.check(MPI_Allgatherv(send.baseAddress, Int32(bytes.count), cmpi_byte(), recv.baseAddress, counts, displacements,
                                                        cmpi_byte(), cmpi_comm_world()), "MPI_Allgatherv")
                }
            }
            return split(all, counts, displacements)
        }
    }

    public func gather(_ bytes: [UInt8]) throws -> [[UInt8]] {
        try MPIRuntime.collective("MPI_Gatherv") {
            var mine = Int64(bytes.count)
            var sizes = [Int64](repeating: 0, count: rank == 0 ? size : 0)
            try MPIRuntime.check(MPI_Gather(&mine, 1, cmpi_int64(), &sizes, 1, cmpi_int64(), 0, cmpi_comm_world()), "MPI_Gather")
            let (counts, displacements, total) = try layout(rank == 0 ? sizes : [])
            var all = [UInt8](repeating: 0, count: max(total, 1))
            try bytes.withUnsafeBytes { send in
                try all.withUnsafeMutableBytes { recv in
                    try MPIRuntime.check(MPI_Gatherv(send.baseAddress, Int32(bytes.count), cmpi_byte(), recv.baseAddress, counts, displacements,
                                                     cmpi_byte(), 0, cmpi_comm_world()), "MPI_Gatherv")
                }
            }
            return rank == 0 ? split(all, counts, displacements) : []
        }
    }

    public func broadcast(_ bytes: [UInt8]) throws -> [UInt8] {
        try MPIRuntime.collective("MPI_Bcast") {
            var count = Int64(rank == 0 ? bytes.count : 0)
            try MPIRuntime.check(MPI_Bcast(&count, 1, cmpi_int64(), 0, cmpi_comm_world()), "MPI_Bcast")
            guard count > 0 else { return [] }
            guard count <= Int64(Int32.max) else { throw MPIError("a broadcast of \(count) bytes exceeds MPI's count limit") }
            var buffer = rank == 0 ? bytes : [UInt8](repeating: 0, count: Int(count))
            try buffer.withUnsafeMutableBytes { b in
                try MPIRuntime.check(MPI_Bcast(b.baseAddress, Int32(count), cmpi_byte(), 0, cmpi_comm_world()), "MPI_Bcast")
            }
            return buffer
        }
    }

    public func sum(_ values: [Int]) throws -> [Int] {
        try MPIRuntime.collective("MPI_Allreduce") {
            var send = values.map(Int64.init)
            var recv = [Int64](repeating: 0, count: values.count)
            try MPIRuntime.check(MPI_Allreduce(&send, &recv, Int32(values.count), cmpi_int64(), cmpi_sum(), cmpi_comm_world()), "MPI_Allreduce")
            return recv.map(Int.init)
        }
    }
}

/// Counts and displacements (MPI's `int`) for blocks of `sizes` bytes laid end to end.
func layout(_ sizes: [Int64]) throws -> (counts: [Int32], displacements: [Int32], total: Int) {
    var counts: [Int32] = [], displacements: [Int32] = []
    var total: Int64 = 0
    for s in sizes {
        guard total + s <= Int64(Int32.max) else { throw MPIError("one exchange of \(total + s) bytes exceeds MPI's count limit (2 GiB)") }
        counts.append(Int32(s))
        displacements.append(Int32(total))
        total += s
    }
    return (counts, displacements, Int(total))
}

/// The blocks of `all` at `displacements` with `counts` bytes.
func split(_ all: [UInt8], _ counts: [Int32], _ displacements: [Int32]) -> [[UInt8]] {
    zip(counts, displacements).map { c, d in Array(all[Int(d)..<Int(d + c)]) }
}
