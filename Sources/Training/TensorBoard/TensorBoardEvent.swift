/// One TensorBoard `Event` protocol buffer, reduced to what scalar logging uses:
/// `Event { double wall_time = 1; int64 step = 2; oneof { string file_version = 3; Summary summary = 5 } }`,
/// `Summary { repeated Value value = 1 }`, `Value { string tag = 1; float simple_value = 2 }`,
/// and `SourceMetadata source_metadata = 10 { string writer = 1 }`, the name of the program that
/// wrote the file (TensorBoard's own writer puts it in the version event).
///
/// ``encoded()`` writes the bytes TensorBoard's own (Python) serialiser writes: fields in number
/// order, a zero `wall_time` or `step` left out (proto3 defaults), `simple_value` always written
/// (it is a member of a oneof).
public struct TensorBoardEvent: Equatable, Sendable {
    /// One `Summary.Value`: a tag and, for a scalar, its `simple_value` (nil for the other kinds
    /// of value, images, histograms, tensors, which are skipped when reading).
    public struct Value: Equatable, Sendable {
        public var tag: String
        public var simpleValue: Float?
        public init(tag: String, simpleValue: Float?) {
            self.tag = tag
            self.simpleValue = simpleValue
        }
    }

    public enum Content: Equatable, Sendable {
        /// The first event of a file: `"brain.Event:2"`.
        case fileVersion(String)
        case summary([Value])
        /// Any other kind of event (graph, log message, session log, …), skipped.
        case other
    }

    /// The version string TensorBoard expects in the first event of a file.
    public static let fileVersion = "brain.Event:2"

    public var wallTime: Double
    public var step: Int64
    public var content: Content
    /// `source_metadata.writer`, if present.
    public var sourceWriter: String?

    public init(wallTime: Double, step: Int64, content: Content, sourceWriter: String? = nil) {
        self.wallTime = wallTime
        self.step = step
        self.content = content
        self.sourceWriter = sourceWriter
    }

    /// The serialised message.
    public func encoded() -> [UInt8] {
        var event = ProtobufWriter()
        if wallTime.bitPattern != 0 { event.double(1, wallTime) }
        if step != 0 { event.int64(2, step) }
        switch content {
        case .fileVersion(let version):
            event.string(3, version)
        case .summary(let values):
            var summary = ProtobufWriter()
            for v in values {
                var value = ProtobufWriter()
                if !v.tag.isEmpty { value.string(1, v.tag) }
                if let simple = v.simpleValue { value.float(2, simple) }
                summary.lengthDelimited(1, value.bytes)
            }
            event.lengthDelimited(5, summary.bytes)
        case .other:
            break
        }
        if let sourceWriter {
            var source = ProtobufWriter()
            if !sourceWriter.isEmpty { source.string(1, sourceWriter) }
            event.lengthDelimited(10, source.bytes)
        }
        return event.bytes
    }

    /// Decodes a serialised `Event`; a malformed message throws a sentence saying what is wrong.
    public init(decoding bytes: [UInt8]) throws {
        var wallTime = 0.0, step: Int64 = 0
        var content = Content.other
        var sourceWriter: String?
        var reader = ProtobufReader(bytes)
        while let (field, value) = try reader.next() {
            switch (field, value) {
            case (1, .fixed64(let bits)): wallTime = Double(bitPattern: bits)
            case (2, .varint(let v)): step = Int64(bitPattern: v)
            case (3, .bytes(let data)): content = .fileVersion(String(decoding: data, as: UTF8.self))
            case (5, .bytes(let data)): content = .summary(try Self.decodeSummary(data))
            case (10, .bytes(let data)):
                sourceWriter = ""
                var source = ProtobufReader(data)
                while let (f, v) = try source.next() {
                    if f == 1, case .bytes(let text) = v { sourceWriter = String(decoding: text, as: UTF8.self) }
                }
            case (1, _), (2, _), (3, _), (5, _), (10, _):
                throw TensorBoardError("Event field \(field) has the wrong wire type")
            default: break
            }
        }
        self.init(wallTime: wallTime, step: step, content: content, sourceWriter: sourceWriter)
    }

    static func decodeSummary(_ bytes: [UInt8]) throws -> [Value] {
        var values: [Value] = []
        var reader = ProtobufReader(bytes)
        while let (field, value) = try reader.next() {
            guard field == 1 else { continue }
            guard case .bytes(let data) = value else { throw TensorBoardError("Summary field 1 has the wrong wire type") }
            var tag = "", simple: Float?
            var inner = ProtobufReader(data)
            while let (f, v) = try inner.next() {
                switch (f, v) {
                case (1, .bytes(let text)): tag = String(decoding: text, as: UTF8.self)
                case (2, .fixed32(let bits)): simple = Float(bitPattern: bits)
                case (1, _), (2, _): throw TensorBoardError("Summary.Value field \(f) has the wrong wire type")
                default: break
                }
            }
            values.append(Value(tag: tag, simpleValue: simple))
        }
        return values
    }
}
