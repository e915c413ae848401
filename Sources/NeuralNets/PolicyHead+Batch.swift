// Checked, batched versions of the per-row head methods, on row-major arrays.
// Outputs are resized when their count is wrong (so a reused buffer allocates once);
// gradient buffers must already have the right count, since they accumulate.

extension PolicyHead {
    func checkRows(_ name: String, _ count: Int, perRow: Int, batchSize: Int) throws {
        guard batchSize > 0, count == perRow * batchSize else {
            throw NeuralNetError.shapeMismatch(
                "\(name) needs \(perRow) values per row for a batch of \(batchSize) "
                    + "(\(perRow * max(batchSize, 0)) in all), but has \(count).")
        }
    }

    /// Samples one action per row into `actions` (`batchSize × actionCount`).
    /// - Throws: `NeuralNetError.shapeMismatch` if `inputs` is not `batchSize × inputCount`.
    public func sample(
        inputs: [Float], batchSize: Int, using generator: inout some RandomNumberGenerator,
        into actions: inout [Float]
    ) throws {
        try checkRows("The head input", inputs.count, perRow: inputCount, batchSize: batchSize)
        if actions.count != batchSize * actionCount { actions = [Float](repeating: 0, count: batchSize * actionCount) }
        let (n, m) = (inputCount, actionCount)
        inputs.withUnsafeBufferPointer { x in
            actions.withUnsafeMutableBufferPointer { a in
                for r in 0..<batchSize {
                    sample(input: UnsafeBufferPointer(rebasing: x[(r * n)..<(r * n + n)]),
                           into: UnsafeMutableBufferPointer(rebasing: a[(r * m)..<(r * m + m)]), using: &generator)
                }
            }
        }
    }

    /// The greedy action per row.
    /// - Throws: `NeuralNetError.shapeMismatch` for a wrong input count.
    public func mode(inputs: [Float], batchSize: Int, into actions: inout [Float]) throws {
        try checkRows("The head input", inputs.count, perRow: inputCount, batchSize: batchSize)
        if actions.count != batchSize * actionCount { actions = [Float](repeating: 0, count: batchSize * actionCount) }
        let (n, m) = (inputCount, actionCount)
        inputs.withUnsafeBufferPointer { x in
            actions.withUnsafeMutableBufferPointer { a in
                for r in 0..<batchSize {
                    mode(input: UnsafeBufferPointer(rebasing: x[(r * n)..<(r * n + n)]),
                         into: UnsafeMutableBufferPointer(rebasing: a[(r * m)..<(r * m + m)]))
                }
            }
        }
    }

    /// log π(action | input) per row into `logProbs` (`batchSize`).
    /// - Throws: `NeuralNetError.shapeMismatch` for wrong counts.
    public func logProbs(
        inputs: [Float], actions: [Float], batchSize: Int, into logProbs: inout [Float]
    ) throws {
        try checkRows("The head input", inputs.count, perRow: inputCount, batchSize: batchSize)
        try checkRows("The actions", actions.count, perRow: actionCount, batchSize: batchSize)
        if logProbs.count != batchSize { logProbs = [Float](repeating: 0, count: batchSize) }
        let (n, m) = (inputCount, actionCount)
        inputs.withUnsafeBufferPointer { x in
            actions.withUnsafeBufferPointer { a in
                for r in 0..<batchSize {
                    logProbs[r] = logProb(input: UnsafeBufferPointer(rebasing: x[(r * n)..<(r * n + n)]),
                                          action: UnsafeBufferPointer(rebasing: a[(r * m)..<(r * m + m)]))
                }
            }
        }
    }

    /// Adds `scales[r] · ∂ log π(actionᵣ | inputᵣ)/∂inputᵣ` into row r of `gradients`
    /// (`batchSize × inputCount`); for a policy-gradient loss −Σ Aᵣ log π, pass −Aᵣ/B.
    /// - Throws: `NeuralNetError.shapeMismatch` for wrong counts.
    public func addLogProbGradients(
        inputs: [Float], actions: [Float], scales: [Float], batchSize: Int, into gradients: inout [Float]
    ) throws {
        try checkRows("The head input", inputs.count, perRow: inputCount, batchSize: batchSize)
        try checkRows("The actions", actions.count, perRow: actionCount, batchSize: batchSize)
        try checkRows("The scales", scales.count, perRow: 1, batchSize: batchSize)
        try checkRows("The gradient buffer", gradients.count, perRow: inputCount, batchSize: batchSize)
        let (n, m) = (inputCount, actionCount)
        inputs.withUnsafeBufferPointer { x in
            actions.withUnsafeBufferPointer { a in
                gradients.withUnsafeMutableBufferPointer { g in
                    for r in 0..<batchSize {
                        addLogProbGradient(
                            input: UnsafeBufferPointer(rebasing: x[(r * n)..<(r * n + n)]),
                            action: UnsafeBufferPointer(rebasing: a[(r * m)..<(r * m + m)]), scale: scales[r],
                            into: UnsafeMutableBufferPointer(rebasing: g[(r * n)..<(r * n + n)]))
                    }
                }
            }
        }
    }
}

