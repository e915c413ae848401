/// One scalar read back from an event file.
public struct TensorBoardScalar: Equatable, Sendable {
    public var step: Int64
    public var tag: String
    public var value: Float
    public var wallTime: Double
    public init(step: Int64, tag: String, value: Float, wallTime: Double) {
        self.step = step
        self.tag = tag
        self.value = value
        self.wallTime = wallTime
    }
}
