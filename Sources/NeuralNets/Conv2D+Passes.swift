extension Conv2D {
    /// Runs the layer on `batchSize` samples (`[batchSize, C, H, W]`, row-major) with the
    /// weights in `parameters`; the result lands in `workspace.output`. The workspace
    /// grows if the batch is larger than its capacity; otherwise nothing is allocated.
    /// - Throws: `NeuralNetError.shapeMismatch` for a wrong input count, a parameter vector
    ///   too short for the layer's offsets, or a workspace made for another layer.
    public func forward(
        _ input: UnsafeBufferPointer<Float>, batchSize: Int, parameters: ParameterVector,
        workspace: inout Conv2DWorkspace
    ) throws {
        try check(parameters: parameters, workspace: workspace)
        guard batchSize > 0, input.count == batchSize * inputCount else {
            throw NeuralNetError.shapeMismatch(
                "A Conv2D batch of \(batchSize) needs \(max(batchSize, 0) * inputCount) input values "
                    + "(\(inputChannels)×\(inputHeight)×\(inputWidth) each), but \(input.count) were given.")
        }
        workspace.reserve(batchCapacity: batchSize)
        workspace.batchSize = batchSize
        workspace.hasInputGradient = false
        let (xOffset, yOffset, colOffset) = (workspace.inputOffset, workspace.outputOffset, workspace.colOffset)
        parameters.withUnsafeBufferPointer { p in
            workspace.storage.withUnsafeMutableBufferPointer { s in
                let base = s.baseAddress!
                (base + xOffset).update(from: input.baseAddress!, count: input.count)
                convForwardBatched(
                    self, parameters: p.baseAddress!, input: base + xOffset, output: base + yOffset,
                    col: base + colOffset, batch: batchSize)
            }
        }
    }

    /// `forward` on an array.
    public func forward(
        _ input: [Float], batchSize: Int, parameters: ParameterVector, workspace: inout Conv2DWorkspace
    ) throws {
        try input.withUnsafeBufferPointer {
            try forward($0, batchSize: batchSize, parameters: parameters, workspace: &workspace)
        }
    }

    /// Back-propagates ∂L/∂output (`[batchSize, C′, H′, W′]`, for the samples of the last
    /// `forward`) and **adds** ∂L/∂W and ∂L/∂b into `gradient` (the layout of
    /// `parameters`). With `computeInputGradient`, ∂L/∂input lands in
    /// `workspace.inputGradient`.
    /// - Throws: `NeuralNetError.shapeMismatch` for a wrong count, a gradient of another
    ///   layout, or a workspace without a forward pass.
    public func backward(
        outputGradient: UnsafeBufferPointer<Float>, parameters: ParameterVector,
        workspace: inout Conv2DWorkspace, gradient: inout ParameterVector, computeInputGradient: Bool = false
    ) throws {
        try check(parameters: parameters, workspace: workspace)
        let batchSize = workspace.batchSize
        guard batchSize > 0 else {
            throw NeuralNetError.shapeMismatch("Conv2D.backward needs a forward pass on the same workspace first.")
        }
        guard outputGradient.count == batchSize * outputCount else {
            throw NeuralNetError.shapeMismatch(
                "The Conv2D output gradient for a batch of \(batchSize) needs \(batchSize * outputCount) values, "
                    + "but \(outputGradient.count) were given.")
        }
        guard gradient.layout == parameters.layout else {
            throw NeuralNetError.shapeMismatch(
                "The gradient vector has another layout than the parameters "
                    + "(\(gradient.count) values, \(parameters.count) expected).")
        }
        // Offsets taken as plain integers: holding a copy of the workspace here would
        // make the storage mutation below copy the whole buffer.
        let (xOffset, yOffset, gOffset) = (workspace.inputOffset, workspace.outputOffset, workspace.gradientOffset)
        let (dxOffset, colOffset, dcolOffset) =
            (workspace.inputGradientOffset, workspace.colOffset, workspace.colGradientOffset)
        parameters.withUnsafeBufferPointer { p in
            gradient.withUnsafeMutableBufferPointer { gp in
                workspace.storage.withUnsafeMutableBufferPointer { s in
                    let base = s.baseAddress!
                    let g = base + gOffset
                    g.update(from: outputGradient.baseAddress!, count: outputGradient.count)
                    convBackwardBatched(
                        self, parameters: p.baseAddress!, input: base + xOffset, output: base + yOffset,
                        outputGradient: g, gradient: gp.baseAddress!,
                        inputGradient: computeInputGradient ? base + dxOffset : nil,
                        col: base + colOffset, colGradient: base + dcolOffset, batch: batchSize)
                }
            }
        }
        workspace.hasInputGradient = computeInputGradient
    }

    /// `backward` with an array.
    public func backward(
        outputGradient: [Float], parameters: ParameterVector, workspace: inout Conv2DWorkspace,
        gradient: inout ParameterVector, computeInputGradient: Bool = false
    ) throws {
        try outputGradient.withUnsafeBufferPointer {
            try backward(
                outputGradient: $0, parameters: parameters, workspace: &workspace, gradient: &gradient,
                computeInputGradient: computeInputGradient)
        }
    }

    private func check(parameters: ParameterVector, workspace: Conv2DWorkspace) throws {
        guard biasOffset + outputChannels <= parameters.count else {
            throw NeuralNetError.shapeMismatch(
                "The Conv2D layer reads parameters up to index \(biasOffset + outputChannels), "
                    + "but the vector holds only \(parameters.count) values.")
        }
        guard workspace.layer == self else {
            throw NeuralNetError.shapeMismatch("The Conv2D workspace was made for another layer geometry.")
        }
    }
}
