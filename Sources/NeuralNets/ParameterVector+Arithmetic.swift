import CBLAS

extension ParameterVector {
    /// Throws unless `other` has exactly this vector's layout.
    func requireSameLayout(as other: ParameterVector, for operation: String) throws {
        guard other.layout == layout else {
            throw NeuralNetError.shapeMismatch(
                "Cannot \(operation) parameter vectors with different layouts "
                    + "(\(layout.slices.count) tensors, \(layout.count) values vs "
                    + "\(other.layout.slices.count) tensors, \(other.layout.count) values).")
        }
    }

    /// `self += alpha · x` (BLAS `saxpy`): the one operation communication needs to mix
    /// a neighbour's model into its own.
    /// - Throws: `NeuralNetError.shapeMismatch` if the layouts differ.
    public mutating func axpy(_ alpha: Float, _ x: ParameterVector) throws {
        try requireSameLayout(as: x, for: "add")
        let n = Int32(count)
        x.values.withUnsafeBufferPointer { xs in
            values.withUnsafeMutableBufferPointer { ys in
                cblas_saxpy(n, alpha, xs.baseAddress, 1, ys.baseAddress, 1)
            }
        }
    }

    /// `self *= alpha` (BLAS `sscal`).
    public mutating func scale(by alpha: Float) {
        let n = Int32(count)
        values.withUnsafeMutableBufferPointer { ys in
            cblas_sscal(n, alpha, ys.baseAddress, 1)
        }
    }

    /// The inner product `Σ selfᵢ · otherᵢ`, accumulated in `Double` (BLAS `dsdot`).
    /// - Throws: `NeuralNetError.shapeMismatch` if the layouts differ.
    public func dot(_ other: ParameterVector) throws -> Double {
        try requireSameLayout(as: other, for: "take the dot product of")
        let n = Int32(count)
        return values.withUnsafeBufferPointer { xs in
            other.values.withUnsafeBufferPointer { ys in
                cblas_dsdot(n, xs.baseAddress, 1, ys.baseAddress, 1)
            }
        }
    }

    /// The Euclidean norm `‖self‖₂` (BLAS `snrm2`, which avoids overflow).
    public var norm: Float {
        let n = Int32(count)
        return values.withUnsafeBufferPointer { xs in cblas_snrm2(n, xs.baseAddress, 1) }
    }

    /// Number of elements that are NaN or infinite.
    public var nonFiniteCount: Int {
        values.withUnsafeBufferPointer { xs in
            var bad = 0
            for x in xs where !x.isFinite { bad += 1 }
            return bad
        }
    }

    /// Names of the tensors that hold at least one NaN or infinite element.
    public var nonFiniteTensorNames: [String] {
        layout.slices.filter { slice in values[slice.range].contains { !$0.isFinite } }.map(\.name)
    }
}

extension ParameterVector {
    /// Copies `other`'s values into this vector's own storage (BLAS `scopy`), so that a
    /// later in-place update does not trigger a copy-on-write of a shared buffer.
    /// - Throws: `NeuralNetError.shapeMismatch` if the layouts differ.
    public mutating func assign(_ other: ParameterVector) throws {
        try requireSameLayout(as: other, for: "copy between")
        let n = Int32(count)
        other.values.withUnsafeBufferPointer { xs in
            values.withUnsafeMutableBufferPointer { ys in
                cblas_scopy(n, xs.baseAddress, 1, ys.baseAddress, 1)
            }
        }
    }

    /// The Euclidean distance ‖self − other‖₂, accumulated in `Double` without a
    /// temporary vector (for consensus distances and lazy-aggregation triggers).
    /// - Throws: `NeuralNetError.shapeMismatch` if the layouts differ.
    public func distance(to other: ParameterVector) throws -> Double {
        try requireSameLayout(as: other, for: "measure the distance between")
        return values.withUnsafeBufferPointer { xs in
            other.values.withUnsafeBufferPointer { ys in
                var total = 0.0
                for i in 0..<xs.count {
                    let d = Double(xs[i]) - Double(ys[i])
                    total += d * d
                }
                return total.squareRoot()
            }
        }
    }
}
