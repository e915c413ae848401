/// A task identifier, `family[/task]-vN`: `cart-pole-v1`, `cart-pole/swing-up-v1`,
/// `grid-world/two-task-chain-v1`. The version bumps whenever returns would change for the same
/// seed and actions.
public struct TaskID: Hashable, Sendable, Comparable, LosslessStringConvertible {
    /// `family[/task]`, lowercase kebab-case segments.
    public var name: String
    public var version: Int

    public init(name: String, version: Int) {
        self.name = name
        self.version = version
    }

    /// Parses `family[/task]-vN`; nil if the text does not have that form.
    public init?(_ text: String) {
        guard let range = text.range(of: "-v", options: .backwards),
              let version = Int(text[range.upperBound...]), version >= 0,
              String(version) == text[range.upperBound...] else { return nil }
        let name = String(text[..<range.lowerBound])
        let segments = name.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        guard !segments.isEmpty, segments.allSatisfy({ !$0.isEmpty && $0.allSatisfy(allowed.contains) && $0.first != "-" && $0.last != "-" })
        else { return nil }
        self.init(name: name, version: version)
    }

    /// The family: the first segment of the name (`cart-pole` for `cart-pole/swing-up-v1`).
    public var family: String { String(name.split(separator: "/").first ?? Substring(name)) }

    public var description: String { "\(name)-v\(version)" }

    public static func < (a: TaskID, b: TaskID) -> Bool { a.description < b.description }
}
