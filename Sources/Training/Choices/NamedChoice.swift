import Envs

/// A closed set of named choices (architectures, topologies, mixing rules): the one path by
/// which a name typed in a configuration file or on the command line becomes a value, with
/// "did you mean" and the list of valid names in the error.
public protocol NamedChoice: RawRepresentable, CaseIterable, Sendable where RawValue == String {
    /// What the choice is called in messages ("architecture", "topology").
    static var choiceName: String { get }
}

extension NamedChoice {
    /// Every valid name, in declaration order.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// The choice called `name`, or one sentence naming the closest valid name and all of them.
    public static func parse(_ name: String) throws -> Self {
        if let value = Self(rawValue: name) { return value }
        throw TrainingError(unknownNameMessage(choiceName, name, among: names))
    }
}

/// "unknown architecture 'centralized'; did you mean 'centralised'? Valid: decentralised, centralised, specialised."
public func unknownNameMessage(_ kind: String, _ name: String, among valid: [String]) -> String {
    var m = "unknown \(kind) '\(name)'"
    if let g = closestName(to: name, among: valid) { m += "; did you mean '\(g)'?" } else { m += "." }
    return m + " Valid: \(valid.joined(separator: ", "))."
}
