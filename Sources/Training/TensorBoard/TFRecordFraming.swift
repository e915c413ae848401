/// The TFRecord framing of one record, the container of TensorBoard event files:
/// `uint64 length` (little endian), `uint32 masked CRC-32C of those 8 bytes`, `length` bytes of
/// data, `uint32 masked CRC-32C of the data` (see ``CRC32C``).
public enum TFRecordFraming {
    /// Bytes a record adds around its data.
    public static let overhead = 16

    /// The framed record of `data`.
    public static func frame(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + overhead)
        var length = UInt64(data.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        appendLittleEndian(CRC32C.maskedChecksum(out), to: &out)
        out.append(contentsOf: data)
        appendLittleEndian(CRC32C.maskedChecksum(data), to: &out)
        return out
    }

    /// The data of every record in `bytes`, in order; a torn or corrupt record is a
    /// ``TensorBoardError`` naming the record, its offset and what is wrong (`name` is how the
    /// file is called in that sentence).
    public static func records(in bytes: [UInt8], name: String = "the file") throws -> [[UInt8]] {
        var records: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            let index = records.count
            let left = bytes.count - offset
            guard left >= 12 else {
                throw TensorBoardError("\(name) is torn: record \(index) at byte \(offset) has \(left) of its 12 header bytes")
            }
            let header = bytes[offset..<offset + 8]
            let length = header.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard readLittleEndian(bytes, at: offset + 8) == CRC32C.maskedChecksum(header) else {
                throw TensorBoardError("\(name) is corrupt: the length of record \(index) at byte \(offset) fails its CRC-32C")
            }
            guard left >= 16, length <= UInt64(left - 16) else {
                throw TensorBoardError("\(name) is torn: record \(index) at byte \(offset) holds \(length) bytes of data but the file ends \(left) bytes after its start")
            }
            let start = offset + 12, end = start + Int(length)
            let data = Array(bytes[start..<end])
            guard readLittleEndian(bytes, at: end) == CRC32C.maskedChecksum(data) else {
                throw TensorBoardError("\(name) is corrupt: the data of record \(index) at byte \(offset) fails its CRC-32C")
            }
            records.append(data)
            offset = end + 4
        }
        return records
    }

    static func appendLittleEndian(_ value: UInt32, to out: inout [UInt8]) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { out.append(contentsOf: $0) }
    }

    static func readLittleEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }
}
