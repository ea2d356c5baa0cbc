// OpenBLAS as sbpl uses it: libopenblas.so.0 opened with dlopen on the first product rather than linked (start-up
// neither loads it nor starts its threads), and run on one thread. sbpl splits products over the cores itself
// (`parallelChunks`, the one pool of worker threads), so OpenBLAS's own threads never spin after a call, taking
// the cores from the next kernel, and small products never pay for waking them.
#ifndef OPENBLAS_SHIM_H
#define OPENBLAS_SHIM_H

#include <cblas.h>

/// cblas_sgemm, OpenBLAS opened on the first call; the process ends with a message when it cannot be.
void sbpl_cblas_sgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transA, enum CBLAS_TRANSPOSE transB, blasint m,
                      blasint n, blasint k, float alpha, const float *a, blasint lda, const float *b, blasint ldb,
                      float beta, float *c, blasint ldc);

/// cblas_sgemv, OpenBLAS opened on the first call; the process ends with a message when it cannot be.
void sbpl_cblas_sgemv(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE trans, blasint m, blasint n, float alpha,
                      const float *a, blasint lda, const float *x, blasint incx, float beta, float *y, blasint incy);

#endif
