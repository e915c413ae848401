/// The named, ordered tensors that make up a flat parameter vector.
///
/// A layout is a list of slices packed back to back with no gaps, in the order they
/// were given: slice *k* starts where slice *k − 1* ends. Two vectors with equal
/// layouts can be added, mixed and compared element by element; that is what lets
/// communication combine whole models with one `axpy`.
public struct ParameterLayout: Hashable, Sendable {
    /// The slices in storage order.
    public let slices: [ParameterSlice]
    /// Total number of scalars.
    public let count: Int

    /// Packs `tensors` (name, shape) back to back.
    /// - Throws: `NeuralNetError.invalidArgument` for a duplicate, empty or reserved (`__metadata__`) name or a
    ///   negative dimension.
    public init(_ tensors: [(name: String, shape: [Int])]) throws {
        var slices: [ParameterSlice] = []
        slices.reserveCapacity(tensors.count)
        var seen = Set<String>()
        var offset = 0
        for (name, shape) in tensors {
            guard !name.isEmpty else {
                throw NeuralNetError.invalidArgument("A parameter tensor name must not be empty.")
            }
            guard name != "__metadata__" else {
                throw NeuralNetError.invalidArgument(
                    "'__metadata__' is reserved by the checkpoint format and cannot name a parameter tensor.")
            }
            guard seen.insert(name).inserted else {
                throw NeuralNetError.invalidArgument("The parameter name '\(name)' appears twice in one layout.")
            }
            guard let count = checkedElementCount(shape), offset <= Int.max - count else {
                throw NeuralNetError.invalidArgument(
                    "The parameter '\(name)' has shape \(shape), which has a negative dimension or too many elements.")
            }
            slices.append(ParameterSlice(name: name, shape: shape, offset: offset))
            offset += count
        }
        self.slices = slices
        self.count = offset
    }

    /// The slice called `name`, if any.
    public func slice(named name: String) -> ParameterSlice? {
        slices.first { $0.name == name }
    }
}

extension ParameterLayout: Codable {
    enum CodingKeys: String, CodingKey { case slices }

    /// Decodes the slices and re-packs them, so a decoded layout always satisfies the
    /// packing invariant.
    /// - Throws: `DecodingError.dataCorrupted` if the stored offsets are not packed.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let stored = try container.decode([ParameterSlice].self, forKey: .slices)
        let packed: ParameterLayout
        do { packed = try ParameterLayout(stored.map { (name: $0.name, shape: $0.shape) }) } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .slices, in: container, debugDescription: String(describing: error))
        }
        guard packed.slices == stored else {
            throw DecodingError.dataCorruptedError(
                forKey: .slices, in: container, debugDescription: "The slices' offsets are not packed back to back.")
        }
        self = packed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(slices, forKey: .slices)
    }
}
