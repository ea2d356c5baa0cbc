// The GEMM of a linear layer in a model converted to bfloat16 (`model.to(torch.bfloat16)`), as PyTorch runs it on
// oneDNN: bfloat16 activations and weights, their products summed in float32, then the bias, each of torch's
// operations rounding its result back to the model's type (kernel_reduced_output).
//
// The weight W[n, k] is packed once into panels of BGEMM_NR columns, depths in pairs (k padded with a zero): pair g of
// panel q holds, column by column, the two bfloat16 values W[q * BGEMM_NR + c, 2g ..< 2g + 2]. The activations are
// bfloat16 rows of pairs (kernel_bgemm_convert's, or written by the layer before with its outputs: ReducedOutput's
// `pairs`, and once for the layers that read one input). The micro-kernel broadcasts a pair of a row and multiplies it
// with a panel's pair (vdpbf16ps, AVX512_BF16: both products of each lane summed into float32), 64 multiply-adds in
// two instructions, twice what float32 FMAs do. As gemm.c, the depths run in blocks of BGEMM_KC, and within a block
// a group of BGEMM_NC panels (in L2) meets every tile of BGEMM_MR rows, whose pairs stay in L1 while they meet the
// group's panels; a block's sums are added to those of the blocks before in y, as oneDNN adds them.
#include "CKernels.h"
#include "activations.h"
#include "vectorized.h"

#include <math.h>
#include <string.h>

#define BGEMM_MR 8
#define BGEMM_NR 32
#define BGEMM_NC 8  // panels per group
#define BGEMM_KC 768  // depths per block: a group's panels of a block (384 KiB) stay in L2; oneDNN's blocks (bit-exact
                      // with torch at k = 1536 and 3072)

size_t kernel_bgemm_panel_width(void) { return BGEMM_NR; }

size_t kernel_bgemm_row_tile(void) { return BGEMM_MR; }

size_t kernel_bgemm_depth(size_t k) { return (k + 1) / 2 * 2; }

size_t kernel_bgemm_packed_count(size_t n, size_t k) {
    return (n + BGEMM_NR - 1) / BGEMM_NR * BGEMM_NR * kernel_bgemm_depth(k);
}

void kernel_bgemm_pack(const float *w, size_t n, size_t k, ptrdiff_t row_stride, ptrdiff_t col_stride,
                       uint16_t *packed) {
    size_t depth = kernel_bgemm_depth(k);
    for (size_t j = 0; j < (n + BGEMM_NR - 1) / BGEMM_NR * BGEMM_NR; j++) {
        uint16_t *panel = packed + j / BGEMM_NR * BGEMM_NR * depth;
        for (size_t p = 0; p < depth; p++) {
            float value = j < n && p < k ? w[(ptrdiff_t)j * row_stride + (ptrdiff_t)p * col_stride] : 0.0f;
            panel[(p / 2) * BGEMM_NR * 2 + (j % BGEMM_NR) * 2 + p % 2] = bfloat16_bits(value);
        }
    }
}

VECTORIZED void kernel_bgemm_convert(const float *x, size_t m, size_t k, uint16_t *a) {
    size_t depth = kernel_bgemm_depth(k);
    for (size_t i = 0; i < m; i++) {
        for (size_t p = 0; p < k; p++) a[i * depth + p] = bfloat16_bits(x[i * k + p]);
        for (size_t p = k; p < depth; p++) a[i * depth + p] = 0;
    }
}

// y[i] = ROUND(y[i] + addend[i]), or ROUND(y[i]) with no addend; in place, so the loops are safe to vectorise.
#define ROUND_LOOPS(ROUND)                                                                                      \
    if (addend) {                                                                                               \
        _Pragma("clang loop vectorize(assume_safety)") for (size_t i = 0; i < n; i++) y[i] = ROUND(y[i] + addend[i]); \
    } else {                                                                                                    \
        _Pragma("clang loop vectorize(assume_safety)") for (size_t i = 0; i < n; i++) y[i] = ROUND(y[i]);        \
    }

VECTORIZED void kernel_round_to_type(float *y, const float *addend, size_t n, int type) {
    if (type == 2) {
        ROUND_LOOPS(float16_value)
    } else {
        ROUND_LOOPS(bfloat16_rounded)
    }
}

