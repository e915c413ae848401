extension ParameterVector {
    /// The vector as a safetensors file: one `F32` tensor per slice, named and shaped as
    /// the layout says (so `layers.0.weight` loads straight into PyTorch's `nn.Linear`).
    public func safetensors(metadata: [String: String] = [:]) -> SafetensorsFile {
        // A layout's names are unique and never `__metadata__`, and each slice's count is
        // its shape's product, so neither initialiser can fail here.
        let tensors = layout.slices.map { slice in
            try! SafetensorsTensor(name: slice.name, shape: slice.shape, values: Array(values[slice.range]))
        }
        return try! SafetensorsFile(tensors: tensors, metadata: metadata)
    }

    /// Replaces every value with the tensor of the same name in `file`.
    ///
    /// Nothing changes unless the file matches the layout exactly: the same names, the
    /// same shapes. Otherwise one error lists every mismatch — missing tensors,
    /// unexpected tensors and shape differences.
    /// - Throws: `NeuralNetError.checkpointMismatch` with the list.
    public mutating func load(from file: SafetensorsFile) throws {
        var problems: [String] = []
        var byName: [String: SafetensorsTensor] = [:]
        for tensor in file.tensors { byName[tensor.name] = tensor }
        for slice in layout.slices {
            guard let tensor = byName[slice.name] else {
                problems.append("missing tensor '\(slice.name)' of shape \(slice.shape)")
                continue
            }
            if tensor.shape != slice.shape {
                problems.append("tensor '\(slice.name)' has shape \(tensor.shape) but the model expects \(slice.shape)")
            }
        }
        let expected = Set(layout.slices.map(\.name))
        for tensor in file.tensors where !expected.contains(tensor.name) {
            problems.append("unexpected tensor '\(tensor.name)' of shape \(tensor.shape)")
        }
        guard problems.isEmpty else { throw NeuralNetError.checkpointMismatch(problems) }
        for slice in layout.slices {
            values.replaceSubrange(slice.range, with: byName[slice.name]!.values)
        }
    }
}
