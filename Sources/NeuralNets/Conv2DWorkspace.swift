/// Preallocated buffers for a `Conv2D` layer's forward and backward passes: a copy of
/// the input batch, the output, the gradient buffer, ∂L/∂input and one sample's im2col
/// matrix and its gradient. Pass it `inout`; once it has grown to the largest batch it
/// sees, forward and backward allocate nothing.
///
/// A workspace belongs to one layer geometry (it checks) and holds the state of the last
/// forward pass, which the backward pass reads. Give each thread its own.
public struct Conv2DWorkspace: Sendable {
    /// The layer the buffers are shaped for.
    public let layer: Conv2D
    /// The batch the buffers currently hold room for.
    public private(set) var batchCapacity: Int
    /// Samples in the last forward pass (0 before any).
    public internal(set) var batchSize: Int = 0

    var storage: [Float]
    private(set) var inputOffset = 0
    private(set) var outputOffset = 0
    private(set) var gradientOffset = 0
    private(set) var inputGradientOffset = 0
    private(set) var colOffset = 0
    private(set) var colGradientOffset = 0
    /// Whether the last backward pass wrote `inputGradient`.
    var hasInputGradient = false

    /// Buffers for `layer` with room for `batchCapacity` samples; made by
    /// `Conv2D.makeWorkspace(batchCapacity:)`.
    init(layer: Conv2D, batchCapacity: Int) {
        self.layer = layer
        self.batchCapacity = 0
        self.storage = []
        reserve(batchCapacity: max(1, batchCapacity))
    }

    /// Grows the buffers to hold `batchCapacity` samples (never shrinks).
    public mutating func reserve(batchCapacity requested: Int) {
        let capacity = max(requested, 1)
        guard capacity > batchCapacity else { return }
        batchCapacity = capacity
        let input = layer.inputCount * capacity, output = layer.outputCount * capacity
        let col = layer.patchCount * layer.positionCount
        inputOffset = 0
        outputOffset = input
        gradientOffset = outputOffset + output
        inputGradientOffset = gradientOffset + output
        colOffset = inputGradientOffset + input
        colGradientOffset = colOffset + col
        storage = [Float](repeating: 0, count: colGradientOffset + col)
        batchSize = 0
        hasInputGradient = false
    }

    /// The last forward pass's output, `[batchSize, C′, H′, W′]`, row-major.
    public var output: ArraySlice<Float> {
        storage[outputOffset..<(outputOffset + batchSize * layer.outputCount)]
    }

    /// ∂L/∂input from the last backward pass that asked for it (`[batchSize, C, H, W]`),
    /// or an empty slice.
    public var inputGradient: ArraySlice<Float> {
        guard hasInputGradient else { return [] }
        return storage[inputGradientOffset..<(inputGradientOffset + batchSize * layer.inputCount)]
    }
}