void kernel_reduced_output(float *y, size_t cols, const ReducedOutput *out, size_t row, size_t column) {
    kernel_round_to_type(y, out->bias ? out->bias + column : NULL, cols, out->type);
    if (out->gelu) {
        kernel_gelu(y, y, cols);
        kernel_round_to_type(y, NULL, cols, out->type);
    }
    if (out->residual) kernel_round_to_type(y, out->residual + row * out->ld + column, cols, out->type);
    if (out->pairs) {
        for (size_t c = 0; c < cols; c++) out->pairs[row * out->pairs_ld + column + c] = bfloat16_bits(y[c]);
    }
}

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

int kernel_bgemm_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512bf16");
}

#define BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

// Sixteen float32 values rounded to bfloat16, as bfloat16_bits rounds them (vcvtneps2bf16 would flush subnormals).
BF16_TARGET static inline __m512 round_bf16(__m512 v) {
    __m512i bits = _mm512_castps_si512(v);
    __m512i odd = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
    __m512i up = _mm512_add_epi32(_mm512_add_epi32(bits, _mm512_set1_epi32(0x7FFF)), odd);
    __m512 rounded = _mm512_castsi512_ps(_mm512_and_si512(up, _mm512_set1_epi32((int)0xFFFF0000)));
    return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q), rounded, _mm512_set1_ps(NAN));
}

// A whole row of a tile, from its sums to its outputs as kernel_reduced_output makes them, in registers.
BF16_TARGET static inline void finish_row(float *line, __m512 sums[2], const ReducedOutput *out, size_t row,
                                          size_t column) {
    for (int h = 0; h < 2; h++) {
        if (out->bias) sums[h] = _mm512_add_ps(sums[h], _mm512_loadu_ps(out->bias + column + 16 * h));
        sums[h] = round_bf16(sums[h]);
    }
    if (out->gelu) {
        sums[0] = round_bf16(gelu_erf16(sums[0]));
        sums[1] = round_bf16(gelu_erf16(sums[1]));
    }
    for (int h = 0; h < 2; h++) {
        if (out->residual) {
            const float *residual = out->residual + row * out->ld + column + 16 * h;
            sums[h] = round_bf16(_mm512_add_ps(sums[h], _mm512_loadu_ps(residual)));
        }
        _mm512_storeu_ps(line + 16 * h, sums[h]);
        if (out->pairs) {  // the rounded values' upper halves are their bfloat16 bits
            __m256i bits = _mm512_cvtepi32_epi16(_mm512_srli_epi32(_mm512_castps_si512(sums[h]), 16));
            _mm256_storeu_si256((__m256i *)(out->pairs + row * out->pairs_ld + column + 16 * h), bits);
        }
    }
}

