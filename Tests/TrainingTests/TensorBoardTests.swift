import Envs
import Foundation
import Testing
@testable import Training

@Suite("TensorBoard event files: CRC-32C, TFRecord framing, the Event protocol buffer")
struct TensorBoardTests {
    /// The inputs of `Fixtures/make_tensorboard_fixture.py`, repeated here.
    static let start = 1700000000.25
    static let events: [(wallTime: Double, step: Int, scalars: [(String, Double)])] = [
        (1700000001.5, 0, [("train/episode_return", -500.0)]),
        (1700000002.75, 1000, [("train/episode_return", -312.5), ("comm/messages", 50.0)]),
        (1700000003.0, 2000, [("train/episode_return", -87.125)]),
        (1700000004.125, 3000, [("params/relative_deviation", 0.1)]),
        (1700000005.0, 123456789012, [("perf/env_steps_per_second", 2.5e7), ("train/episode_return", 0.0)]),
    ]

    static var fixture: URL {
        URL(fileURLWithPath: Bundle.module.path(forResource: "events.out.tfevents.1700000000", ofType: "fixture", inDirectory: "Fixtures")!)
    }

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-tensorboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes the fixture's events with Shoal's writer and returns the file.
    func writeFixtureEvents(into folder: URL, sourceWriter: String? = "tensorboard.summary.writer.event_file_writer") throws -> URL {
        let writer = try TensorBoardWriter(directory: folder, wallTime: Self.start, hostname: "fixture", sourceWriter: sourceWriter)
        for e in Self.events {
            if e.scalars.count == 1 {
                try writer.add(scalar: e.scalars[0].0, e.scalars[0].1, step: e.step, wallTime: e.wallTime)
            } else {
                try writer.add(scalars: e.scalars, step: e.step, wallTime: e.wallTime)
            }
        }
        try writer.close()
        return writer.url
    }

