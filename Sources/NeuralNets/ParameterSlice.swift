/// The product of `shape`, or `nil` if a dimension is negative or the product overflows.
func checkedElementCount(_ shape: [Int]) -> Int? {
    var count = 1
    for dimension in shape {
        guard dimension >= 0 else { return nil }
        let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
        guard !overflow else { return nil }
        count = product
    }
    return count
}

/// One named tensor inside a `ParameterLayout`: where it starts in the flat vector,
/// how many elements it has, and its row-major shape.
public struct ParameterSlice: Hashable, Sendable, Codable {
    /// The tensor's name, e.g. `layers.0.weight` (the name used in checkpoints).
    public let name: String
    /// Row-major shape; a dense weight is `[outputs, inputs]`, as in PyTorch's `nn.Linear`.
    public let shape: [Int]
    /// Index of the first element in the flat vector.
    public let offset: Int

    /// Number of elements (the product of `shape`).
    public var count: Int { shape.reduce(1, *) }
    /// The element range this slice occupies in the flat vector.
    public var range: Range<Int> { offset..<(offset + count) }
}
