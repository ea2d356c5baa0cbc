// Whether the environment asks the float32 and int8 GEMMs for their AVX2 micro-kernels on a CPU that has AVX-512
// (SBPL_GEMM_AVX2=1): the tests run both on an AVX-512 CPU and compare their bits. Read once, at load.
#ifndef CKERNELS_GEMM_CHOICE_H
#define CKERNELS_GEMM_CHOICE_H

#include <stdlib.h>
#include <string.h>

static inline int gemm_avx2_forced(void) {
    const char *value = getenv("SBPL_GEMM_AVX2");
    return value && strcmp(value, "1") == 0;
}

#endif
