// The softmax of attention in float16 and bfloat16 as PyTorch's CPU flash attention kernel computes it (what
// `scaled_dot_product_attention` runs for BERT's, DistilBERT's and GPT-2's SDPA attention), for up to 512 keys (one
// block of keys, so no rescaling between blocks; a causal row's later keys are in it, masked): the scaled float32 scores' maximum, their exponentials by ATen's `fexp_u20`
// (glibc's expf for the columns past the last whole 16), summed in 16 lanes then halved down as its AVX-512 reduction
// does, and each exponential rounded to the type before the product with the values, which is divided by the sum
// afterwards (multiplied by its reciprocal), then rounded.
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

VECTORIZED void kernel_flash_probabilities(float *data, size_t rows, size_t length, size_t visible, float scale,
                                           const uint8_t *keep, int type, float *inverse_sums) {
    size_t whole = length / FLASH_LANES * FLASH_LANES;
    for (size_t row = 0; row < rows; row++) {
        float *p = data + row * length, m = -FLT_MAX;
        for (size_t j = 0; j < length; j++) {
            p[j] = j < visible && (keep == NULL || keep[j]) ? p[j] * scale : -FLT_MAX;
            m = p[j] > m ? p[j] : m;
        }
        float lanes[FLASH_LANES] = {0};
        for (size_t j = 0; j < whole; j += FLASH_LANES) {
            for (size_t l = 0; l < FLASH_LANES; l++) {
                p[j + l] = fexp_u20(p[j + l] - m);
                lanes[l] += p[j + l];
            }
        }
        for (size_t half = FLASH_LANES / 2; half > 0; half /= 2) {
            for (size_t l = 0; l < half; l++) lanes[l] += lanes[l + half];
        }
        float sum = lanes[0];
        for (size_t j = whole; j < length; j++) {
            p[j] = expf(p[j] - m);
            sum += p[j];
        }
        for (size_t j = 0; j < length; j++) p[j] = rounded_to_type(p[j], type);
        inverse_sums[row] = 1.0f / sum;
    }
}

VECTORIZED void kernel_scale_rows_to_type(float *y, size_t rows, size_t length, size_t ld, const float *scales,
                                          int type) {
    for (size_t row = 0; row < rows; row++) {
        float *p = y + row * ld;
        for (size_t j = 0; j < length; j++) p[j] = rounded_to_type(p[j] * scales[row], type);
    }
}

size_t kernel_flash_bf16_scratch(size_t queries, size_t keys, size_t head_dim) {
    size_t scores = kernel_bgemm_packed_count(keys, head_dim) + queries * kernel_bgemm_depth(head_dim);
    size_t context = kernel_bgemm_packed_count(head_dim, keys) + queries * kernel_bgemm_depth(keys);
    return scores > context ? scores : context;
}

static size_t bgemm_panels(size_t n) { return (n + kernel_bgemm_panel_width() - 1) / kernel_bgemm_panel_width(); }

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
    uint32_t words[256];  // pairs: head_dim is at most 512
    for (size_t j = 0; j < bgemm_panels(keys) * width; j++) {
        const float *row = k + j * ldk;
        if (j < keys) {
            convert_rows(row, ldk, 1, head_dim, words);
        } else {
            memset(words, 0, pairs * sizeof(uint32_t));
        }
        uint32_t *column = packed + j / width * width * pairs + j % width;
        for (size_t g = 0; g < pairs; g++) column[g * width] = words[g];
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
