#include "CKernels.h"
#include "vectorized.h"

#include <float.h>
#include <math.h>
#include <string.h>

// exp(x) = 2^n * e^r with x = n ln2 + r, |r| <= ln2/2; e^r by a degree-6 polynomial (Cephes' expf). Branch-free
// so loops over it vectorise.
static inline float exp_approx(float x) {
    x = fminf(fmaxf(x, -87.3365447505f), 88.7228391117f);
    float n = floorf(x * 1.44269504088896341f + 0.5f);
    float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float r2 = r * r;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r2 + r + 1.0f;
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

// erf(x) by Abramowitz & Stegun 7.1.26, as PyTorch's Vectorized<float>::erf computes it.
static inline float erf_approx(float x) {
    float a = fabsf(x);
    float t = 1.0f / (0.3275911f * a + 1.0f);
    float r = 1.061405429f;
    r = r * t - 1.453152027f;
    r = r * t + 1.421413741f;
    r = r * t - 0.284496736f;
    r = r * t + 0.254829592f;
    float y = 1.0f - r * t * exp_approx(-a * a);
    return copysignf(y, x);
}

/* x * 0.5 * (1 + erf(x / sqrt(2))) as PyTorch's vectorised kernel rounds it: the half times (1 + erf) fused into
   one multiply-add, so that the far negative tail, where erf is exactly -1, gives +0 as in torch. */
static inline float gelu_erf(float x) {
    float half = x * 0.5f;
    return fmaf(half, erf_approx(x * 0.70710678118654752440f), half);
}

VECTORIZED void kernel_gelu(const float *x, float *out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = gelu_erf(x[i]);
}

VECTORIZED void kernel_bias_gelu_rows(float *data, size_t rows, size_t length, const float *bias) {
    for (size_t row = 0; row < rows; row++) {
        float *p = data + row * length;
#pragma clang loop vectorize(assume_safety)
        for (size_t i = 0; i < length; i++) {
            p[i] = gelu_erf(p[i] + bias[i]);
        }
    }
}

/* exp(x): the approximation where it holds, then NaN, the subnormal tail and overflow to infinity from libm, as
   torch's vectorised exp gives them (a second, rarely taken pass, so that the first stays vectorised). */
VECTORIZED void kernel_exp(const float *x, float *out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = exp_approx(x[i]);
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] >= -87.3365447505f && x[i] <= 88.7228391117f)) out[i] = expf(x[i]);
    }
}

// Sums and maxima below may be taken in any order (as PyTorch's vectorised kernels take them), so the compiler
// vectorises those reductions too.
VECTORIZED void kernel_softmax_rows(float *data, size_t rows, size_t length, float scale, const uint8_t *keep) {
#pragma clang fp reassociate(on)
    for (size_t row = 0; row < rows; row++) {
        float *p = data + row * length;
        float m = -FLT_MAX;
        for (size_t j = 0; j < length; j++) {
            float v = (keep == NULL || keep[j]) ? p[j] * scale : -FLT_MAX;
            p[j] = v;
            m = v > m ? v : m;
        }
        float total = 0.0f;
        for (size_t j = 0; j < length; j++) {
            float d = p[j] - m;
            float e = d < -87.3365447505f ? 0.0f : exp_approx(d);
            p[j] = e;
            total += e;
        }
        float inverse = 1.0f / total;
        for (size_t j = 0; j < length; j++) p[j] *= inverse;
    }
}

VECTORIZED void kernel_layer_norm(const float *x, float *out, size_t rows, size_t length, const float *weight,
                                  const float *bias, float eps) {
#pragma clang fp reassociate(on)
    for (size_t row = 0; row < rows; row++) {
        const float *p = x + row * length;
        float *q = out + row * length;
        float mean = 0.0f;
        for (size_t i = 0; i < length; i++) mean += p[i];
        mean /= (float)length;
        float variance = 0.0f;
        for (size_t i = 0; i < length; i++) variance += (p[i] - mean) * (p[i] - mean);
        variance /= (float)length;
        float inverse = 1.0f / sqrtf(variance + eps);
        for (size_t i = 0; i < length; i++) q[i] = (p[i] - mean) * inverse * weight[i] + bias[i];
    }
}
