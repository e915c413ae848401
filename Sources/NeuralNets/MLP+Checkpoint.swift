extension MLP {
    /// Saves the parameters as a safetensors file, one tensor per layer weight and bias.
    /// - Throws: the file system's error if the file cannot be written.
    public func saveCheckpoint(to path: String, metadata: [String: String] = [:]) throws {
        try parameters.safetensors(metadata: metadata).write(to: path)
    }

    /// Loads parameters from a safetensors file written for a model of this shape.
    /// - Throws: `NeuralNetError.malformedCheckpoint` for an unreadable file, or
    ///   `NeuralNetError.checkpointMismatch` listing every name or shape that differs.
    ///   On error the parameters are unchanged.
    public mutating func loadCheckpoint(from path: String) throws {
        try parameters.load(from: SafetensorsFile(contentsOf: path))
    }
}
