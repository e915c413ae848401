/// Preallocated buffers for an `MLP`'s forward and backward passes: every layer's
/// activations for a batch, two gradient buffers used in turn, and the gradient with
/// respect to the input. Pass it `inout`; once it has grown to the largest batch it
/// sees, forward and backward allocate nothing.
///
/// A workspace belongs to one model shape (it checks) and holds the state of the last
/// forward pass, which the backward pass reads. Give each thread its own.
public struct MLPWorkspace: Sendable {
    /// Layer widths, input first: `[inputCount, hidden…, outputCount]`.
    public let sizes: [Int]
    /// The batch the buffers currently hold room for.
    public private(set) var batchCapacity: Int
    /// Rows in the last forward pass (0 before any).
    public internal(set) var batchSize: Int = 0

    var storage: [Float]
    /// Offsets of the activation buffers (index 0 holds a copy of the input).
    private(set) var activationOffsets: [Int] = []
    private(set) var gradientOffsets: (Int, Int) = (0, 0)
    private(set) var inputGradientOffset: Int = 0
    /// Whether the last backward pass wrote `inputGradient`.
    var hasInputGradient = false

    /// Buffers for a model with the given (positive) layer widths and room for
    /// `batchCapacity` rows; made by `MLP.makeWorkspace(batchCapacity:)`.
    init(sizes: [Int], batchCapacity: Int) {
        self.sizes = sizes
        self.batchCapacity = 0
        self.storage = []
        reserve(batchCapacity: max(1, batchCapacity))
    }

    /// Grows the buffers to hold `batchCapacity` rows (never shrinks).
    public mutating func reserve(batchCapacity requested: Int) {
        let capacity = max(requested, 1)
        guard capacity > batchCapacity else { return }
        batchCapacity = capacity
        var offset = 0
        activationOffsets = sizes.map { width in
            defer { offset += width * capacity }
            return offset
        }
        let widest = sizes.max() ?? 0
        gradientOffsets = (offset, offset + widest * capacity)
        offset += 2 * widest * capacity
        inputGradientOffset = offset
        offset += (sizes.first ?? 0) * capacity
        storage = [Float](repeating: 0, count: offset)
        batchSize = 0
        hasInputGradient = false
    }

    /// The last forward pass's output, `batchSize × outputCount`, row-major.
    public var output: ArraySlice<Float> {
        let start = activationOffsets[sizes.count - 1]
        return storage[start..<(start + batchSize * sizes[sizes.count - 1])]
    }

    /// The activations of layer `index` from the last forward pass (`0` is the input,
    /// `sizes.count − 1` the output), or `nil` for an index out of range.
    public func activations(ofLayer index: Int) -> ArraySlice<Float>? {
        guard sizes.indices.contains(index) else { return nil }
        let start = activationOffsets[index]
        return storage[start..<(start + batchSize * sizes[index])]
    }

    /// ∂L/∂input from the last backward pass that asked for it (`batchSize × inputCount`),
    /// or an empty slice.
    public var inputGradient: ArraySlice<Float> {
        guard hasInputGradient else { return [] }
        return storage[inputGradientOffset..<(inputGradientOffset + batchSize * sizes[0])]
    }
}
