import Foundation
import Testing
@testable import ShoalCLI

@Suite("shoal envs render navigation")
struct NavigationRenderTests {
    @Test("PNG checksums: CRC-32 and Adler-32 golden values")
    func checksums() {
        #expect(crc32(Array("IEND".utf8)) == 0xAE42_6082)          // every PNG's IEND chunk CRC
        #expect(adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)   // RFC 1950's worked example
    }

    @Test("a PNG has the signature, a 2×1 header and stored blocks of filter-0 scanlines")
    func png() {
        var image = RasterImage(width: 2, height: 1)
        image.set(0, 0, 1, 0, 0)
        image.set(1, 0, 0, 0, 1)
        let bytes = [UInt8](image.pngData())
        #expect(Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Array(bytes[16..<24]) == [0, 0, 0, 2, 0, 0, 0, 1])
        // IDAT body: zlib header, final stored block of 7 bytes (filter 0 + two RGB pixels).
        let idat = bytes.indices.first { bytes[$0] == 0x49 && bytes[$0 + 1] == 0x44 && bytes[$0 + 2] == 0x41 && bytes[$0 + 3] == 0x54 }!
        #expect(Array(bytes[(idat + 4)..<(idat + 18)]) == [0x78, 0x01, 1, 7, 0, 0xF8, 0xFF, 0, 255, 0, 0, 0, 0, 255])
    }

    @Test("the top view and the camera are written; a bad map is one sentence and a non-zero exit")
    func render() throws {
        let folder = try ShoalBinary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let svg = folder.appendingPathComponent("twist.svg").path, png = folder.appendingPathComponent("twist.png").path
        let ok = try ShoalBinary.run(["envs", "render", "navigation/indoor-v1", "--param", "map=twist", "--policy", "random",
                                      "--out", svg, "--camera", png])
        #expect(ok.status == 0)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("<polyline"))
        #expect(FileManager.default.fileExists(atPath: png))
        let bad = try ShoalBinary.run(["envs", "render", "navigation/indoor-v1", "--param", "map=twsit", "--out", svg])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("unknown indoor map 'twsit'; did you mean 'twist'?"))
    }
}
