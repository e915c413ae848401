import Envs

/// A failed call through the C interface: the status to return and the one-sentence message
/// that `shoal_last_error()` hands to the caller.
public struct CAPIFailure: Error, Sendable, CustomStringConvertible {
    public var status: ShoalStatus
    public var message: String

    public init(_ status: ShoalStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }

    /// Any error thrown by the environments, classified: action and state errors keep their own
    /// codes, parameter errors are bad parameters, everything else an invalid argument.
    public static func from(_ error: any Error) -> CAPIFailure {
        switch error {
        case let failure as CAPIFailure:
            return failure
        case let error as EnvironmentError:
            switch error {
            case .wrongActionCount, .discreteActionOutOfRange, .nonFiniteAction:
                return CAPIFailure(.invalidAction, error.description)
            case .invalidState:
                return CAPIFailure(.invalidState, error.description)
            case .incompatibleCopies, .invalid:
                return CAPIFailure(.invalidArgument, error.description)
            }
        case let error as ParameterError:
            return CAPIFailure(.badParameters, error.message)
        case let error as RegistryError:
            return CAPIFailure(.invalidArgument, error.message)
        default:
            return CAPIFailure(.internal, "\(error)")
        }
    }
}
