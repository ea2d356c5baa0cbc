// Attention as PyTorch's CPU flash attention kernel computes it (what `scaled_dot_product_attention` runs for BERT's,
// DistilBERT's and GPT-2's SDPA attention), for up to 512 keys (one block of keys, so no rescaling between blocks; a
// causal row's later keys are in it, masked): the scaled float32 scores' maximum, their exponentials summed in 16
// lanes then halved down as its AVX-512 reduction does, the product with the values divided by the sum afterwards
// (multiplied by its reciprocal). In float32 the exponentials are ATen's `exp_u20` (libm's double exp past the last
// whole 16 columns) and the two products sum as MKL sums them for torch (kernel_flash_f32_scores / _context: bit for
// bit in blocks of 2 or more queries over up to 128 keys; MKL's orders past 128 keys and for a lone query were not
// identified, and differ in the last bit here and there); in
// float16 and bfloat16 they are `fexp_u20` (glibc's expf past the last whole 16), each rounded to the type before the
// product with the values, whose result is rounded too.
#include "CKernels.h"
#include "vectorized.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define FLASH_LANES 16

// ATen's Vectorized<float>::fexp_u20: 2^(x log2 e) with the fraction's 2^f by a cubic, assembled in the exponent bits.
static inline float fexp_u20(float x) {
    const float c0 = 0.00010703434948458272f, c1 = 0.30354260500649682f, c2 = -0.22433836478672356f,
                c3 = -0.079204240219773236f;
    float s = x * 1.44269502f;
    float f = s - floorf(s);
    float r = fmaf(f, fmaf(f, fmaf(f, c3, c2), c1), c0);
    float scaled = fmaf(8388608.0f, s - r, 1065353216.0f);
    // vcvttps2dq: truncated, INT32_MIN where the value does not fit (a NaN), without C's undefined conversion
    int32_t bits = scaled > -2147483904.0f && scaled < 2147483648.0f ? (int32_t)scaled : INT32_MIN;
    bits = x < -87.3365478515625f ? 0 : x > 88.72283935546875f ? 0x7F800000 : bits;
    float value;
    memcpy(&value, &bits, 4);
    return value;
}

// ATen's Vectorized<float>::exp_u20 (AVX-512): 2^n e^r with n = floor(x log2 e + 1/2), e^r by a quintic, 0 below
// the smallest normal result; a NaN stays NaN (ATen's clamps it to the largest argument).
__attribute__((always_inline)) static inline float exp_u20(float x) {
#pragma clang fp contract(off)
    if (x != x) return x;
    const float low = -87.3365478515625f, high = 88.72283172607421875f;  // 0xc2aeac50, 0x42b17218
    float clamped = fmaxf(fminf(x, high), low);
    float n = floorf(fmaf(clamped, 1.44269502162933349609375f, 0.5f));
    float r = fmaf(-n, 0.693147182464599609375f, clamped);
    float p = fmaf(r, 0.00828929059f, 0.0418978221f);
    p = fmaf(p, r, 0.166676521f);
    p = fmaf(p, r, 0.499991506f);
    p = fmaf(p, r, 0.999999701f);
    p = fmaf(p, r, 1.0f);
    int32_t bits = ((int32_t)(n - 1.0f) + 127) << 23;
    float power;
    memcpy(&power, &bits, 4);
    float half = p * (x < low ? 0.0f : power);
    return half + half;
}

