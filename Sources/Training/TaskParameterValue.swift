import Envs

/// A task parameter override in a run configuration: a number (a boolean parameter takes 0 or
/// 1) or a text value (for example `reward = "assigned-loss"` of `mpe/simple-spread-v1`). The
/// task checks the value against its own field when the run is planned.
public enum TaskParameterValue: Sendable, Equatable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    case number(Double)
    case text(String)

    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(stringLiteral value: String) { self = .text(value) }

    /// The value as written in `config.json`.
    public var json: JSONValue {
        switch self {
        case .number(let v): return .real(v)
        case .text(let s): return .string(s)
        }
    }
}
