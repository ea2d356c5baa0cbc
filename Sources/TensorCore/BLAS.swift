import COpenBLAS

/// OpenBLAS as sbpl uses it: on one thread. sbpl splits products over the cores itself (`parallelChunks`, the one
/// pool of worker threads), so OpenBLAS's own threads never spin after a call, taking the cores from the next
/// kernel, and small products never pay for waking them.
enum BLAS {
    /// Touched before each OpenBLAS call: sets OpenBLAS to one thread, once.
    static let singleThreaded: Void = openblas_set_num_threads(1)
}
