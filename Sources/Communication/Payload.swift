/// What one message carries: a block of `Float` scalars (parameters, gradients,
/// returns) or opaque bytes.
///
/// `[Float]` is copy-on-write, so sending the same parameter row to several
/// neighbours shares one buffer in memory; a transport that crosses processes
/// serialises it.
public enum Payload: Sendable, Equatable {
    /// Scalars; counted as `count` scalars and `4 · count` bytes.
    case floats([Float])
    /// Raw bytes; counted as 0 scalars and `count` bytes.
    case bytes([UInt8])

    /// Number of scalars carried.
    public var scalarCount: Int {
        switch self {
        case let .floats(v): v.count
        case .bytes: 0
        }
    }

    /// Number of payload bytes (headers are not counted).
    public var byteCount: Int {
        switch self {
        case let .floats(v): v.count * MemoryLayout<Float>.size
        case let .bytes(b): b.count
        }
    }

    /// The scalars, or nil for a bytes payload.
    public var floats: [Float]? {
        if case let .floats(v) = self { return v }
        return nil
    }
}
