#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The message of the last failing call on each thread (`shoal_last_error()`), kept as a C string
/// that the library owns until the thread's next failure. Only failures allocate.
enum LastError {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        _ = pthread_key_create(&key) { pointer in free(pointer) }
        return key
    }()

    private static let empty: UnsafeMutablePointer<CChar> = strdup("")!

    /// Records `message` for the calling thread.
    static func set(_ message: String) {
        let old = pthread_getspecific(key)
        _ = pthread_setspecific(key, strdup(message))
        free(old)
    }

    /// The calling thread's last message, or "".
    static var current: UnsafePointer<CChar> {
        guard let p = pthread_getspecific(key) else { return UnsafePointer(empty) }
        return UnsafePointer(p.assumingMemoryBound(to: CChar.self))
    }

    /// The calling thread's last message as a Swift string.
    static var text: String { String(cString: current) }
}
