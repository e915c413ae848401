import Foundation

/// A safetensors file (the Hugging Face format that numpy, PyTorch and JAX read):
///
/// - 8 bytes: N, the header length, unsigned little-endian;
/// - N bytes: a UTF-8 JSON object mapping each tensor name to
///   `{"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}` (byte offsets into
///   the data section), plus an optional `"__metadata__"` object of string values;
/// - the data section: raw little-endian elements.
///
/// Writing stores every tensor as `F32` in the given order, with the header padded by
/// spaces to a multiple of 8 bytes (as the reference implementation does). Reading
/// accepts `F32`, `F64`, `F16` and `BF16` (converted to `Float`) in any offset order and
/// rejects anything malformed with one sentence naming the problem.
public struct SafetensorsFile: Hashable, Sendable {
    /// The tensors, in the order they are written (read files: in data-offset order).
    public var tensors: [SafetensorsTensor]
    /// Free-form string metadata (`__metadata__`).
    public var metadata: [String: String]

    /// Largest header accepted when reading (the reference implementation's limit).
    public static let maximumHeaderBytes = 100_000_000

    /// A file with the given tensors and metadata.
    /// - Throws: `NeuralNetError.invalidArgument` for a duplicate name or the reserved
    ///   name `__metadata__`.
    public init(tensors: [SafetensorsTensor], metadata: [String: String] = [:]) throws {
        var seen = Set<String>()
        for tensor in tensors {
            guard tensor.name != "__metadata__" else {
                throw NeuralNetError.invalidArgument("'__metadata__' is reserved and cannot name a tensor.")
            }
            guard seen.insert(tensor.name).inserted else {
                throw NeuralNetError.invalidArgument("The tensor name '\(tensor.name)' appears twice.")
            }
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor called `name`, if any.
    public func tensor(named name: String) -> SafetensorsTensor? { tensors.first { $0.name == name } }

    // MARK: Writing

    /// The file's bytes.
    public func serialized() -> [UInt8] {
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(Self.jsonString($0)):\(Self.jsonString(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for tensor in tensors {
            let bytes = tensor.values.count * 4
            entries.append(
                "\(Self.jsonString(tensor.name)):{\"dtype\":\"F32\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],"
                    + "\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for tensor in tensors {
            for value in tensor.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
        }
        return out
    }

    /// Writes the file atomically (to a temporary name, then renamed).
    /// - Throws: the file system's error if it cannot be written.
    public func write(to path: String) throws {
        try Data(serialized()).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    // MARK: Reading

    /// Reads a file from disk.
    /// - Throws: `NeuralNetError.malformedCheckpoint` naming the file and the problem.
    public init(contentsOf path: String) throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw NeuralNetError.malformedCheckpoint("Cannot read the checkpoint file '\(path)': \(error.localizedDescription)")
        }
        do { try self.init(bytes: [UInt8](data)) } catch NeuralNetError.malformedCheckpoint(let message) {
            throw NeuralNetError.malformedCheckpoint("'\(path)': \(message)")
        }
    }

    /// Parses a file's bytes.
    /// - Throws: `NeuralNetError.malformedCheckpoint` with one sentence naming the problem.
    public init(bytes: [UInt8]) throws {
        func fail(_ message: String) -> NeuralNetError { .malformedCheckpoint(message) }
        guard bytes.count >= 8 else {
            throw fail("The file has \(bytes.count) bytes, fewer than the 8-byte header length of a safetensors file.")
        }
        var length: UInt64 = 0
        for k in 0..<8 { length |= UInt64(bytes[k]) << (8 * UInt64(k)) }
        guard length <= UInt64(min(Self.maximumHeaderBytes, bytes.count - 8)) else {
            throw fail("The header length \(length) exceeds the file size or the \(Self.maximumHeaderBytes)-byte limit.")
        }
        let headerEnd = 8 + Int(length)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
        } catch {
            throw fail("The header is not valid JSON.")
        }
        guard let header = object as? [String: Any] else { throw fail("The header is not a JSON object.") }
        let dataCount = bytes.count - headerEnd

        var metadata: [String: String] = [:]
        var entries: [(begin: Int, tensor: SafetensorsTensor)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let pairs = value as? [String: Any] else { throw fail("'__metadata__' is not a JSON object.") }
                for (key, item) in pairs {
                    guard let text = item as? String else { throw fail("The metadata value for '\(key)' is not a string.") }
                    metadata[key] = text
                }
                continue
            }
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                let shapeList = info["shape"] as? [Any], let offsetList = info["data_offsets"] as? [Any],
                offsetList.count == 2
            else {
                throw fail("The entry for tensor '\(name)' lacks a dtype, a shape or two data offsets.")
            }
            let shape = try shapeList.map { item -> Int in
                guard let number = item as? NSNumber, let d = Int(exactly: number.doubleValue), d >= 0 else {
                    throw fail("The tensor '\(name)' has a shape that is not a list of non-negative integers.")
                }
                return d
            }
            let offsets = try offsetList.map { item -> Int in
                guard let number = item as? NSNumber, let d = Int(exactly: number.doubleValue), d >= 0 else {
                    throw fail("The tensor '\(name)' has data offsets that are not non-negative integers.")
                }
                return d
            }
            guard let width = Self.elementBytes[dtype] else {
                throw fail("The tensor '\(name)' has dtype \(dtype); only F32, F64, F16 and BF16 can be read.")
            }
            guard let count = checkedElementCount(shape), count <= dataCount / width else {
                throw fail("The tensor '\(name)' has shape \(shape), larger than the \(dataCount)-byte data section.")
            }
            guard offsets[0] <= offsets[1], offsets[1] <= dataCount else {
                throw fail("The tensor '\(name)' has data offsets \(offsets) outside the \(dataCount)-byte data section.")
            }
            guard offsets[1] - offsets[0] == count * width else {
                throw fail("The tensor '\(name)' has \(offsets[1] - offsets[0]) data bytes, but shape \(shape) of \(dtype) needs \(count * width).")
            }
            let start = headerEnd + offsets[0]
            let values = Self.decode(bytes, from: start, count: count, dtype: dtype)
            entries.append((offsets[0], try SafetensorsTensor(name: name, shape: shape, values: values, dtype: dtype)))
        }
        entries.sort { ($0.begin, $0.tensor.name) < ($1.begin, $1.tensor.name) }
        try self.init(tensors: entries.map(\.tensor), metadata: metadata)
    }

    static let elementBytes = ["F32": 4, "F64": 8, "F16": 2, "BF16": 2]

    static func decode(_ bytes: [UInt8], from start: Int, count: Int, dtype: String) -> [Float] {
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + start
            switch dtype {
            case "F64":
                return (0..<count).map { i in
                    Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                }
            case "F16":
                return (0..<count).map { i in
                    halfToFloat(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                }
            case "BF16":
                return (0..<count).map { i in
                    let bits = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                    return Float(bitPattern: UInt32(bits) << 16)
                }
            default:
                return (0..<count).map { i in
                    Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                }
            }
        }
    }
}

/// IEEE 754 binary16 to Float, including subnormals, infinities and NaN.
func halfToFloat(_ h: UInt16) -> Float {
    let sign: Float = (h & 0x8000) != 0 ? -1 : 1
    let exponent = Int((h >> 10) & 0x1F)
    let fraction = Float(h & 0x3FF)
    switch exponent {
    case 0: return sign * fraction * 0x1p-24
    case 31: return fraction == 0 ? sign * .infinity : .nan
    default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
    }
}
