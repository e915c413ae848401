import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing the files users name, with failures as one short reason ("it is a
/// directory", "the disk is full", "permission denied") instead of a platform error domain.
public enum TextFile {
    /// Why a file could not be read or written.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The path as given.
        public var path: String
        /// A short lower-case reason, for example "it is a directory".
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The bytes of the file at `path`.
    public static func readData(_ path: String) throws(Failure) -> Data {
        guard !path.isEmpty else { throw Failure(path: "''", reason: "the path is empty") }
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw Failure(path: path, reason: "it is a directory, not a file")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(path: path, reason: reason(errno, writing: false)) }
        defer { close(fd) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, reason: reason(errno, writing: false))
            }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<n])
        }
        return data
    }

    /// The UTF-8 text of the file at `path`.
    public static func read(_ path: String) throws(Failure) -> String {
        let data = try readData(path)
        guard let text = String(data: data, encoding: .utf8) else { throw Failure(path: path, reason: "it is not UTF-8 text") }
        return text
    }

    /// Writes `text` to `path`, replacing the file.
    public static func write(_ text: String, to path: String) throws(Failure) {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `data` to `path`, replacing the file.
    public static func write(_ data: Data, to path: String) throws(Failure) {
        guard !path.isEmpty else { throw Failure(path: "''", reason: "the path is empty") }
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw Failure(path: path, reason: "it is a directory; give a file name")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw Failure(path: path, reason: reason(errno, writing: true)) }
        var failure: Int32 = 0
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let n = posixWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure != 0 { throw Failure(path: path, reason: reason(failure, writing: true)) }
    }

    /// A short reason for `code`.
    static func reason(_ code: Int32, writing: Bool) -> String {
        switch code {
        case ENOENT: return writing ? "its folder does not exist" : "the file does not exist"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "it is a directory, not a file"
        case ENOTDIR: return "a part of the path is not a directory"
        case ENOSPC: return "the disk is full"
        case EDQUOT: return "the disk quota is exhausted"
        case EROFS: return "the file system is read-only"
        case ENAMETOOLONG: return "the path is too long"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}

private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, bytes, count)
    #else
    Darwin.write(fd, bytes, count)
    #endif
}

private func posixRead(_ fd: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.read(fd, bytes, count)
    #else
    Darwin.read(fd, bytes, count)
    #endif
}
