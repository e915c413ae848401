/// A vector environment built from one parameter value per copy. ``Task`` makes these, and
/// splits a batch into chunks of them for ``ParallelVector``.
public protocol ParametricVector: VectorEnvironment {
    associatedtype Parameters: TaskParameters
    /// Copy `r` takes `parameters[r]` and draws from stream `(seed, firstIndex + r)`.
    init(parameters: [Parameters], firstIndex: Int) throws(EnvironmentError)
}

extension SerialVector: ParametricVector {
    public typealias Parameters = E.Parameters
}
