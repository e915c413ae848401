/// Little-endian bytes for what crosses a process boundary: integers, exact float and double
/// bit patterns, float blocks and strings. Reading checks every length, so a short or
/// corrupt buffer is an error, never a trap.
public struct WireWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public mutating func write(_ v: Int) { write(UInt64(bitPattern: Int64(v))) }
    public mutating func write(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func write(_ v: Bool) { bytes.append(v ? 1 : 0) }
    public mutating func write(_ v: Double) { write(v.bitPattern) }
    public mutating func write(_ v: Float) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func write(_ s: String) {
        let utf8 = Array(s.utf8)
        write(utf8.count)
        bytes.append(contentsOf: utf8)
    }
    /// A count, then the floats' bit patterns.
    public mutating func write(_ v: [Float]) {
        write(v.count)
        #if _endian(little)
        v.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        v.withUnsafeBufferPointer { buffer in
            for x in buffer { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        }
        #endif
    }
    /// A count, then the bytes.
    public mutating func write(_ v: [UInt8]) {
        write(v.count)
        bytes.append(contentsOf: v)
    }
}

/// Reads what a ``WireWriter`` wrote, in the same order.
public struct WireReader {
    private let bytes: [UInt8]
    private var offset: Int
    private let end: Int

    /// Reads `bytes[offset ..< end]` (end nil: to the end).
    public init(_ bytes: [UInt8], offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = min(end ?? bytes.count, bytes.count)
    }

    public var isAtEnd: Bool { offset >= end }

    private mutating func take(_ n: Int) throws -> Range<Int> {
        guard n >= 0, n <= end - offset else {
            throw CommunicationError.shapeMismatch("a message from another process ends early (wanted \(n) bytes at \(offset) of \(end))")
        }
        defer { offset += n }
        return offset..<(offset + n)
    }

    public mutating func readUInt64() throws -> UInt64 {
        let r = try take(8)
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = v << 8 | UInt64(bytes[r.lowerBound + i]) }
        return v
    }
    public mutating func readUInt32() throws -> UInt32 {
        let r = try take(4)
        var v: UInt32 = 0
        for i in (0..<4).reversed() { v = v << 8 | UInt32(bytes[r.lowerBound + i]) }
        return v
    }
    public mutating func readInt() throws -> Int { Int(Int64(bitPattern: try readUInt64())) }
    /// A count no larger than what is left (so a corrupt count cannot ask for a huge array).
    public mutating func readCount(elementSize: Int = 1) throws -> Int {
        let n = try readInt()
        guard n >= 0, n <= (end - offset) / max(1, elementSize) else {
            throw CommunicationError.shapeMismatch("a message from another process has a bad length \(n)")
        }
        return n
    }
    public mutating func readBool() throws -> Bool { bytes[try take(1).lowerBound] != 0 }
    public mutating func readDouble() throws -> Double { Double(bitPattern: try readUInt64()) }
    public mutating func readFloat() throws -> Float { Float(bitPattern: try readUInt32()) }
    public mutating func readString() throws -> String {
        let n = try readCount()
        let r = try take(n)
        return String(decoding: bytes[r], as: UTF8.self)
    }
    public mutating func readFloats() throws -> [Float] {
        let n = try readCount(elementSize: 4)
        let r = try take(4 * n)
        var out = [Float](repeating: 0, count: n)
        #if _endian(little)
        bytes.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[r]))
            }
        }
        #else
        bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n {
                    let b = r.lowerBound + 4 * i
                    let bits = UInt32(src[b]) | UInt32(src[b + 1]) << 8 | UInt32(src[b + 2]) << 16 | UInt32(src[b + 3]) << 24
                    dst[i] = Float(bitPattern: bits)
                }
            }
        }
        #endif
        return out
    }
    public mutating func readBytes() throws -> [UInt8] {
        let n = try readCount()
        return Array(bytes[try take(n)])
    }
}
