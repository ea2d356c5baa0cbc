// Loops the compiler vectorises, built for AVX-512, AVX2 with FMA and baseline x86-64, the best chosen when the
// program starts (target_clones). x86-64-v3 is AVX2 with FMA (an "avx2" clone alone would leave out FMA); v4 adds
// AVX-512.
#ifndef CKERNELS_VECTORIZED_H
#define CKERNELS_VECTORIZED_H

#if defined(__x86_64__) && defined(__clang__)
#define VECTORIZED __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define VECTORIZED
#endif

#endif
