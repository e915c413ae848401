extension ConvEncoder {
    /// Runs the encoder on `batchSize` images (`[batchSize, C, H, W]`, row-major); the
    /// result lands in `workspace.output`. Every stage is batched: conv layers im2col +
    /// sgemm per sample, dense layers one sgemm per layer.
    /// - Throws: `NeuralNetError.shapeMismatch` for a wrong input count, replaced
    ///   parameters of another layout, or a workspace of another encoder.
    public func forward(
        _ input: UnsafeBufferPointer<Float>, batchSize: Int, workspace: inout ConvEncoderWorkspace
    ) throws {
        try checkWorkspace(workspace)
        guard batchSize > 0, input.count == batchSize * inputCount else {
            throw NeuralNetError.shapeMismatch(
                "The encoder expects \(max(batchSize, 0) * inputCount) inputs for a batch of \(batchSize), "
                    + "but \(input.count) were given.")
        }
        workspace.stages.reserve(batchCapacity: batchSize)
        workspace.stages.batchSize = batchSize
        workspace.stages.hasInputGradient = false
        let offsets = workspace.stages.activationOffsets
        parameters.withUnsafeBufferPointer { p in
            let params = p.baseAddress!
            workspace.columns.withUnsafeMutableBufferPointer { c in
                workspace.stages.storage.withUnsafeMutableBufferPointer { s in
                    let base = s.baseAddress!
                    (base + offsets[0]).update(from: input.baseAddress!, count: input.count)
                    for (k, layer) in convolutions.enumerated() {
                        convForwardBatched(
                            layer, parameters: params, input: base + offsets[k], output: base + offsets[k + 1],
                            col: c.baseAddress!, batch: batchSize)
                    }
                    for (j, layer) in dense.enumerated() {
                        let k = convolutions.count + j
                        denseForwardBatched(
                            layer, parameters: params, input: base + offsets[k], output: base + offsets[k + 1],
                            rows: batchSize)
                    }
                }
            }
        }
    }

    /// `forward` on an array.
    public func forward(_ input: [Float], batchSize: Int, workspace: inout ConvEncoderWorkspace) throws {
        try input.withUnsafeBufferPointer { try forward($0, batchSize: batchSize, workspace: &workspace) }
    }

    /// Back-propagates ∂L/∂output (`batchSize × outputCount`, for the images of the last
    /// `forward`) and **adds** ∂L/∂parameters into `gradient`. With
    /// `computeInputGradient`, ∂L/∂image lands in `workspace.inputGradient`.
    /// - Throws: `NeuralNetError.shapeMismatch` for a wrong count, a gradient of another
    ///   layout, or a workspace without a forward pass.
    public func backward(
        outputGradient: UnsafeBufferPointer<Float>, workspace: inout ConvEncoderWorkspace,
        gradient: inout ParameterVector, computeInputGradient: Bool = false
    ) throws {
        try checkWorkspace(workspace)
        let batchSize = workspace.batchSize
        guard batchSize > 0 else {
            throw NeuralNetError.shapeMismatch("ConvEncoder.backward needs a forward pass on the same workspace first.")
        }
        guard outputGradient.count == batchSize * outputCount else {
            throw NeuralNetError.shapeMismatch(
                "The output gradient for a batch of \(batchSize) needs \(batchSize * outputCount) values, "
                    + "but \(outputGradient.count) were given.")
        }
        guard gradient.layout == parameterLayout else {
            throw NeuralNetError.shapeMismatch(
                "The gradient vector has another layout than the encoder's parameters "
                    + "(\(gradient.count) values, \(parameterLayout.count) expected).")
        }
        let offsets = workspace.stages.activationOffsets
        let (g0, g1) = workspace.stages.gradientOffsets
        let inputGradientOffset = workspace.stages.inputGradientOffset
        let columnCount = workspace.columnCount
        parameters.withUnsafeBufferPointer { p in
            let params = p.baseAddress!
            gradient.withUnsafeMutableBufferPointer { gp in
                let grads = gp.baseAddress!
                workspace.columns.withUnsafeMutableBufferPointer { c in
                    workspace.stages.storage.withUnsafeMutableBufferPointer { s in
                        let base = s.baseAddress!
                        var current = base + g0, other = base + g1
                        current.update(from: outputGradient.baseAddress!, count: outputGradient.count)
                        let stageCount = convolutions.count + dense.count
                        for k in stride(from: stageCount - 1, through: 0, by: -1) {
                            let dx: UnsafeMutablePointer<Float>? =
                                k > 0 ? other : (computeInputGradient ? base + inputGradientOffset : nil)
                            if k >= convolutions.count {
                                denseBackwardBatched(
                                    dense[k - convolutions.count], parameters: params, input: base + offsets[k],
                                    output: base + offsets[k + 1], outputGradient: current, gradient: grads,
                                    inputGradient: dx, rows: batchSize)
                            } else {
                                convBackwardBatched(
                                    convolutions[k], parameters: params, input: base + offsets[k],
                                    output: base + offsets[k + 1], outputGradient: current, gradient: grads,
                                    inputGradient: dx, col: c.baseAddress!, colGradient: c.baseAddress! + columnCount,
                                    batch: batchSize)
                            }
                            swap(&current, &other)
                        }
                    }
                }
            }
        }
        workspace.stages.hasInputGradient = computeInputGradient
    }

    /// `backward` with an array.
    public func backward(
        outputGradient: [Float], workspace: inout ConvEncoderWorkspace, gradient: inout ParameterVector,
        computeInputGradient: Bool = false
    ) throws {
        try outputGradient.withUnsafeBufferPointer {
            try backward(
                outputGradient: $0, workspace: &workspace, gradient: &gradient,
                computeInputGradient: computeInputGradient)
        }
    }

    private func checkWorkspace(_ workspace: ConvEncoderWorkspace) throws {
        guard parameters.layout == parameterLayout else {
            throw NeuralNetError.shapeMismatch(
                "The encoder's parameters were replaced by a vector of another layout (\(parameters.count) values, "
                    + "\(parameterLayout.count) expected).")
        }
        var columns = 0
        for layer in convolutions { columns = max(columns, layer.patchCount * layer.positionCount) }
        guard workspace.stages.sizes == sizes, workspace.columnCount == columns else {
            throw NeuralNetError.shapeMismatch(
                "The workspace was made for stage widths \(workspace.stages.sizes), but this encoder has \(sizes).")
        }
    }
}
