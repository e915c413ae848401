/// Reads the fields of one protocol-buffer message: each call to ``next()`` returns a field
/// number and its value; unknown fields are returned too, so callers skip what they do not use.
struct ProtobufReader {
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes([UInt8])
    }

    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The next field, nil at the end; a malformed message throws a sentence saying why.
    mutating func next() throws -> (field: Int, value: Value)? {
        guard offset < bytes.count else { return nil }
        let key = try varint()
        let field = Int(truncatingIfNeeded: key >> 3)
        guard field > 0 else { throw TensorBoardError("field number 0 at byte \(offset)") }
        switch key & 7 {
        case 0: return (field, .varint(try varint()))
        case 1: return (field, .fixed64(try fixed(8)))
        case 5: return (field, .fixed32(UInt32(try fixed(4))))
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.count - offset) else {
                throw TensorBoardError("field \(field) claims \(length) bytes but \(bytes.count - offset) are left")
            }
            let data = Array(bytes[offset..<offset + Int(length)])
            offset += Int(length)
            return (field, .bytes(data))
        case let wire: throw TensorBoardError("field \(field) has the unsupported wire type \(wire)")
        }
    }

    private mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard offset < bytes.count else { throw TensorBoardError("a varint runs past the end of the message") }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte < 0x80 { return value }
        }
        throw TensorBoardError("a varint is longer than ten bytes")
    }

    private mutating func fixed(_ count: Int) throws -> UInt64 {
        guard bytes.count - offset >= count else { throw TensorBoardError("a \(count * 8)-bit field runs past the end of the message") }
        var value: UInt64 = 0
        for i in 0..<count { value |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
        offset += count
        return value
    }
}
