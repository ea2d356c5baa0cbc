#include "openblas_shim.h"
#include "lazy_library.h"

#include <stdlib.h>

#define OPENBLAS_FUNCTIONS(F)                                                                                   \
    F(void, openblas_set_num_threads, (int))                                                                  \
    F(void, cblas_sgemm, (enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, enum CBLAS_TRANSPOSE, blasint, blasint,     \
                          blasint, float, const float *, blasint, const float *, blasint, float, float *,     \
                          blasint))                                                                           \
    F(void, cblas_sgemv, (enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, blasint, blasint, float, const float *,     \
                          blasint, const float *, blasint, float, float *, blasint))

/// Whether OPENBLAS_NUM_THREADS was set here (and is unset again once OpenBLAS has read it).
static int set_thread_count;

/// OpenBLAS's constructor starts its thread pool from OPENBLAS_NUM_THREADS: one thread starts none.
static void before_open(void) {
    set_thread_count = getenv("OPENBLAS_NUM_THREADS") == NULL;
    if (set_thread_count) setenv("OPENBLAS_NUM_THREADS", "1", 0);
}

static void single_threaded(void);

LAZY_LIBRARY(openblas, "libopenblas.so.0", "libopenblas0", OPENBLAS_FUNCTIONS, before_open, single_threaded)

/// One thread even when the user's OPENBLAS_NUM_THREADS asked for more; the environment left as it was, for the
/// processes sbpl starts.
static void single_threaded(void) {
    openblas_functions.openblas_set_num_threads(1);
    if (set_thread_count) unsetenv("OPENBLAS_NUM_THREADS");
}

void sbpl_cblas_sgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transA, enum CBLAS_TRANSPOSE transB, blasint m,
                      blasint n, blasint k, float alpha, const float *a, blasint lda, const float *b, blasint ldb,
                      float beta, float *c, blasint ldc) {
    lazy_library_require(&openblas);
    openblas_functions.cblas_sgemm(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void sbpl_cblas_sgemv(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE trans, blasint m, blasint n, float alpha,
                      const float *a, blasint lda, const float *x, blasint incx, float beta, float *y, blasint incy) {
    lazy_library_require(&openblas);
    openblas_functions.cblas_sgemv(order, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
}
