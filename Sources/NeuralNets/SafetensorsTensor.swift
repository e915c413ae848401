/// One named tensor of a safetensors file, held as `Float` whatever its stored dtype.
public struct SafetensorsTensor: Hashable, Sendable {
    /// The tensor's key in the file's header.
    public var name: String
    /// Row-major shape (empty for a scalar).
    public var shape: [Int]
    /// The elements, row-major.
    public var values: [Float]
    /// The dtype it was stored with (`F32` when written by `NeuralNets`).
    public var dtype: String

    /// A tensor; `values.count` must equal the product of `shape`.
    /// - Throws: `NeuralNetError.shapeMismatch` otherwise.
    public init(name: String, shape: [Int], values: [Float], dtype: String = "F32") throws {
        guard checkedElementCount(shape) == values.count else {
            throw NeuralNetError.shapeMismatch(
                "The tensor '\(name)' has shape \(shape) but \(values.count) values.")
        }
        self.name = name
        self.shape = shape
        self.values = values
        self.dtype = dtype
    }
}
