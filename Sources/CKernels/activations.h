// The float32 functions the kernels share, written branch-free so that loops over them vectorise: exp, erf and
// GELU as PyTorch's vectorised CPU kernels compute them.
#ifndef CKERNELS_ACTIVATIONS_H
#define CKERNELS_ACTIVATIONS_H

#include <math.h>
#include <stdint.h>
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

#endif
