/// The codes every exported function returns (`shoal_status` in `shoal_envs.h`; keep in step).
public enum ShoalStatus: Int32, Sendable {
    case ok = 0
    case invalidArgument = 1
    case unknownTask = 2
    case badParameters = 3
    case invalidAction = 4
    case invalidState = 5
    case invalidHandle = 6
    case bufferTooSmall = 7
    case unsupported = 8
    case busy = 9
    case `internal` = 10
}
