// A float32 GEMM whose right-hand matrix (a layer's weight) is packed once, as ONNX Runtime's MLAS keeps its
// weights: OpenBLAS packs both operands on every call, which costs a third of a small forward pass.
//
// C[m, n] (+)= A[m, k] * B[k, n], B given as a weight W[n, k] (B = W^T) and packed into panels of GEMM_NR
// columns: panel q holds, for p = 0..<k, the GEMM_NR values W[q * GEMM_NR + c, p] side by side (zeros past n).
// The product runs over blocks of GEMM_KC depths; within a block, GEMM_MR rows of A (a few KiB, in L1) meet each
// panel of a group of GEMM_NC columns (in L2), in a micro-kernel that keeps the GEMM_MR x GEMM_NR tile of C in
// twelve AVX2 registers and does one broadcast and two fused multiply-adds per row and depth.
#include "CKernels.h"

#include <string.h>

#define GEMM_MR 6
#define GEMM_NR 16
#define GEMM_KC 256
#define GEMM_NC 128

size_t kernel_gemm_panel_width(void) { return GEMM_NR; }

size_t kernel_gemm_packed_count(size_t n, size_t k) { return (n + GEMM_NR - 1) / GEMM_NR * GEMM_NR * k; }

void kernel_gemm_pack(const float *w, size_t n, size_t k, ptrdiff_t row_stride, ptrdiff_t col_stride, float *packed) {
    for (size_t q = 0; q * GEMM_NR < n; q++) {
        float *panel = packed + q * GEMM_NR * k;
        for (size_t c = 0; c < GEMM_NR; c++) {
            size_t j = q * GEMM_NR + c;
            for (size_t p = 0; p < k; p++) {
                panel[p * GEMM_NR + c] = j < n ? w[(ptrdiff_t)j * row_stride + (ptrdiff_t)p * col_stride] : 0.0f;
            }
        }
    }
}

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

int kernel_gemm_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

// One tile: rows r < MR of C (+)= A[rows, 0..<kc] * panel[0..<kc], `cols` of its GEMM_NR columns kept.
#define MICRO_KERNEL(MR)                                                                                           \
    __attribute__((target("avx2,fma"))) static void micro_##MR(const float *a, size_t lda, const float *b,        \
                                                                size_t kc, float *c, size_t ldc, size_t cols,      \
                                                                int accumulate) {                                  \
        __m256 acc[MR][2];                                                                                         \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                          \
            acc[r][0] = _mm256_setzero_ps();                                                                       \
            acc[r][1] = _mm256_setzero_ps();                                                                       \
        }                                                                                                          \
        const float *rows[MR];                                                                                     \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) rows[r] = a + r * lda;                     \
        _Pragma("clang loop unroll_count(2)") for (size_t p = 0; p < kc; p++) {                                    \
            __m256 b0 = _mm256_load_ps(b + p * GEMM_NR), b1 = _mm256_load_ps(b + p * GEMM_NR + 8);                 \
            _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                      \
                __m256 ar = _mm256_broadcast_ss(rows[r] + p);                                                      \
                acc[r][0] = _mm256_fmadd_ps(ar, b0, acc[r][0]);                                                    \
                acc[r][1] = _mm256_fmadd_ps(ar, b1, acc[r][1]);                                                    \
            }                                                                                                      \
        }                                                                                                          \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                          \
            float *row = c + r * ldc;                                                                              \
            if (cols == GEMM_NR) {                                                                                 \
                if (accumulate) {                                                                                  \
                    acc[r][0] = _mm256_add_ps(acc[r][0], _mm256_loadu_ps(row));                                    \
                    acc[r][1] = _mm256_add_ps(acc[r][1], _mm256_loadu_ps(row + 8));                                \
                }                                                                                                  \
                _mm256_storeu_ps(row, acc[r][0]);                                                                  \
                _mm256_storeu_ps(row + 8, acc[r][1]);                                                              \
            } else {                                                                                               \
                float tile[GEMM_NR];                                                                               \
                _mm256_storeu_ps(tile, acc[r][0]);                                                                 \
                _mm256_storeu_ps(tile + 8, acc[r][1]);                                                             \
                for (size_t j = 0; j < cols; j++) row[j] = accumulate ? row[j] + tile[j] : tile[j];                \
            }                                                                                                      \
        }                                                                                                          \
    }

MICRO_KERNEL(1)
MICRO_KERNEL(2)
MICRO_KERNEL(3)
MICRO_KERNEL(4)
MICRO_KERNEL(5)
MICRO_KERNEL(6)

typedef void (*micro_kernel)(const float *, size_t, const float *, size_t, float *, size_t, size_t, int);
static const micro_kernel micro_kernels[GEMM_MR + 1] = {0, micro_1, micro_2, micro_3, micro_4, micro_5, micro_6};

void kernel_gemm_packed(const float *a, size_t lda, size_t m, size_t k, const float *packed, size_t n, float *c,
                        size_t ldc, int accumulate, size_t first_panel, size_t end_panel) {
    for (size_t k0 = 0; k0 < k; k0 += GEMM_KC) {
        size_t kc = k - k0 < GEMM_KC ? k - k0 : GEMM_KC;
        int add = accumulate || k0 > 0;
        for (size_t q0 = first_panel; q0 < end_panel; q0 += GEMM_NC / GEMM_NR) {
            size_t q1 = q0 + GEMM_NC / GEMM_NR < end_panel ? q0 + GEMM_NC / GEMM_NR : end_panel;
            for (size_t i = 0; i < m; i += GEMM_MR) {
                size_t rows = m - i < GEMM_MR ? m - i : GEMM_MR;
                for (size_t q = q0; q < q1; q++) {
                    size_t j = q * GEMM_NR, cols = n - j < GEMM_NR ? n - j : GEMM_NR;
                    micro_kernels[rows](a + i * lda + k0, lda, packed + q * GEMM_NR * k + k0 * GEMM_NR, kc,
                                        c + i * ldc + j, ldc, cols, add);
                }
            }
        }
    }
}
#else
int kernel_gemm_available(void) { return 0; }

void kernel_gemm_packed(const float *a, size_t lda, size_t m, size_t k, const float *packed, size_t n, float *c,
                        size_t ldc, int accumulate, size_t first_panel, size_t end_panel) {
    (void)a, (void)lda, (void)m, (void)k, (void)packed, (void)n, (void)c, (void)ldc, (void)accumulate;
    (void)first_panel, (void)end_panel;
}
#endif
