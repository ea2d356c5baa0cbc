// The machine's float32 FMA ceiling, for `make bench`'s share-of-peak figures: every core runs independent chains of
// 8-wide fused multiply-adds (enough chains to cover the FMA latency) and the best GFLOP/s of a few runs is printed.
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define CHAINS 12
#define ITERATIONS 20000000L

static void *run(void *result) {
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

int main(void) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    double best = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
        pthread_t threads[256];
        float results[256];
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (long t = 0; t < cores; t++) pthread_create(&threads[t], NULL, run, &results[t]);
        for (long t = 0; t < cores; t++) pthread_join(threads[t], NULL);
        clock_gettime(CLOCK_MONOTONIC, &end);
        double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) * 1e-9;
        double gflops = (double)cores * ITERATIONS * CHAINS * 8 * 2 / seconds * 1e-9;
        if (gflops > best) best = gflops;
    }
    printf("fma peak: %.1f GFLOP/s on %ld cores\n", best, cores);
    return 0;
}