// One tile: rows r < MR of the depth pairs g0..<g1 of a * panel, `cols` of its BGEMM_NR columns kept, added to the
// float32 sums y holds from the blocks before (unless the block is the first), and, after the last block, made the
// outputs (finish_row, kernel_reduced_output).
#define BMICRO_KERNEL(MR)                                                                                       \
    BF16_TARGET static void bmicro_##MR(const uint16_t *a, size_t depth, const uint16_t *b, size_t g0, size_t g1, \
                                        float *y, size_t ldy, size_t cols, const ReducedOutput *out, size_t row,  \
                                        size_t column) {                                                        \
        __m512 acc[MR][2];                                                                                      \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                       \
            acc[r][0] = _mm512_setzero_ps();                                                                    \
            acc[r][1] = _mm512_setzero_ps();                                                                    \
        }                                                                                                       \
        for (size_t g = g0; g < g1; g++) {                                                                      \
            __m512bh b0 = (__m512bh)_mm512_load_si512((const void *)(b + g * BGEMM_NR * 2));                  \
            __m512bh b1 = (__m512bh)_mm512_load_si512((const void *)(b + g * BGEMM_NR * 2 + 32));             \
            _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                   \
                int32_t pair;                                                                                   \
                __builtin_memcpy(&pair, a + r * depth + g * 2, 4);                                              \
                __m512bh ar = (__m512bh)_mm512_set1_epi32(pair);                                                \
                acc[r][0] = _mm512_dpbf16_ps(acc[r][0], ar, b0);                                                \
                acc[r][1] = _mm512_dpbf16_ps(acc[r][1], ar, b1);                                                \
            }                                                                                                   \
        }                                                                                                       \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                       \
            float *line = y + r * ldy, tile[BGEMM_NR];                                                          \
            if (cols == BGEMM_NR) { /* a whole row in registers, no copy through the stack */                     \
                __m512 sums[2] = {acc[r][0], acc[r][1]};                                                        \
                if (g0 > 0) {                                                                                   \
                    sums[0] = _mm512_add_ps(_mm512_loadu_ps(line), sums[0]);                                    \
                    sums[1] = _mm512_add_ps(_mm512_loadu_ps(line + 16), sums[1]);                               \
                }                                                                                               \
                if (g1 < depth / 2 || out == NULL) {                                                            \
                    _mm512_storeu_ps(line, sums[0]);                                                            \
                    _mm512_storeu_ps(line + 16, sums[1]);                                                       \
                } else {                                                                                        \
                    finish_row(line, sums, out, row + r, column);                                               \
                }                                                                                               \
                continue;                                                                                       \
            }                                                                                                   \
            _mm512_storeu_ps(tile, acc[r][0]);                                                                  \
            _mm512_storeu_ps(tile + 16, acc[r][1]);                                                             \
            if (g0 > 0) {                                                                                       \
                for (size_t c = 0; c < cols; c++) tile[c] = line[c] + tile[c];                                  \
            }                                                                                                   \
            if (g1 < depth / 2 || out == NULL) {                                                                \
                memcpy(line, tile, cols * sizeof(float));                                                       \
            } else {                                                                                            \
                memcpy(line, tile, cols * sizeof(float));                                                       \
                kernel_reduced_output(line, cols, out, row + r, column);                                        \
            }                                                                                                   \
        }                                                                                                       \
    }

BMICRO_KERNEL(1)
BMICRO_KERNEL(2)
BMICRO_KERNEL(3)
BMICRO_KERNEL(4)
BMICRO_KERNEL(5)
BMICRO_KERNEL(6)
BMICRO_KERNEL(7)
BMICRO_KERNEL(8)

typedef void (*bmicro_kernel)(const uint16_t *, size_t, const uint16_t *, size_t, size_t, float *, size_t, size_t,
                              const ReducedOutput *, size_t, size_t);
static const bmicro_kernel bmicro_kernels[BGEMM_MR + 1] = {0,        bmicro_1, bmicro_2, bmicro_3, bmicro_4,
                                                           bmicro_5, bmicro_6, bmicro_7, bmicro_8};

void kernel_bgemm(const uint16_t *a, size_t m, size_t k, const uint16_t *packed, size_t n, float *y, size_t ldy,
                  const ReducedOutput *out, size_t first_row, size_t first_panel, size_t end_panel) {
    size_t depth = kernel_bgemm_depth(k), panel_count = BGEMM_NR * depth, pairs = depth / 2;
    for (size_t g0 = 0; g0 < pairs || g0 == 0; g0 += BGEMM_KC / 2) {
        size_t g1 = g0 + BGEMM_KC / 2 < pairs ? g0 + BGEMM_KC / 2 : pairs;
        for (size_t q0 = first_panel; q0 < end_panel; q0 += BGEMM_NC) {
            size_t q1 = q0 + BGEMM_NC < end_panel ? q0 + BGEMM_NC : end_panel;
            for (size_t i = 0; i < m; i += BGEMM_MR) {
                size_t rows = m - i < BGEMM_MR ? m - i : BGEMM_MR;
                for (size_t q = q0; q < q1; q++) {
                    size_t j = q * BGEMM_NR, cols = n - j < BGEMM_NR ? n - j : BGEMM_NR;
                    bmicro_kernels[rows](a + i * depth, depth, packed + q * panel_count, g0, g1, y + i * ldy + j, ldy, cols,
                                         out, first_row + i, j);
                }
            }
        }
        if (g1 >= pairs) break;
    }
}
#else
int kernel_bgemm_available(void) { return 0; }

void kernel_bgemm(const uint16_t *a, size_t m, size_t k, const uint16_t *packed, size_t n, float *y, size_t ldy,
                  const ReducedOutput *out, size_t first_row, size_t first_panel, size_t end_panel) {
    (void)a, (void)m, (void)k, (void)packed, (void)n, (void)y, (void)ldy, (void)out, (void)first_row, (void)first_panel;
    (void)end_panel;
}
#endif
