import CBLAS

/// The OpenBLAS calls `NeuralNets` makes, behind Swift signatures (row-major, Float).
public enum BLAS {
    /// Sets how many threads OpenBLAS may use for one call. One thread is usually
    /// fastest for the small products of RL networks, and it leaves cores to the
    /// environments and to other learners. This is process-wide.
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The number of threads OpenBLAS currently uses.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// C ← α · op(A) · op(B) + β · C with row-major storage; op is the transpose when the
    /// matching flag is set. `m × k` is op(A)'s shape, `k × n` is op(B)'s.
    @inline(__always)
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