// A row's scores scaled, -FLT_MAX at the keys it must not see (from `visible` on, or not kept), and their largest,
// in 16 lanes so that both loops vectorise (any order gives the same largest: a NaN is never larger, and +0 and -0
// give the same exponentials).
__attribute__((always_inline)) static inline float scaled_scores(float *p, size_t length, size_t visible, float scale, const uint8_t *keep) {
    if (keep) {
        for (size_t j = 0; j < length; j++) p[j] = j < visible && keep[j] ? p[j] * scale : -FLT_MAX;
    } else {
        for (size_t j = 0; j < length; j++) p[j] = j < visible ? p[j] * scale : -FLT_MAX;
    }
    float peaks[FLASH_LANES], m = -FLT_MAX;
    for (size_t l = 0; l < FLASH_LANES; l++) peaks[l] = -FLT_MAX;
    size_t whole = length / FLASH_LANES * FLASH_LANES;
    for (size_t j = 0; j < whole; j += FLASH_LANES) {
        for (size_t l = 0; l < FLASH_LANES; l++) peaks[l] = p[j + l] > peaks[l] ? p[j + l] : peaks[l];
    }
    for (size_t j = whole; j < length; j++) m = p[j] > m ? p[j] : m;
    for (size_t l = 0; l < FLASH_LANES; l++) m = peaks[l] > m ? peaks[l] : m;
    return m;
}

VECTORIZED void kernel_flash_probabilities(float *data, size_t rows, size_t length, size_t visible, float scale,
                                           const uint8_t *keep, int type, float *inverse_sums) {
    size_t whole = length / FLASH_LANES * FLASH_LANES;
    for (size_t row = 0; row < rows; row++) {
        float *p = data + row * length, m = scaled_scores(p, length, visible, scale, keep);
        float lanes[FLASH_LANES] = {0};
        for (size_t j = 0; j < whole; j += FLASH_LANES) {
            for (size_t l = 0; l < FLASH_LANES; l++) {
                p[j + l] = type ? fexp_u20(p[j + l] - m) : exp_u20(p[j + l] - m);
                lanes[l] += p[j + l];
            }
        }
        for (size_t half = FLASH_LANES / 2; half > 0; half /= 2) {
            for (size_t l = 0; l < half; l++) lanes[l] += lanes[l + half];
        }
        float sum = lanes[0];
        for (size_t j = whole; j < length; j++) {
            p[j] = type ? expf(p[j] - m) : (float)exp((double)(p[j] - m));
            sum += p[j];
        }
        if (type) {
            for (size_t j = 0; j < length; j++) p[j] = rounded_to_type(p[j], type);
        }
        inverse_sums[row] = 1.0f / sum;
    }
}

VECTORIZED void kernel_scale_rows_to_type(float *y, size_t rows, size_t length, size_t ld, const float *scales,
                                          int type) {
    for (size_t row = 0; row < rows; row++) {
        float *p = y + row * ld;
        for (size_t j = 0; j < length; j++) p[j] = type ? rounded_to_type(p[j] * scales[row], type) : p[j] * scales[row];
    }
}

size_t kernel_flash_bf16_scratch(size_t queries, size_t keys, size_t head_dim) {
    size_t scores = kernel_bgemm_packed_count(keys, head_dim) + queries * kernel_bgemm_depth(head_dim);
    size_t context = kernel_bgemm_packed_count(head_dim, keys) + queries * kernel_bgemm_depth(keys);
    return scores > context ? scores : context;
}

// The panels n columns take in the bfloat16 and float32 kernels' packed layouts.
static size_t bgemm_panels(size_t n) { return (n + kernel_bgemm_panel_width() - 1) / kernel_bgemm_panel_width(); }
static size_t gemm_panels(size_t n) { return (n + kernel_gemm_panel_width() - 1) / kernel_gemm_panel_width(); }

// Two values of consecutive depths as one word of kernel_bgemm's depth pairs, the first in the high half: vdpbf16ps
// adds a pair's high product first, so the sums run depth by depth, as torch's flash kernel (and BLAS) sum them.
static inline uint32_t bfloat16_pair(float first, float second) {
    return (uint32_t)bfloat16_bits(second) | (uint32_t)bfloat16_bits(first) << 16;
}

