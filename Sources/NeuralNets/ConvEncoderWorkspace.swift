/// Preallocated buffers for a `ConvEncoder`: every stage's activations, two gradient
/// buffers used in turn and ∂L/∂input (as an `MLPWorkspace` over the stage widths),
/// plus one sample's im2col matrix and its gradient. Once it has grown to the largest
/// batch it sees, forward and backward allocate nothing. Give each thread its own.
public struct ConvEncoderWorkspace: Sendable {
    /// Activations, gradients and input gradient for every stage.
    public internal(set) var stages: MLPWorkspace
    /// Values of the largest im2col matrix of the stack.
    let columnCount: Int
    var columns: [Float]

    init(sizes: [Int], columnCount: Int, batchCapacity: Int) {
        stages = MLPWorkspace(sizes: sizes, batchCapacity: batchCapacity)
        self.columnCount = columnCount
        columns = [Float](repeating: 0, count: 2 * columnCount)
    }

    /// Samples in the last forward pass (0 before any).
    public var batchSize: Int { stages.batchSize }
    /// The last forward pass's output, `batchSize × outputCount`.
    public var output: ArraySlice<Float> { stages.output }
    /// ∂L/∂input from the last backward pass that asked for it, or an empty slice.
    public var inputGradient: ArraySlice<Float> { stages.inputGradient }
}
