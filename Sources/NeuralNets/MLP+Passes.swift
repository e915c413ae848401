extension MLP {
    /// Runs the network on `batchSize` rows of `input` (row-major `batchSize × inputCount`).
    /// The result is `workspace.output`; the activations stay in the workspace for
    /// `backward`.
    /// - Throws: `NeuralNetError.shapeMismatch` if the input count or workspace shape is wrong.
    public func forward(
        _ input: UnsafeBufferPointer<Float>, batchSize: Int, workspace: inout MLPWorkspace
    ) throws {
        try checkWorkspace(workspace)
        guard batchSize > 0, input.count == batchSize * inputCount else {
            throw NeuralNetError.shapeMismatch(
                "The MLP expects \(inputCount) inputs per row, so a batch of \(batchSize) needs "
                    + "\(batchSize * inputCount) values, but \(input.count) were given.")
        }
        workspace.reserve(batchCapacity: batchSize)
        workspace.batchSize = batchSize
        workspace.hasInputGradient = false
        let offsets = workspace.activationOffsets
        parameters.withUnsafeBufferPointer { p in
            let params = p.baseAddress!
            workspace.storage.withUnsafeMutableBufferPointer { s in
                let base = s.baseAddress!
                (base + offsets[0]).update(from: input.baseAddress!, count: input.count)
                for (k, layer) in layers.enumerated() {
                    let x = UnsafePointer(base + offsets[k]), y = base + offsets[k + 1]
                    if batchSize <= Self.loopForwardMaximumBatch {
                        for row in 0..<batchSize {
                            denseForwardSingle(
                                layer, parameters: params, input: x + row * layer.inputCount,
                                output: y + row * layer.outputCount)
                        }
                    } else {
                        denseForwardBatched(layer, parameters: params, input: x, output: y, rows: batchSize)
                    }
                }
            }
        }
    }

    /// `forward` on an array.
    public func forward(_ input: [Float], batchSize: Int, workspace: inout MLPWorkspace) throws {
        try input.withUnsafeBufferPointer { try forward($0, batchSize: batchSize, workspace: &workspace) }
    }

    /// The output for `input` (`rows × inputCount`), allocating its own buffers; for
    /// tests and one-off evaluation. Hot loops use `forward(_:batchSize:workspace:)`.
    public func callAsFunction(_ input: [Float]) throws -> [Float] {
        guard input.count % inputCount == 0, !input.isEmpty else {
            throw NeuralNetError.shapeMismatch(
                "The MLP expects a multiple of \(inputCount) inputs, but \(input.count) were given.")
        }
        var workspace = makeWorkspace(batchCapacity: input.count / inputCount)
        try forward(input, batchSize: input.count / inputCount, workspace: &workspace)
        return Array(workspace.output)
    }

    /// Back-propagates ∂L/∂output (`batchSize × outputCount`, for the rows of the last
    /// `forward`) and **adds** ∂L/∂parameters into `gradient`. With
    /// `computeInputGradient`, ∂L/∂input lands in `workspace.inputGradient` (e.g. ∂Q/∂a
    /// for a critic that takes the action as input, paper 004 eq. 61).
    /// - Throws: `NeuralNetError.shapeMismatch` for a wrong count, a gradient of another
    ///   layout, or a workspace without a forward pass.
    public func backward(
        outputGradient: UnsafeBufferPointer<Float>, workspace: inout MLPWorkspace,
        gradient: inout ParameterVector, computeInputGradient: Bool = false
    ) throws {
        try checkWorkspace(workspace)
        let batchSize = workspace.batchSize
        guard batchSize > 0 else {
            throw NeuralNetError.shapeMismatch("MLP.backward needs a forward pass on the same workspace first.")
        }
        guard outputGradient.count == batchSize * outputCount else {
            throw NeuralNetError.shapeMismatch(
                "The output gradient for a batch of \(batchSize) needs \(batchSize * outputCount) values, "
                    + "but \(outputGradient.count) were given.")
        }
        guard gradient.layout == parameterLayout else {
            throw NeuralNetError.shapeMismatch(
                "The gradient vector has another layout than the MLP's parameters "
                    + "(\(gradient.count) values, \(parameterLayout.count) expected).")
        }
        let offsets = workspace.activationOffsets
        let (g0, g1) = workspace.gradientOffsets
        let inputGradientOffset = workspace.inputGradientOffset
        parameters.withUnsafeBufferPointer { p in
            let params = p.baseAddress!
            gradient.withUnsafeMutableBufferPointer { gp in
                let grads = gp.baseAddress!
                workspace.storage.withUnsafeMutableBufferPointer { s in
                    let base = s.baseAddress!
                    var current = base + g0, other = base + g1
                    current.update(from: outputGradient.baseAddress!, count: outputGradient.count)
                    for k in stride(from: layers.count - 1, through: 0, by: -1) {
                        let layer = layers[k]
                        let dx: UnsafeMutablePointer<Float>? =
                            k > 0 ? other : (computeInputGradient ? base + inputGradientOffset : nil)
                        denseBackwardBatched(
                            layer, parameters: params, input: base + offsets[k], output: base + offsets[k + 1],
                            outputGradient: current, gradient: grads, inputGradient: dx, rows: batchSize)
                        swap(&current, &other)
                    }
                }
            }
        }
        workspace.hasInputGradient = computeInputGradient
    }

    /// `backward` with an array.
    public func backward(
        outputGradient: [Float], workspace: inout MLPWorkspace, gradient: inout ParameterVector,
        computeInputGradient: Bool = false
    ) throws {
        try outputGradient.withUnsafeBufferPointer {
            try backward(
                outputGradient: $0, workspace: &workspace, gradient: &gradient,
                computeInputGradient: computeInputGradient)
        }
    }

    private func checkWorkspace(_ workspace: MLPWorkspace) throws {
        guard parameters.layout == parameterLayout else {
            throw NeuralNetError.shapeMismatch(
                "The MLP's parameters were replaced by a vector of another layout (\(parameters.count) values, "
                    + "\(parameterLayout.count) expected).")
        }
        guard workspace.sizes == sizes else {
            throw NeuralNetError.shapeMismatch(
                "The workspace was made for layer widths \(workspace.sizes), but this MLP has \(sizes).")
        }
    }
}