// The rows x[m, k] (`ldx` apart) as rows of kernel_bgemm_depth(k) / 2 pair words (bfloat16_pair's): converted in
// order, then each word's halves swapped.
VECTORIZED static void convert_rows(const float *x, size_t ldx, size_t m, size_t k, uint32_t *words) {
    size_t pairs = kernel_bgemm_depth(k) / 2;
    for (size_t i = 0; i < m; i++) {
        uint32_t *out = words + i * pairs;
        kernel_bgemm_convert(x + i * ldx, 1, k, (uint16_t *)out);
        for (size_t g = 0; g < pairs; g++) out[g] = out[g] >> 16 | out[g] << 16;
    }
}

// A head's keys k[keys, head_dim] (rows `ldk` apart) packed as kernel_bgemm_pack packs a weight, the keys its columns:
// word g of column j in panel j / width is the pair (k[j, 2g], k[j, 2g + 1]).
VECTORIZED static void pack_keys(const float *k, size_t ldk, size_t keys, size_t head_dim, uint32_t *packed) {
    size_t width = kernel_bgemm_panel_width(), pairs = kernel_bgemm_depth(head_dim) / 2;
    uint32_t words[256];  // a key's pairs, up to 256 at a time
    for (size_t j = 0; j < bgemm_panels(keys) * width; j++) {
        uint32_t *column = packed + j / width * width * pairs + j % width;
        for (size_t g0 = 0; g0 < pairs; g0 += 256) {
            size_t count = pairs - g0 < 256 ? pairs - g0 : 256;
            if (j < keys) {
                size_t depths = head_dim - 2 * g0 < 2 * count ? head_dim - 2 * g0 : 2 * count;
                convert_rows(k + j * ldk + 2 * g0, ldk, 1, depths, words);
            } else {
                memset(words, 0, count * sizeof(uint32_t));
            }
            for (size_t g = 0; g < count; g++) column[(g0 + g) * width] = words[g];
        }
    }
}

// A head's values v[keys, head_dim] (rows `ldv` apart) packed as kernel_bgemm_pack packs the weight v^T: word c of pair
// g in panel q is the pair (v[2g, q * width + c], v[2g + 1, q * width + c]).
VECTORIZED static void pack_values(const float *v, size_t ldv, size_t keys, size_t head_dim, uint32_t *packed) {
    size_t width = kernel_bgemm_panel_width(), pairs = kernel_bgemm_depth(keys) / 2;
    for (size_t q = 0; q < bgemm_panels(head_dim); q++) {
        for (size_t g = 0; g < pairs; g++) {
            const float *first = v + 2 * g * ldv, *second = 2 * g + 1 < keys ? first + ldv : NULL;
            uint32_t *words = packed + (q * pairs + g) * width;
            for (size_t c = 0, column = q * width; c < width; c++, column++) {
                words[c] = column >= head_dim ? 0 : bfloat16_pair(first[column], second ? second[column] : 0);
            }
        }
    }
}

void kernel_flash_bf16_scores(const float *q, size_t ldq, const float *k, size_t ldk, size_t queries, size_t keys,
                              size_t head_dim, uint16_t *scratch, float *scores) {
    uint16_t *packed = scratch, *rows = scratch + kernel_bgemm_packed_count(keys, head_dim);
    pack_keys(k, ldk, keys, head_dim, (uint32_t *)packed);
    convert_rows(q, ldq, queries, head_dim, (uint32_t *)rows);
    kernel_bgemm(rows, queries, head_dim, packed, keys, scores, keys, NULL, 0, 0, bgemm_panels(keys));
}

void kernel_flash_bf16_context(const float *p, size_t queries, size_t keys, const float *v, size_t ldv,
                               size_t head_dim, uint16_t *scratch, float *context, size_t ldc) {
    uint16_t *packed = scratch, *rows = scratch + kernel_bgemm_packed_count(head_dim, keys);
    pack_values(v, ldv, keys, head_dim, (uint32_t *)packed);
    convert_rows(p, keys, queries, keys, (uint32_t *)rows);
    kernel_bgemm(rows, queries, keys, packed, head_dim, context, ldc, NULL, 0, 0, bgemm_panels(head_dim));
}

