#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Thin wrappers so that `Random` does not force Foundation on users of the generator.
@inlinable @inline(__always) func _log(_ x: Double) -> Double { log(x) }
@inlinable @inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
