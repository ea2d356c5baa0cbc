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
