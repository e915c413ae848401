import Foundation

/// An 8-bit RGB image that writes itself as PNG (stored deflate blocks, no compression library)
/// or binary PPM, chosen by the file extension.
struct RasterImage {
    let width: Int
    let height: Int
    /// Row-major RGB bytes.
    var pixels: [UInt8]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
    }

    /// Sets a pixel from channels in [0, 1].
    mutating func set(_ x: Int, _ y: Int, _ r: Float, _ g: Float, _ b: Float) {
        let i = (y * width + x) * 3
        pixels[i] = Self.byte(r); pixels[i + 1] = Self.byte(g); pixels[i + 2] = Self.byte(b)
    }

    static func byte(_ v: Float) -> UInt8 { UInt8((min(max(v, 0), 1) * 255).rounded()) }

    /// Writes `.png` or `.ppm`; any other extension is an error.
    func write(to path: String) throws {
        let data: Data
        switch (path as NSString).pathExtension.lowercased() {
        case "png": data = pngData()
        case "ppm": data = Data("P6\n\(width) \(height)\n255\n".utf8) + Data(pixels)
        default: throw CLIError("the camera image '\(path)' must end in .png or .ppm")
        }
        try writeDataFile(data, to: path, what: "the camera image")
    }

    /// PNG (ISO/IEC 15948): signature, IHDR, one IDAT holding a zlib stream of stored (uncompressed)
    /// deflate blocks (RFC 1950/1951) of the filter-0 scanlines, IEND; chunks carry CRC-32.
    func pngData() -> Data {
        var raw: [UInt8] = []
        raw.reserveCapacity(height * (width * 3 + 1))
        for y in 0..<height {
            raw.append(0)
            raw += pixels[(y * width * 3)..<((y + 1) * width * 3)]
        }
        var zlib: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65_535, raw.count - offset)
            let last: UInt8 = offset + n == raw.count ? 1 : 0
            zlib += [last, UInt8(n & 255), UInt8(n >> 8), UInt8(~n & 255), UInt8((~n >> 8) & 255)]
            zlib += raw[offset..<(offset + n)]
            offset += n
        } while offset < raw.count
        zlib += bigEndian(adler32(raw))
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        out += chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 2, 0, 0, 0])
        out += chunk("IDAT", zlib)
        out += chunk("IEND", [])
        return Data(out)
    }

    private func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + body
        return bigEndian(UInt32(body.count)) + typed + bigEndian(crc32(typed))
    }
}

private func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 255), UInt8((v >> 8) & 255), UInt8(v & 255)] }

/// CRC-32 (ISO 3309, polynomial 0xEDB88320, reflected), as PNG chunks use.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes {
        c ^= UInt32(b)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }
    return ~c
}

/// Adler-32 (RFC 1950), the zlib stream checksum.
func adler32(_ bytes: [UInt8]) -> UInt32 {
    var a: UInt32 = 1, b: UInt32 = 0
    for x in bytes { a = (a + UInt32(x)) % 65_521; b = (b + a) % 65_521 }
    return (b << 16) | a
}
