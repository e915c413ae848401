extension Graph {
    /// The agents reachable from `start` (breadth-first), as a membership mask.
    public func reachable(from start: Int) -> [Bool] {
        var seen = [Bool](repeating: false, count: agentCount)
        var queue = [start]
        seen[start] = true
        var head = 0
        while head < queue.count {
            let v = queue[head]
            head += 1
            for w in neighbours[v] where !seen[w] {
                seen[w] = true
                queue.append(w)
            }
        }
        return seen
    }

    /// Whether every agent can reach every other (connected = strongly connected here).
    public var isConnected: Bool { reachable(from: 0).allSatisfy { $0 } }

    /// Throws unless the graph is connected.
    /// - Throws: ``CommunicationError/disconnectedGraph(agents:unreachable:)``.
    public func requireConnected() throws {
        let seen = reachable(from: 0)
        let unreachable = seen.indices.filter { !seen[$0] }
        if !unreachable.isEmpty {
            throw CommunicationError.disconnectedGraph(agents: agentCount, unreachable: unreachable)
        }
    }
}
