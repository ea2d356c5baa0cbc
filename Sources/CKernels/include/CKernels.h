// float32 kernels for TensorCore. The element-wise ones are written so the compiler vectorises them; each is built
// for AVX-512, AVX2 and baseline x86-64 and the best is chosen when the program starts (target_clones). The GEMMs
// over packed weights are chosen by what the CPU has: float32 (gemm.c) on AVX-512 or AVX2 with FMA, int8 (qgemm.c)
// on AVX2 or AVX512_VNNI, bfloat16 (bgemm.c) on AVX512_BF16; GELU on AVX-512 where it has it (activations.h).
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "rounding.h"

/// out[i] = x * 0.5 * (1 + erf(x / sqrt(2))), erf as PyTorch's vectorised CPU kernel computes it; out may be x.
void kernel_gelu(const float *x, float *out, size_t n);

/// In place over `rows` rows of `length`, `ld` apart: x = row[i] + bias[i] (or row[i], `bias` NULL), row[i] = gelu(x) as kernel_gelu computes it.
void kernel_bias_gelu_rows(float *data, size_t rows, size_t length, size_t ld, const float *bias);

/// out[i] = exp(x[i]) (within 2 ulp of the correctly rounded value).
void kernel_exp(const float *x, float *out, size_t n);

/// In place over `rows` rows of `length`: softmax(row * scale), where keep (if not NULL, one flag per column,
/// shared by all rows) marks columns to keep; the others are set to float32's lowest value first.
void kernel_softmax_rows(float *rows_data, size_t rows, size_t length, float scale, const uint8_t *keep);

/// In place over `rows` rows of `length` scores (at most 512): the unnormalised probabilities of attention in
/// float32 (type 0), bfloat16 (type 1) or float16 (type 2) as PyTorch's CPU flash attention computes them:
/// exp(score * scale - max), the columns from `visible` on and those `keep` (if not NULL) does not mark left out,
/// each rounded to the type, and each row's 1 / sum of the unrounded exponentials in inverse_sums[row].
void kernel_flash_probabilities(float *data, size_t rows, size_t length, size_t visible, float scale,
                                const uint8_t *keep, int type, float *inverse_sums);

/// Floats a head's kernel_flash_f32_scores and kernel_flash_f32_context need as scratch.
size_t kernel_flash_f32_scratch(size_t keys, size_t head_dim);

/// scores[queries, keys] = q k^T (rows `ldq` and `ldk` apart) summed as MKL sums them in torch's float32 flash kernel:
/// depth by depth with fused multiply-adds, or, for its blocks of 2 or 3 queries and up to 11 keys and queries,
/// in interleaved partial sums. Needs kernel_gemm_available(); `scratch` 64-byte aligned.
void kernel_flash_f32_scores(const float *q, size_t ldq, const float *k, size_t ldk, size_t queries, size_t keys,
                             size_t head_dim, float *scratch, float *scores);

/// context[queries, head_dim] (rows `ldc` apart) = p v over probabilities p[queries, keys] and values (rows `ldv`
/// apart), summed as MKL sums them in torch's float32 flash kernel: key by key, fused (unfused in blocks of up to 3
/// queries). Needs kernel_gemm_available(); `scratch` 64-byte aligned.
void kernel_flash_f32_context(const float *p, size_t queries, size_t keys, const float *v, size_t ldv, size_t head_dim,
                              float *scratch, float *context, size_t ldc);

/// bfloat16 values a head's kernel_flash_bf16_scores and kernel_flash_bf16_context need as scratch.
size_t kernel_flash_bf16_scratch(size_t queries, size_t keys, size_t head_dim);

/// scores[queries, keys] = q k^T in float32 over a head's bfloat16 values (rows `ldq` and `ldk` apart) on the
/// bfloat16 kernel (kernel_bgemm), as torch's flash kernel multiplies them; `scratch` 64-byte aligned.
void kernel_flash_bf16_scores(const float *q, size_t ldq, const float *k, size_t ldk, size_t queries, size_t keys,
                              size_t head_dim, uint16_t *scratch, float *scores);

/// context[queries, head_dim] (rows `ldc` apart) = p v in float32 over bfloat16 probabilities p[queries, keys] and
/// values (rows `ldv` apart), on the bfloat16 kernel; `scratch` 64-byte aligned.
void kernel_flash_bf16_context(const float *p, size_t queries, size_t keys, const float *v, size_t ldv,
                               size_t head_dim, uint16_t *scratch, float *context, size_t ldc);

