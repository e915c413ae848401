import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes scalars to a TensorBoard event file, `events.out.tfevents.<unix seconds>.<hostname>`
/// in a directory, so `tensorboard --logdir` shows them: one tag per metric, the step being
/// whatever the caller counts (Shoal uses environment steps).
///
/// The file starts with the `brain.Event:2` version event; every ``add(scalar:_:step:wallTime:)``
/// appends one `Event` with a `Summary` of `simple_value`s, framed as a TFRecord. Records are
/// buffered: call ``flush()`` after each logged round so a running TensorBoard sees them, and
/// ``close()`` at the end (deinit flushes too). Given wall times, the bytes are deterministic.
///
/// ```swift
/// let board = try TensorBoardWriter(directory: runDirectory)
/// try board.add(scalars: [("train/episode_return", -120.5), ("comm/messages", 4000)], step: envSteps)
/// try board.flush()
/// ```
public final class TensorBoardWriter {
    /// The event file.
    public let url: URL
    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    /// Buffered bytes past which ``add(scalar:_:step:wallTime:)`` writes to the file by itself.
    public var bufferLimit = 1 << 16

    /// Creates the directory if needed and opens a new event file in it, writing the version
    /// event. `wallTime` (seconds since 1970, default now) names the file and stamps the version
    /// event; `hostname` defaults to this machine's; `sourceWriter` is recorded in the version
    /// event as the program that wrote the file. An existing file of that name is never
    /// overwritten: a `.1`, `.2`, … suffix is added.
    public init(directory: URL, wallTime: Double? = nil, hostname: String? = nil, sourceWriter: String? = "shoal") throws {
        let time = wallTime ?? Date().timeIntervalSince1970
        let host = hostname ?? Self.machineName()
        let manager = FileManager.default
        do { try manager.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw TensorBoardError("cannot create the TensorBoard directory \(directory.path): \(error.localizedDescription)")
        }
        let seconds = String(Int(time.rounded(.down)))
        let base = "events.out.tfevents." + String(repeating: "0", count: max(0, 10 - seconds.count)) + seconds + "." + host
        var candidate = directory.appendingPathComponent(base)
        var suffix = 0
        while manager.fileExists(atPath: candidate.path) {
            suffix += 1
            candidate = directory.appendingPathComponent(base + ".\(suffix)")
        }
        url = candidate
        guard manager.createFile(atPath: url.path, contents: nil), let handle = FileHandle(forWritingAtPath: url.path) else {
            throw TensorBoardError("cannot create the TensorBoard event file \(url.path)")
        }
        self.handle = handle
        append(TensorBoardEvent(wallTime: time, step: 0, content: .fileVersion(TensorBoardEvent.fileVersion), sourceWriter: sourceWriter))
        try flush()
    }

    deinit { try? close() }

    /// Appends one scalar (stored as a 32-bit float, as TensorBoard's `simple_value`).
    public func add(scalar tag: String, _ value: Double, step: Int, wallTime: Double? = nil) throws {
        try add(scalars: [(tag, value)], step: step, wallTime: wallTime)
    }

    /// Appends several scalars of one step as one event (one `Summary` with a value per tag).
    public func add(scalars: [(String, Double)], step: Int, wallTime: Double? = nil) throws {
        guard handle != nil else { throw TensorBoardError("the TensorBoard event file \(url.lastPathComponent) is already closed") }
        guard !scalars.isEmpty else { return }
        let values = scalars.map { TensorBoardEvent.Value(tag: $0.0, simpleValue: Float($0.1)) }
        append(TensorBoardEvent(wallTime: wallTime ?? Date().timeIntervalSince1970, step: Int64(step), content: .summary(values)))
        if buffer.count >= bufferLimit { try flush() }
    }

    /// Writes the buffered records to the file.
    public func flush() throws {
        guard let handle, !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch {
            throw TensorBoardError("cannot write the TensorBoard event file \(url.path): \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file; later calls do nothing, later ``add(scalar:_:step:wallTime:)`` throws.
    public func close() throws {
        guard let handle else { return }
        try flush()
        self.handle = nil
        do { try handle.close() } catch {
            throw TensorBoardError("cannot close the TensorBoard event file \(url.path): \(error.localizedDescription)")
        }
    }

    private func append(_ event: TensorBoardEvent) {
        buffer += TFRecordFraming.frame(event.encoded())
    }

    /// The host name, as Python's `socket.gethostname()` gives it.
    static func machineName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count) == 0 else { return "localhost" }
        let host = String(cString: name)
        return host.isEmpty ? "localhost" : host
    }
}
