/// A batch of ``IndoorNavigation`` copies with a specialised stepping loop (see ``SpecializedVector``).
public struct IndoorNavigationVector: SpecializedVector {
    public var base: SerialVector<IndoorNavigation>
    public init(base: SerialVector<IndoorNavigation>) { self.base = base }
}