/// In place over `rows` rows of `length`, `ld` apart: row[j] = r(row[j] * scales[row]), r rounding to bfloat16 (type
/// 1) or float16 (type 2), none in float32 (type 0): attention's outputs from its unnormalised sums.
void kernel_scale_rows_to_type(float *y, size_t rows, size_t length, size_t ld, const float *scales, int type);

/// Layer norm of each row of `length` over `rows` rows, as torch computes it (bit for bit in float32).
void kernel_layer_norm(const float *x, float *out, size_t rows, size_t length, const float *weight,
                       const float *bias, float eps);

/// Whether this CPU runs kernel_gemm_packed (AVX2 with FMA); without it, callers use BLAS.
int kernel_gemm_available(void);

/// Columns per panel of a packed weight: kernel_gemm_packed splits its work in whole panels.
size_t kernel_gemm_panel_width(void);

/// Rows of A the micro-kernel computes at once: a split of the rows in multiples of it leaves no narrow tiles.
size_t kernel_gemm_row_tile(void);

/// Floats a packed `n x k` weight takes.
size_t kernel_gemm_packed_count(size_t n, size_t k);

/// Packs the weight W[n, k] (element (j, p) at w[j * row_stride + p * col_stride]) for kernel_gemm_packed, into
/// `packed` (kernel_gemm_packed_count floats, 64-byte aligned).
void kernel_gemm_pack(const float *w, size_t n, size_t k, ptrdiff_t row_stride, ptrdiff_t col_stride, float *packed);

/// What a float32 product adds to its sums: a bias per column and a residual matrix (its rows `ldr` apart), each
/// NULL when there is none; the two summed first, as a GEMM onto C = bias + residual would sum them.
typedef struct {
    const float *bias;
    const float *residual;
    size_t ldr;
} GemmAddends;

/// C[m, n] = A[m, k] * W^T (+ addends, or NULL) for a packed W, rows of A `lda` apart and of C `ldc` apart, over the
/// panels first_panel..<end_panel only (columns first_panel * width ..< min(n, end_panel * width)). The addends' rows
/// and columns are C's (row 0 the first of A's `m`).
void kernel_gemm_packed(const float *a, size_t lda, size_t m, size_t k, const float *packed, size_t n, float *c,
                        size_t ldc, const GemmAddends *addends, size_t first_panel, size_t end_panel);

/// C[rows, cols] = the addends of rows row0..< and columns col0..< (zeros without any): what a BLAS product with
/// beta 1 adds onto where kernel_gemm_packed is not available (BLAS adds each depth block to C, so the addends
/// join at its first, as in kernel_gemm_packed).
void kernel_gemm_fill(float *c, size_t ldc, size_t rows, size_t cols, const GemmAddends *addends, size_t row0, size_t col0);

/// Whether this CPU runs kernel_qgemm (AVX2).
int kernel_qgemm_available(void);

/// Columns per panel of a packed int8 weight: kernel_qgemm splits its work in whole panels.
size_t kernel_qgemm_panel_width(void);

/// Rows of activations the int8 micro-kernel computes at once (8 on AVX512_VNNI, else 4).
size_t kernel_qgemm_row_tile(void);

/// `k` rounded up to the int8 kernel's groups of four depths: the row length of quantized activations.
size_t kernel_qgemm_depth(size_t k);

/// Bytes a packed int8 `n x k` weight takes.
size_t kernel_qgemm_packed_count(size_t n, size_t k);

/// Packs the int8 weight W[n, k] (row-major) for kernel_qgemm into `packed` (kernel_qgemm_packed_count bytes,
/// 32-byte aligned), and writes each row's sum (each output column's) into column_sums[n].
void kernel_qgemm_pack(const int8_t *w, size_t n, size_t k, int8_t *packed, int32_t *column_sums);

/// The smallest and largest of the values of x[n] that are not NaN (+infinity and -infinity when there are none).
void kernel_min_max(const float *x, size_t n, float *min, float *max);

/// The largest |x| of x[n] (0 when n is 0), NaN when x holds one, as torch's observers see it.
float kernel_abs_max(const float *x, size_t n);

/// A weight quantized per tensor, symmetric: q = round(x * inverse_scale) (ties to even) clamped to -128...127,
/// and 127 where that product is NaN (as torch's quantize_per_tensor leaves it).
void kernel_quantize_symmetric(const float *x, size_t n, float inverse_scale, int8_t *q);

/// Quantizes the rows x[m, k] to q[m, kernel_qgemm_depth(k)]: zero_point + round(x / scale) (x times the inverse
/// scale, ties to even, as fbgemm), clamped to 0...127, the padding zero.
void kernel_qgemm_quantize(const float *x, size_t m, size_t k, float scale, int32_t zero_point, uint8_t *q);

