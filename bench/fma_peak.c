// The machine's ceilings, for `make bench`'s share-of-peak figures: every core runs independent chains of 8-wide
// float32 fused multiply-adds (enough chains to cover the latency), and, where the CPU has AVX512_BF16, of 16-wide
// bfloat16 pair dot products (vdpbf16ps: 64 flops each); the best GFLOP/s of a few runs of each is printed.
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define CHAINS 12
#define ITERATIONS 20000000L

static void *fma_chains(void *result) {
    __m256 acc[CHAINS], x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
    for (int c = 0; c < CHAINS; c++) acc[c] = _mm256_set1_ps((float)c);
    for (long i = 0; i < ITERATIONS; i++)
        for (int c = 0; c < CHAINS; c++) acc[c] = _mm256_fmadd_ps(acc[c], x, y);
    float sum = 0, lanes[8];
    for (int c = 0; c < CHAINS; c++) {
        _mm256_storeu_ps(lanes, acc[c]);
        sum += lanes[0];
    }
    *(float *)result = sum;
    return NULL;
}

__attribute__((target("avx512f,avx512bf16"))) static void *bf16_chains(void *result) {
    __m512 acc[CHAINS];
    __m512bh x = (__m512bh)_mm512_set1_epi32(0x3F803F80), y = (__m512bh)_mm512_set1_epi32(0x33D633D6);
    for (int c = 0; c < CHAINS; c++) acc[c] = _mm512_set1_ps((float)c);
    for (long i = 0; i < ITERATIONS; i++)
        for (int c = 0; c < CHAINS; c++) acc[c] = _mm512_dpbf16_ps(acc[c], x, y);
    float sum = 0, lanes[16];
    for (int c = 0; c < CHAINS; c++) {
        _mm512_storeu_ps(lanes, acc[c]);
        sum += lanes[0];
    }
    *(float *)result = sum;
    return NULL;
}

// The best GFLOP/s of three runs of `chains` on every core, each instruction doing `flops`.
static double ceiling(void *(*chains)(void *), double flops) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    double best = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
        pthread_t threads[256];
        float results[256];
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (long t = 0; t < cores; t++) pthread_create(&threads[t], NULL, chains, &results[t]);
        for (long t = 0; t < cores; t++) pthread_join(threads[t], NULL);
        clock_gettime(CLOCK_MONOTONIC, &end);
        double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) * 1e-9;
        double gflops = (double)cores * ITERATIONS * CHAINS * flops / seconds * 1e-9;
        if (gflops > best) best = gflops;
    }
    return best;
}

int main(void) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    printf("fma peak: %.1f GFLOP/s on %ld cores\n", ceiling(fma_chains, 8 * 2), cores);
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512bf16")) printf("bf16 peak: %.1f GFLOP/s on %ld cores\n", ceiling(bf16_chains, 16 * 4), cores);
    return 0;
}
