/// A multi-agent vector built from one parameter value per copy. ``MultiAgentTask`` makes these,
/// and splits a batch into chunks of them for ``ParallelMultiAgentVector``.
public protocol ParametricMultiAgentVector: MultiAgentVectorEnvironment {
    associatedtype Parameters: TaskParameters
    /// Copy `r` takes `parameters[r]` and draws from stream `(seed, firstIndex + r)`.
    init(parameters: [Parameters], firstIndex: Int) throws(EnvironmentError)
}

extension MultiAgentSerialVector: ParametricMultiAgentVector {
    public typealias Parameters = E.Parameters
}