/// How kernel_qgemm turns its int32 sums into float32 outputs.
typedef struct {
    /// The activations' scale times the weight's.
    float scale;
    /// The activations' zero point.
    int32_t zero_point;
    /// The weight's column sums (kernel_qgemm_pack's).
    const int32_t *column_sums;
    /// Added to each row, or NULL.
    const float *bias;
    /// Whether the outputs are added to what y holds (a residual) rather than written.
    int accumulate;
} QGemmOutput;

/// y[m, n] (+)= out->scale * (a * W^T - out->zero_point * column_sums) + bias over quantized rows `a`
/// (kernel_qgemm_quantize's) and a packed W, over the panels first_panel..<end_panel of 16 columns.
void kernel_qgemm(const uint8_t *a, size_t m, size_t k, const int8_t *packed, size_t n, float *y,
                  const QGemmOutput *out, size_t first_panel, size_t end_panel);

/// In place: y[i] = r(y[i] + addend[i]), or r(y[i]) when addend is NULL, r rounding to nearest even in bfloat16
/// (type 1) or float16 (type 2), as torch rounds what its CPU kernels compute in float32 for those types.
void kernel_round_to_type(float *y, const float *addend, size_t n, int type);

/// How a layer of a float16 or bfloat16 model finishes its float32 sums, as torch's separate operations round each
/// result to the model's type: y = r(y + bias), then y = r(gelu(y)) if `gelu`, then y = r(y + residual).
typedef struct {
    /// Added to each row, or NULL.
    const float *bias;
    /// Whether GELU follows the bias (a fused feed-forward expansion).
    int gelu;
    /// Rows `ld` apart, added last (a residual), or NULL.
    const float *residual;
    size_t ld;
    /// What each step rounds to: 1 bfloat16, 2 float16.
    int type;
    /// Where the outputs are also written as bfloat16 (type 1 only), rows `pairs_ld` apart: the next layer's
    /// converted input (kernel_bgemm_convert's form); or NULL.
    uint16_t *pairs;
    size_t pairs_ld;
} ReducedOutput;

/// The `cols` outputs of row `row` from column `column` on, in place: the float32 sums become the layer's outputs
/// as `out` says.
void kernel_reduced_output(float *y, size_t cols, const ReducedOutput *out, size_t row, size_t column);

/// Whether this CPU runs kernel_bgemm (AVX512_BF16).
int kernel_bgemm_available(void);

/// Columns per panel of a packed bfloat16 weight: kernel_bgemm splits its work in whole panels.
size_t kernel_bgemm_panel_width(void);

/// Rows of activations the bfloat16 micro-kernel computes at once.
size_t kernel_bgemm_row_tile(void);

/// `k` rounded up to the bfloat16 kernel's pairs of depths: the row length of converted activations.
size_t kernel_bgemm_depth(size_t k);

/// bfloat16 values a packed `n x k` weight takes.
size_t kernel_bgemm_packed_count(size_t n, size_t k);

/// Packs the weight W[n, k] (element (j, p) at w[j * row_stride + p * col_stride], rounded to bfloat16) for
/// kernel_bgemm into `packed` (kernel_bgemm_packed_count values, 64-byte aligned).
void kernel_bgemm_pack(const float *w, size_t n, size_t k, ptrdiff_t row_stride, ptrdiff_t col_stride,
                       uint16_t *packed);

/// The rows x[m, k] as bfloat16 (rounded to nearest even) in a[m, kernel_bgemm_depth(k)], the padding zero.
void kernel_bgemm_convert(const float *x, size_t m, size_t k, uint16_t *a);

/// y[m, n] = out(a * W^T), rows of y `ldy` apart, over converted rows `a` (kernel_bgemm_convert's, the first of them
/// the layer's row `first_row`) and a packed W, over the panels first_panel..<end_panel; with no `out`, the float32
/// sums themselves.
void kernel_bgemm(const uint16_t *a, size_t m, size_t k, const uint16_t *packed, size_t n, float *y, size_t ldy,
                  const ReducedOutput *out, size_t first_row, size_t first_panel, size_t end_panel);

/// glibc's malloc keeps up to `trim_threshold` bytes of freed memory instead of returning it to the kernel, and
/// serves buffers up to `mmap_threshold` bytes from its heap instead of fresh mappings.
void kernel_keep_freed_memory(size_t trim_threshold, size_t mmap_threshold);

#endif