    @Test("CRC-32C golden values and the TFRecord mask")
    func crc32cGoldenValues() {
        // The check value of CRC-32C (RFC 3720 B.4 and every CRC catalogue), and RFC 3720's
        // 32 bytes of zeros and of 0xFF.
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        // Mask: rotate right by 15, add 0xA282EAD8; unmasked inverts it.
        #expect(CRC32C.masked(0) == 0xA282_EAD8)
        #expect(CRC32C.masked(0x0000_8000) == 0xA282_EAD9)
        for crc: UInt32 in [0, 1, 0xE306_9283, 0xFFFF_FFFF] { #expect(CRC32C.unmasked(CRC32C.masked(crc)) == crc) }
    }

    @Test("the writer's bytes equal those of TensorBoard's own EventFileWriter")
    func bytesMatchTensorBoardsWriter() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try writeFixtureEvents(into: folder)
        #expect(url.lastPathComponent == "events.out.tfevents.1700000000.fixture")
        let ours = try [UInt8](Data(contentsOf: url))
        let theirs = try [UInt8](Data(contentsOf: Self.fixture))
        #expect(ours.count == theirs.count)
        if let first = zip(ours, theirs).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
            Issue.record("first difference at byte \(first.offset): \(first.element.0) vs \(first.element.1)")
        }
        #expect(ours == theirs)
    }

    @Test("the reader parses TensorBoard's fixture")
    func readsTheFixture() throws {
        let events = try TensorBoardEventReader.events(at: Self.fixture)
        #expect(events.count == Self.events.count + 1)
        #expect(events[0].content == .fileVersion("brain.Event:2"))
        #expect(events[0].wallTime == Self.start)
        #expect(events[0].sourceWriter == "tensorboard.summary.writer.event_file_writer")
        let scalars = TensorBoardEventReader.scalars(of: events)
        let expected = Self.events.flatMap { e in e.scalars.map { (Int64(e.step), $0.0, Float($0.1), e.wallTime) } }
        #expect(scalars.count == expected.count)
        for (s, e) in zip(scalars, expected) {
            #expect(s == TensorBoardScalar(step: e.0, tag: e.1, value: e.2, wallTime: e.3))
        }
    }

    @Test("what Shoal writes reads back: steps, tags, values as 32-bit floats, wall times")
    func roundTrip() throws {
        // Into SHOAL_TENSORBOARD_DIR when set, so TensorBoard itself can read the file
        // (Fixtures/check_tensorboard_reads.py).
        let keep = ProcessInfo.processInfo.environment["SHOAL_TENSORBOARD_DIR"].map { URL(fileURLWithPath: $0) }
        let folder = try keep ?? temporaryFolder()
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        let writer = try TensorBoardWriter(directory: folder, wallTime: 10)
        var written: [TensorBoardScalar] = []
        for k in 0..<300 {
            let value = sin(Double(k) * 0.37) * 1000 + Double(k)
            try writer.add(scalars: [("train/episode_return", value), ("comm/messages", Double(k * 50))], step: k * 2500, wallTime: 10 + Double(k) / 8)
            written.append(TensorBoardScalar(step: Int64(k * 2500), tag: "train/episode_return", value: Float(value), wallTime: 10 + Double(k) / 8))
            written.append(TensorBoardScalar(step: Int64(k * 2500), tag: "comm/messages", value: Float(k * 50), wallTime: 10 + Double(k) / 8))
        }
        try writer.add(scalar: "negative/step", .infinity, step: -3, wallTime: 99)
        written.append(TensorBoardScalar(step: -3, tag: "negative/step", value: .infinity, wallTime: 99))
        try writer.close()
        #expect(throws: TensorBoardError.self) { try writer.add(scalar: "late", 1, step: 0) }
        #expect(writer.url.lastPathComponent.hasPrefix("events.out.tfevents.0000000010."))
        let events = try TensorBoardEventReader.events(at: writer.url)
        #expect(events.first?.content == .fileVersion(TensorBoardEvent.fileVersion))
        #expect(events.first?.sourceWriter == "shoal")
        #expect(try TensorBoardEventReader.scalars(at: writer.url) == written)
        // A second writer in the same second never overwrites the first file.
        let second = try TensorBoardWriter(directory: folder, wallTime: 10)
        try second.close()
        #expect(second.url != writer.url)
        #expect(try TensorBoardEventReader.scalars(at: writer.url).count == written.count)
    }

    @Test("flush makes the records visible before close")
    func flushWritesToTheFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = try TensorBoardWriter(directory: folder, wallTime: 5)
        try writer.add(scalar: "a", 1, step: 1, wallTime: 6)
        #expect(try TensorBoardEventReader.scalars(at: writer.url).isEmpty)
        try writer.flush()
        #expect(try TensorBoardEventReader.scalars(at: writer.url).map(\.value) == [1])
        try writer.close()
    }

    @Test("a metrics line becomes one event: numbers as tags, env_steps as the step")
    func metricsLines() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = try TensorBoardWriter(directory: folder, wallTime: 1)
        let line = try JSONValue.parse(#"{"round": 4, "env_steps": 2500, "wall_seconds": 1.5, "train/episode_return": null, "train/agent_return": [-3, null, 5], "comm/messages": 96}"#)
        #expect(try writer.add(metrics: line, wallTime: 2) == 2)
        #expect(try writer.add(metrics: line, wallTime: 3, lists: true) == 4)
        #expect(throws: TensorBoardError("the metrics line has no env_steps to use as the TensorBoard step")) {
            try writer.add(metrics: try JSONValue.parse(#"{"round": 1}"#))
        }
        try writer.close()
        let scalars = try TensorBoardEventReader.scalars(at: writer.url)
        #expect(scalars.map(\.tag) == ["wall_seconds", "comm/messages", "wall_seconds", "train/agent_return/0", "train/agent_return/2", "comm/messages"])
        #expect(scalars.allSatisfy { $0.step == 2500 })
        #expect(scalars.map(\.value) == [1.5, 96, 1.5, -3, 5, 96])
    }

    @Test("a torn or corrupt file is one sentence naming the record")
    func tornAndCorruptFiles() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.fixture))
        let records = try TFRecordFraming.records(in: bytes)
        #expect(records.count == Self.events.count + 1)
        let secondStart = 16 + records[0].count
        // Cut inside the header of record 1, then inside its data.
        for (cut, expected) in [(secondStart + 5, "record 1 at byte \(secondStart) has 5 of its 12 header bytes"),
                                (bytes.count - 3, "is torn: record \(records.count - 1)")] {
            do {
                _ = try TensorBoardEventReader.events(in: Array(bytes[0..<cut]), name: "run.tfevents")
                Issue.record("a file cut at byte \(cut) was accepted")
            } catch let error as TensorBoardError {
                #expect(error.message.hasPrefix("run.tfevents is torn"))
                #expect(error.message.contains(expected), "\(error.message)")
                #expect(!error.message.contains("\n"))
            }
        }
        // One flipped bit in the data of record 2, then in the length of record 1.
        var flipped = bytes
        let thirdStart = secondStart + 16 + records[1].count
        flipped[thirdStart + 12 + 3] ^= 0x10
        #expect(throws: TensorBoardError("run.tfevents is corrupt: the data of record 2 at byte \(thirdStart) fails its CRC-32C")) {
            try TensorBoardEventReader.events(in: flipped, name: "run.tfevents")
        }
        flipped = bytes
        flipped[secondStart] ^= 0x01
        #expect(throws: TensorBoardError("run.tfevents is corrupt: the length of record 1 at byte \(secondStart) fails its CRC-32C")) {
            try TensorBoardEventReader.events(in: flipped, name: "run.tfevents")
        }
        // A well-framed record that is not an Event.
        let garbage = bytes + TFRecordFraming.frame([0x0A, 0x05, 0x01])
        #expect(throws: TensorBoardError.self) { try TensorBoardEventReader.events(in: garbage, name: "run.tfevents") }
        // A missing file.
        #expect(throws: TensorBoardError.self) { try TensorBoardEventReader.events(at: URL(fileURLWithPath: "/nonexistent/events.out.tfevents.1")) }
    }

    @Test("protobuf encodings: varints, negative int64, omitted defaults")
    func protobufEncodings() throws {
        var w = ProtobufWriter()
        w.varint(300)
        #expect(w.bytes == [0xAC, 0x02])
        var n = ProtobufWriter()
        n.int64(2, -1)
        #expect(n.bytes == [0x10] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
        // Wall time 0 and step 0 are proto3 defaults and left out: only the summary remains.
        let event = TensorBoardEvent(wallTime: 0, step: 0, content: .summary([.init(tag: "x", simpleValue: 0)]))
        #expect(event.encoded() == [0x2A, 0x0A, 0x0A, 0x08, 0x0A, 0x01, 0x78, 0x15, 0, 0, 0, 0])
        #expect(try TensorBoardEvent(decoding: event.encoded()) == event)
        let back = try TensorBoardEvent(decoding: n.bytes)
        #expect(back.step == -1)
    }
}
