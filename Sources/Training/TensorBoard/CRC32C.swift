/// CRC-32C (Castagnoli): the checksum of TFRecord framing, with the mask TFRecord applies.
///
/// Reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF, so
/// `CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283`. TFRecord stores
/// `masked(crc) = ((crc >> 15) | (crc << 17)) + 0xA282EAD8` (mod 2³²): a checksum of data that
/// itself holds checksums is then unlikely to be degenerate.
public enum CRC32C {
    /// The lookup table of the reflected polynomial, one entry per byte value.
    static let table: [UInt32] = (0..<256).map { byte -> UInt32 in
        var crc = UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    /// The CRC-32C of `bytes`.
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// The CRC as TFRecord stores it.
    public static func masked(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }

    /// The inverse of ``masked(_:)``.
    public static func unmasked(_ stored: UInt32) -> UInt32 {
        let rotated = stored &- 0xA282_EAD8
        return (rotated >> 17) | (rotated << 15)
    }

    /// The masked CRC-32C of `bytes`, as written after a TFRecord length or payload.
    public static func maskedChecksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        masked(checksum(bytes))
    }
}
