import Foundation

/// Reads a TensorBoard event file back: every record's two CRC-32Cs are checked, every event
/// decoded, and the scalars (`simple_value`s) returned in file order. A torn file (cut in the
/// middle of a record), a failed checksum or a malformed event is one sentence naming the file,
/// the record and its byte offset.
public enum TensorBoardEventReader {
    /// Every event of the file, the version event first.
    public static func events(at url: URL) throws -> [TensorBoardEvent] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TensorBoardError("cannot read the TensorBoard event file \(url.path): \(error.localizedDescription)")
        }
        return try events(in: [UInt8](data), name: url.lastPathComponent)
    }

    /// Every event in `bytes` (`name` is how the file is called in an error).
    public static func events(in bytes: [UInt8], name: String = "the event file") throws -> [TensorBoardEvent] {
        let records = try TFRecordFraming.records(in: bytes, name: name)
        var events: [TensorBoardEvent] = []
        events.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            do { events.append(try TensorBoardEvent(decoding: record)) } catch let error as TensorBoardError {
                throw TensorBoardError("\(name) holds a malformed event in record \(index): \(error.message)")
            }
        }
        return events
    }

    /// The scalars of the file, in order.
    public static func scalars(at url: URL) throws -> [TensorBoardScalar] {
        scalars(of: try events(at: url))
    }

    /// The scalars of `events`, in order.
    public static func scalars(of events: [TensorBoardEvent]) -> [TensorBoardScalar] {
        var out: [TensorBoardScalar] = []
        for event in events {
            guard case .summary(let values) = event.content else { continue }
            for v in values {
                if let simple = v.simpleValue { out.append(TensorBoardScalar(step: event.step, tag: v.tag, value: simple, wallTime: event.wallTime)) }
            }
        }
        return out
    }
}