// The rows torch's flash kernel takes queries in at once (its qSplitSize): MKL's order within a block depends on them.
static size_t query_block(size_t queries) { return queries >= 768 ? 256 : queries >= 192 ? 64 : 32; }

size_t kernel_flash_f32_scratch(size_t keys, size_t head_dim) {
    size_t scores = kernel_gemm_packed_count(keys, head_dim), context = kernel_gemm_packed_count(head_dim, keys);
    return scores > context ? scores : context;
}

// MKL's small-matrix order for a block of `rows` queries: each score's products in 4 interleaved partial sums (8 for
// the columns past the last whole 4), unfused, the partial sums then added in halves.
static void small_scores(const float *q, size_t ldq, const float *k, size_t ldk, size_t rows, size_t keys,
                         size_t head_dim, float *scores) {
#pragma clang fp contract(off)
    size_t grouped = keys / 4 * 4;
    for (size_t i = 0; i < rows; i++) {
        for (size_t j = 0; j < keys; j++) {
            size_t lanes = j < grouped ? 4 : 8;
            float part[8] = {0};
            for (size_t d = 0; d < head_dim; d++) part[d % lanes] = part[d % lanes] + q[i * ldq + d] * k[j * ldk + d];
            for (size_t half = lanes / 2; half > 0; half /= 2) {
                for (size_t l = 0; l < half; l++) part[l] = part[l] + part[l + half];
            }
            scores[i * keys + j] = part[0];
        }
    }
}

void kernel_flash_f32_scores(const float *q, size_t ldq, const float *k, size_t ldk, size_t queries, size_t keys,
                             size_t head_dim, float *scratch, float *scores) {
    size_t block = query_block(queries);
    int packed = 0;
    for (size_t first = 0; first < queries; first += block) {
        size_t rows = queries - first < block ? queries - first : block;
        if ((keys <= 11 && rows <= 11) || rows == 2 || rows == 3) {
            small_scores(q + first * ldq, ldq, k, ldk, rows, keys, head_dim, scores + first * keys);
            continue;
        }
        if (!packed) kernel_gemm_pack(k, keys, head_dim, (ptrdiff_t)ldk, 1, scratch);
        packed = 1;  // depth by depth, one fused multiply-add each, from zero
        kernel_gemm_packed(q + first * ldq, ldq, rows, head_dim, scratch, keys, scores + first * keys, keys, NULL, 0,
                           gemm_panels(keys));
    }
}

void kernel_flash_f32_context(const float *p, size_t queries, size_t keys, const float *v, size_t ldv, size_t head_dim,
                              float *scratch, float *context, size_t ldc) {
#pragma clang fp contract(off)
    size_t block = query_block(queries);
    int packed = 0;
    for (size_t first = 0; first < queries; first += block) {
        size_t rows = queries - first < block ? queries - first : block;
        if (rows <= 3) {  // MKL's small order: key by key, unfused
            for (size_t i = first; i < first + rows; i++) {
                float *out = context + i * ldc;
                memset(out, 0, head_dim * sizeof(float));
                for (size_t j = 0; j < keys; j++) {
                    for (size_t d = 0; d < head_dim; d++) out[d] = out[d] + p[i * keys + j] * v[j * ldv + d];
                }
            }
            continue;
        }
        if (!packed) kernel_gemm_pack(v, head_dim, keys, 1, (ptrdiff_t)ldv, scratch);
        packed = 1;  // key by key, one fused multiply-add each, from zero (in blocks of 256 keys past 256)
        kernel_gemm_packed(p + first * keys, keys, rows, keys, scratch, head_dim, context + first * ldc, ldc, NULL, 0,
                           gemm_panels(head_dim));
    }
}