extension AnalyticPolicyHead {
    /// H per row into `entropies` (`batchSize`).
    /// - Throws: `NeuralNetError.shapeMismatch` for a wrong input count.
    public func entropies(inputs: [Float], batchSize: Int, into entropies: inout [Float]) throws {
        try checkRows("The head input", inputs.count, perRow: inputCount, batchSize: batchSize)
        if entropies.count != batchSize { entropies = [Float](repeating: 0, count: batchSize) }
        let n = inputCount
        inputs.withUnsafeBufferPointer { x in
            for r in 0..<batchSize { entropies[r] = entropy(input: UnsafeBufferPointer(rebasing: x[(r * n)..<(r * n + n)])) }
        }
    }

    /// Adds `scale · ∂Hᵣ/∂inputᵣ` into every row of `gradients`; for an entropy bonus
    /// −c·mean H, pass scale −c/B.
    /// - Throws: `NeuralNetError.shapeMismatch` for wrong counts.
    public func addEntropyGradients(inputs: [Float], scale: Float, batchSize: Int, into gradients: inout [Float]) throws {
        try checkRows("The head input", inputs.count, perRow: inputCount, batchSize: batchSize)
        try checkRows("The gradient buffer", gradients.count, perRow: inputCount, batchSize: batchSize)
        let n = inputCount
        inputs.withUnsafeBufferPointer { x in
            gradients.withUnsafeMutableBufferPointer { g in
                for r in 0..<batchSize {
                    addEntropyGradient(input: UnsafeBufferPointer(rebasing: x[(r * n)..<(r * n + n)]), scale: scale,
                                       into: UnsafeMutableBufferPointer(rebasing: g[(r * n)..<(r * n + n)]))
                }
            }
        }
    }

    /// KL(pᵣ ‖ qᵣ) per row into `divergences`.
    /// - Throws: `NeuralNetError.shapeMismatch` for wrong counts.
    public func klDivergences(p: [Float], q: [Float], batchSize: Int, into divergences: inout [Float]) throws {
        try checkRows("The first head input", p.count, perRow: inputCount, batchSize: batchSize)
        try checkRows("The second head input", q.count, perRow: inputCount, batchSize: batchSize)
        if divergences.count != batchSize { divergences = [Float](repeating: 0, count: batchSize) }
        let n = inputCount
        p.withUnsafeBufferPointer { p in
            q.withUnsafeBufferPointer { q in
                for r in 0..<batchSize {
                    divergences[r] = klDivergence(p: UnsafeBufferPointer(rebasing: p[(r * n)..<(r * n + n)]),
                                                  q: UnsafeBufferPointer(rebasing: q[(r * n)..<(r * n + n)]))
                }
            }
        }
    }

    /// Adds `scale · ∂KL(pᵣ ‖ qᵣ)/∂pᵣ` into every row of `gradientsP`.
    /// - Throws: `NeuralNetError.shapeMismatch` for wrong counts.
    public func addKLGradients(
        p: [Float], q: [Float], scale: Float, batchSize: Int, intoP gradientsP: inout [Float]
    ) throws {
        try checkRows("The first head input", p.count, perRow: inputCount, batchSize: batchSize)
        try checkRows("The second head input", q.count, perRow: inputCount, batchSize: batchSize)
        try checkRows("The gradient buffer", gradientsP.count, perRow: inputCount, batchSize: batchSize)
        let n = inputCount
        p.withUnsafeBufferPointer { p in
            q.withUnsafeBufferPointer { q in
                gradientsP.withUnsafeMutableBufferPointer { g in
                    for r in 0..<batchSize {
                        addKLGradient(
                            p: UnsafeBufferPointer(rebasing: p[(r * n)..<(r * n + n)]),
                            q: UnsafeBufferPointer(rebasing: q[(r * n)..<(r * n + n)]), scale: scale,
                            intoP: UnsafeMutableBufferPointer(rebasing: g[(r * n)..<(r * n + n)]), intoQ: nil)
                    }
                }
            }
        }
    }
}
