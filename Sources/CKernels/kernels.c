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

void kernel_bias_gelu_rows(float *data, size_t rows, size_t length, size_t ld, const float *bias) {
    for (size_t row = 0; row < rows; row++) gelu(data + row * ld, bias, data + row * ld, length);
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

// Layer norm as torch 2.15 computes it on the CPU, bit for bit: its AVX2 kernel (the one it registers, on AVX-512
// CPUs too). A row's mean and variance are Welford moments (ATen's RowwiseMoments) over 8 lanes: chunks of up to 16
// vectors each give a lane's moments, chunks merge in a binary cascade (a stack of partial moments, as a counter's
// carries), the values past the last whole vector run through a scalar Welford, then the 8 lanes merge into it in
// order. Fused multiply-adds where ATen's compiled code has them (fmaf), none elsewhere (contract(off)).
#define MOMENT_LANES 8
#define MOMENT_CHUNK 16

typedef struct {
    size_t count;
    float m1[MOMENT_LANES], m2[MOMENT_LANES];
} LaneMoments;

// AddMomentsVec: `into` += (count, m1, m2), lane by lane.
__attribute__((always_inline)) static inline void merge_lanes(size_t count, const float *m1, const float *m2, LaneMoments *into) {
#pragma clang fp contract(off)
    size_t total = into->count + count;
    float c = total == 0 ? 0.0f : (float)count / (float)total;
    for (size_t l = 0; l < MOMENT_LANES; l++) {
        float delta = m1[l] - into->m1[l], scaled = c * delta;
        into->m1[l] = into->m1[l] + scaled;
        into->m2[l] = fmaf((float)into->count * delta, scaled, into->m2[l] + m2[l]);
    }
    into->count = total;
}

#define MOMENT_ROWS 4

// RowwiseMoments of `rows` rows (up to MOMENT_ROWS, `ld` apart): each row's mean, and its sum of squared deviations
// over `length`. Each row takes the steps one row would, the rows side by side so that one row's chain of dependent
// fused multiply-adds runs while another's waits (one row at a time was bound by their latency).
__attribute__((always_inline)) static inline void rows_moments(const float *x, size_t ld, size_t rows, size_t length,
                                                               float *mean, float *variance) {
#pragma clang fp contract(off)
    size_t vectors = length / MOMENT_LANES, chunks = (vectors + MOMENT_CHUNK - 1) / MOMENT_CHUNK;
    size_t depth = chunks <= 2 ? 1 : 64 - (size_t)__builtin_clzll(chunks - 1);
    LaneMoments stack[MOMENT_ROWS][64];
    for (size_t r = 0; r < rows; r++) memset(stack[r], 0, depth * sizeof(LaneMoments));
    for (size_t i = 0; i < chunks; i++) {
        float m1[MOMENT_ROWS][MOMENT_LANES] = {{0}}, m2[MOMENT_ROWS][MOMENT_LANES] = {{0}};
        size_t count = vectors - i * MOMENT_CHUNK < MOMENT_CHUNK ? vectors - i * MOMENT_CHUNK : MOMENT_CHUNK;
        for (size_t j = 0; j < count; j++) {
            float c = 1.0f / (float)(j + 1);
            for (size_t r = 0; r < rows; r++) {
                const float *v = x + r * ld + (i * MOMENT_CHUNK + j) * MOMENT_LANES;
                for (size_t l = 0; l < MOMENT_LANES; l++) {
                    float delta = v[l] - m1[r][l];
                    m1[r][l] = fmaf(delta, c, m1[r][l]);
                    m2[r][l] = fmaf(delta, v[l] - m1[r][l], m2[r][l]);
                }
            }
        }
        for (size_t r = 0; r < rows; r++) {
            merge_lanes(count, m1[r], m2[r], &stack[r][0]);
            size_t carries = i + 1;
            for (size_t level = 1; level < depth && !(carries & 1); level++, carries >>= 1) {
                merge_lanes(stack[r][level - 1].count, stack[r][level - 1].m1, stack[r][level - 1].m2, &stack[r][level]);
                memset(&stack[r][level - 1], 0, sizeof(LaneMoments));
            }
        }
    }
    for (size_t r = 0; r < rows; r++) {
        LaneMoments *lanes = stack[r];
        const float *row = x + r * ld;
        for (size_t level = 1; level < depth; level++) merge_lanes(lanes[level].count, lanes[level].m1, lanes[level].m2, &lanes[0]);
        size_t count = 0;
        float m1 = 0.0f, m2 = 0.0f;
        for (size_t i = vectors * MOMENT_LANES; i < length; i++) {  // AddMoments, no fused steps
            float delta = row[i] - m1;
            count++;
            m1 = m1 + delta / (float)count;
            m2 = m2 + (row[i] - m1) * delta;
        }
        for (size_t l = 0; l < MOMENT_LANES; l++) {  // AddMomentsVec's horizontal merge
            size_t total = count + vectors;
            float c = total == 0 ? 0.0f : (float)vectors / (float)total, delta = lanes[0].m1[l] - m1;
            m1 = fmaf(delta, c, m1);
            m2 = m2 + fmaf((delta * delta) * c, (float)count, lanes[0].m2[l]);
            count = total;
        }
        mean[r] = m1;
        variance[r] = m2;
    }
}

// Normalizes `rows` rows (up to MOMENT_ROWS) of `length`, `length` apart.
__attribute__((always_inline)) static inline void normalize_rows(const float *x, float *out, size_t rows, size_t length,
                                                                 const float *weight, const float *bias, float eps) {
#pragma clang fp contract(off)
    float mean[MOMENT_ROWS], squares[MOMENT_ROWS];
    rows_moments(x, length, rows, length, mean, squares);
    for (size_t r = 0; r < rows; r++) {
        const float *p = x + r * length;
        float *q = out + r * length, rstd = 1.0f / sqrtf(squares[r] / (float)length + eps);
        for (size_t i = 0; i < length; i++) q[i] = fmaf((p[i] + -mean[r]) * rstd, weight[i], bias[i]);
    }
}

VECTORIZED void kernel_layer_norm(const float *x, float *out, size_t rows, size_t length, const float *weight,
                                  const float *bias, float eps) {
    size_t row = 0;
    for (; row + MOMENT_ROWS <= rows; row += MOMENT_ROWS) {
        normalize_rows(x + row * length, out + row * length, MOMENT_ROWS, length, weight, bias, eps);
    }
    for (; row < rows; row++) normalize_rows(x + row * length, out + row * length, 1, length, weight, bias, eps);
}
