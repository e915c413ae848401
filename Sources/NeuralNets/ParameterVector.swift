/// All the parameters of one model (or all the gradients, or an optimiser moment) as
/// **one contiguous `[Float]`**, with a `ParameterLayout` naming the slice of every tensor.
///
/// Why flat: networked learners mix whole models — diffusion, consensus, gradient
/// averaging — and with a flat vector each neighbour costs one `axpy`. A model's
/// gradient uses the same layout as its parameters, so an optimiser walks both with one
/// index, and a checkpoint writes one named tensor per slice.
///
/// ```swift
/// var mixed = ParameterVector(zeroing: mine.layout)
/// for (weight, neighbour) in zip(weights, neighbourhood) {
///     try mixed.axpy(weight, neighbour)          // mixed += weight · neighbour
/// }
/// ```
///
/// It is a value type: copies are independent (copy-on-write), so a snapshot sent to a
/// neighbour does not change when the sender keeps training. Arithmetic between two
/// vectors requires equal layouts and throws `NeuralNetError.shapeMismatch` otherwise.
/// Element arithmetic runs through BLAS (`saxpy`, `sscal`, `dsdot`, `snrm2`).
public struct ParameterVector: Hashable, Sendable {
    /// The scalars, laid out as `layout` describes. Its count always equals `layout.count`
    /// (the setter is internal to the module; mutate elements through `values[i]`, slices or arithmetic).
    public internal(set) var values: [Float]
    /// Names, shapes and offsets of the tensors inside `values`.
    public let layout: ParameterLayout

    /// A vector of zeros with the given layout (e.g. a gradient accumulator).
    public init(zeroing layout: ParameterLayout) {
        self.layout = layout
        self.values = [Float](repeating: 0, count: layout.count)
    }

    /// Wraps existing values.
    /// - Throws: `NeuralNetError.shapeMismatch` if `values.count != layout.count`.
    public init(layout: ParameterLayout, values: [Float]) throws {
        guard values.count == layout.count else {
            throw NeuralNetError.shapeMismatch(
                "A parameter vector needs \(layout.count) values for its layout, but \(values.count) were given.")
        }
        self.layout = layout
        self.values = values
    }

    /// Number of scalars.
    public var count: Int { values.count }

    /// Read or write one element.
    public subscript(index: Int) -> Float {
        get { values[index] }
        set { values[index] = newValue }
    }

    /// The elements of the tensor called `name`, or `nil` if the layout has no such tensor.
    public func values(of name: String) -> ArraySlice<Float>? {
        guard let slice = layout.slice(named: name) else { return nil }
        return values[slice.range]
    }

    /// Replaces the elements of the tensor called `name`.
    /// - Throws: `NeuralNetError.shapeMismatch` for an unknown name or a wrong count.
    public mutating func setValues<C: Collection>(of name: String, to newValues: C) throws
    where C.Element == Float {
        guard let slice = layout.slice(named: name) else {
            throw NeuralNetError.shapeMismatch("The layout has no parameter tensor named '\(name)'.")
        }
        guard newValues.count == slice.count else {
            throw NeuralNetError.shapeMismatch(
                "The parameter '\(name)' has \(slice.count) elements, but \(newValues.count) were given.")
        }
        values.replaceSubrange(slice.range, with: newValues)
    }

    /// Replaces all the values at once (same count).
    /// - Throws: `NeuralNetError.shapeMismatch` for a wrong count.
    public mutating func setValues(_ newValues: [Float]) throws {
        guard newValues.count == values.count else {
            throw NeuralNetError.shapeMismatch(
                "A parameter vector of \(values.count) values cannot be set from \(newValues.count) values.")
        }
        values = newValues
    }

    /// Sets every element to zero, keeping the storage (no allocation).
    public mutating func zero() {
        values.withUnsafeMutableBufferPointer { buffer in
            buffer.update(repeating: 0)
        }
    }

    /// Direct access to the storage, for kernels that write gradients in place.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try values.withUnsafeMutableBufferPointer(body)
    }

    /// Read-only access to the storage.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer(body)
    }
}

extension ParameterVector: Codable {
    enum CodingKeys: String, CodingKey { case layout, values }

    /// Decodes a vector and checks that the values fit the layout.
    /// - Throws: `DecodingError.dataCorrupted` if the counts differ.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let layout = try container.decode(ParameterLayout.self, forKey: .layout)
        let values = try container.decode([Float].self, forKey: .values)
        guard values.count == layout.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .values, in: container,
                debugDescription: "The layout needs \(layout.count) values, but \(values.count) were given.")
        }
        self.layout = layout
        self.values = values
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(layout, forKey: .layout)
        try container.encode(values, forKey: .values)
    }
}
