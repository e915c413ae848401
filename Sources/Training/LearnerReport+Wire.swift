import Communication

extension LearnerReport {
    /// Writes the report with every number's exact bits, for the other ranks of a run.
    func write(to w: inout WireWriter) {
        w.write(environmentSteps)
        w.write(episodes.count)
        for e in episodes {
            w.write(e.task)
            w.write(e.episodeReturn)
            w.write(e.length)
        }
        w.write(updated)
        w.write(rejectedNonFinite)
        w.write(diagnostics.values.count)
        for (metric, value) in diagnostics.values {
            w.write(metric.rawValue)
            w.write(value)
        }
        w.write(perturbedReturn != nil)
        w.write(perturbedReturn ?? 0)
        w.write(episodeMetrics.count)
        for m in episodeMetrics { w.write(m) }
    }

    /// Reads what ``write(to:)`` wrote.
    init(from r: inout WireReader) throws {
        self.init()
        environmentSteps = try r.readInt()
        for _ in 0..<(try r.readCount(elementSize: 24)) {
            episodes.append((task: try r.readInt(), episodeReturn: try r.readDouble(), length: try r.readInt()))
        }
        updated = try r.readBool()
        rejectedNonFinite = try r.readBool()
        for _ in 0..<(try r.readCount(elementSize: 16)) {
            let name = try r.readString()
            guard let metric = Metric(rawValue: name) else { throw TrainingError("another rank reported an unknown metric '\(name)'") }
            diagnostics.record(metric, try r.readDouble())
        }
        let has = try r.readBool()
        let f = try r.readFloat()
        perturbedReturn = has ? f : nil
        for _ in 0..<(try r.readCount(elementSize: 8)) { episodeMetrics.append(try r.readDouble()) }
    }
}
