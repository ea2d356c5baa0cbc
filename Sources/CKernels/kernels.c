#include "CKernels.h"
#include "activations.h"
#include "vectorized.h"

#include <float.h>
#include <math.h>
#include <string.h>

// `out` may be `x` (in place): each element is read before it is written, so the loop is safe to vectorise.
VECTORIZED static void gelu_loop(const float *x, const float *bias, float *out, size_t n) {
    if (bias) {
#pragma clang loop vectorize(assume_safety)
        for (size_t i = 0; i < n; i++) out[i] = gelu_erf(x[i] + bias[i]);
    } else {
#pragma clang loop vectorize(assume_safety)
        for (size_t i = 0; i < n; i++) out[i] = gelu_erf(x[i]);
    }
}

// On AVX-512 with the table in registers (a gather per coefficient, which the loop above compiles to, is ~10x
// slower), else the loop the compiler vectorises.
static void gelu(const float *x, const float *bias, float *out, size_t n) {
#if defined(__x86_64__) && defined(__clang__)
    if (gelu_has_avx512()) return gelu_erf_avx512(x, bias, out, n);
#endif
    gelu_loop(x, bias, out, n);
}

void kernel_gelu(const float *x, float *out, size_t n) { gelu(x, NULL, out, n); }

void kernel_bias_gelu_rows(float *data, size_t rows, size_t length, const float *bias) {
    for (size_t row = 0; row < rows; row++) gelu(data + row * length, bias, data + row * length, length);
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
