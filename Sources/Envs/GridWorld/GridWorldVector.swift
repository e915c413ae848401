/// The native vector of ``GridWorld``: `count` cells stepped by table lookup, with the same
/// streams, autoreset, time limits and statistics as `SerialVector<GridWorld>` (tested equal
/// row by row). Copies may carry different parameters (maps of one size and one observation
/// kind); each distinct parameter value is compiled once.
public struct GridWorldVector: ParametricVector, RowSteppingVector {
    public typealias Parameters = GridWorld.Parameters

    @usableFromInline var cells: [Int32]
    @usableFromInline var generators: [RandomGenerator]
    @usableFromInline var tracker: EpisodeTracker
    /// Per row: index into ``dynamics``.
    @usableFromInline let dynamicsIndex: [Int32]
    @usableFromInline let limits: [Int32]
    /// Keeps the tables alive; ``tables`` points into them.
    @usableFromInline let dynamics: [GridWorldDynamics]
    @usableFromInline let tables: [GridWorldTable]
    public let firstIndex: Int
    public let observationSpace: Space
    public let actionSpace: Space

    public init(parameters: [Parameters], firstIndex: Int = 0) throws(EnvironmentError) {
        guard let first = parameters.first else { throw .invalid("a vector environment needs at least one copy") }
        var distinct: [Parameters] = []
        var compiled: [GridWorldDynamics] = []
        var index: [Int32] = []
        index.reserveCapacity(parameters.count)
        for p in parameters {
            if let i = distinct.lastIndex(of: p) { index.append(Int32(i)); continue }
            let d = try GridWorldDynamics.compiled(p)
            guard d.observationSpace == compiled.first?.observationSpace ?? d.observationSpace,
                  p.actions == first.actions else {
                throw .incompatibleCopies("copy \(index.count) (map \(p.map)) has spaces \(d.observationSpace) → Discrete(\(p.actions)), copy 0 (map \(first.map)) has \(compiled[0].observationSpace) → Discrete(\(first.actions)); one batch needs one shape")
            }
            distinct.append(p)
            compiled.append(d)
            index.append(Int32(distinct.count - 1))
        }
        dynamics = compiled
        tables = compiled.map(\.table)
        dynamicsIndex = index
        limits = parameters.map { Int32(clamping: $0.maxEpisodeSteps) }
        self.firstIndex = firstIndex
        observationSpace = compiled[0].observationSpace
        actionSpace = .discrete(first.actions)
        cells = index.map { compiled[Int($0)].startCells[0] }
        generators = (0..<parameters.count).map { RandomGenerator(seed: 0, index: UInt64(firstIndex + $0)) }
        tracker = EpisodeTracker(count: parameters.count)
    }

    public var count: Int { cells.count }
    public var stateNames: [String] { GridWorld.stateNames }

    public mutating func reset(seed: UInt64, into batch: inout StepBatch) {
        let o = observationSpace.size
        for row in 0..<count {
            generators[row] = RandomGenerator(seed: seed, index: UInt64(firstIndex + row))
            cells[row] = dynamics[Int(dynamicsIndex[row])].drawStart(&generators[row])
            batch.observations.withUnsafeMutableBufferPointer { obs in
                tables[Int(dynamicsIndex[row])].observe(cell: cells[row], into: obs.baseAddress! + row * o)
            }
            tracker.begin(row)
            batch.rewards[row] = 0
            batch.terminated[row] = false
            batch.truncated[row] = false
            batch.episodeStart[row] = true
        }
    }

    public mutating func step(validated act: UnsafeBufferPointer<Float>, into rows: StepBatchRows) {
        let o = observationSpace.size
        precondition(rows.count == count && rows.observationSize == o && act.count == count, "a grid batch of \(count) copies got \(rows.count) rows")
        let n = count
        let single = dynamics.count == 1
        let obs = rows.observations, fin = rows.finalObservations
        cells.withUnsafeMutableBufferPointer { cells in
        generators.withUnsafeMutableBufferPointer { gens in
        tracker.runningReturn.withUnsafeMutableBufferPointer { running in
        tracker.elapsed.withUnsafeMutableBufferPointer { elapsed in
        tables.withUnsafeBufferPointer { tables in
        dynamicsIndex.withUnsafeBufferPointer { dynIndex in
        limits.withUnsafeBufferPointer { limits in
            let first = tables[0]
            for row in 0..<n {
                let k = single ? 0 : Int(dynIndex[row])
                let table = single ? first : tables[k]
                let outcome = table.sample(cell: Int(cells[row]), action: Int(act[row]), &gens[row])
                let reward = outcome.reward
                // The tracker's rule (EpisodeTracker.record), inlined on raw buffers.
                running[row] += reward
                elapsed[row] &+= 1
                let limit = limits[row]
                let truncatedNow = limit > 0 && elapsed[row] >= limit
                rows.rewards[row] = Float(reward)
                rows.terminated[row] = outcome.ends
                rows.truncated[row] = truncatedNow
                var cell = outcome.next
                if outcome.ends || truncatedNow {
                    table.observe(cell: cell, into: fin + row * o)
                    rows.returns[row] = Float(running[row])
                    rows.lengths[row] = elapsed[row]
                    rows.metrics[row] = .nan
                    rows.diverged[row] = false
                    running[row] = 0
                    elapsed[row] = 0
                    let starts = dynamics[k].startCells
                    cell = starts.count == 1 ? starts[0] : starts[gens[row].below(starts.count)]
                    rows.episodeStart[row] = true
                } else {
                    rows.episodeStart[row] = false
                }
                cells[row] = cell
                table.observe(cell: cell, into: obs + row * o)
            }
        }}}}}}}
    }

    public mutating func setState(_ values: [Double], row: Int, into batch: inout StepBatch) throws(EnvironmentError) {
        guard row >= 0 && row < count else { throw .invalid("row \(row) is outside the batch of \(count) copies") }
        try validateState(values, names: GridWorld.stateNames)
        let k = Int(dynamicsIndex[row])
        let n = dynamics[k].map.cellCount
        guard values[0] == values[0].rounded(), values[0] >= 0, values[0] < Double(n) else {
            throw .invalidState("cell must be an integer cell index in 0…\(n - 1), got \(formatJSONNumber(values[0]))")
        }
        cells[row] = Int32(values[0])
        tracker.begin(row)
        let o = observationSpace.size
        batch.observations.withUnsafeMutableBufferPointer { obs in
            tables[k].observe(cell: cells[row], into: obs.baseAddress! + row * o)
        }
    }
}
