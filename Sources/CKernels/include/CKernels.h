// Element-wise float32 kernels for TensorCore, written so the compiler vectorises them; each is built for
// AVX-512, AVX2 and baseline x86-64 and the best is chosen when the program starts (target_clones).
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// out[i] = x * 0.5 * (1 + erf(x / sqrt(2))), erf as PyTorch's vectorised CPU kernel computes it.
void kernel_gelu(const float *x, float *out, size_t n);

/// In place over `rows` rows of `length`: x = row[i] + bias[i], row[i] = gelu(x) as kernel_gelu computes it.
void kernel_bias_gelu_rows(float *data, size_t rows, size_t length, const float *bias);

/// out[i] = exp(x[i]) (within 2 ulp of the correctly rounded value).
void kernel_exp(const float *x, float *out, size_t n);

/// In place over `rows` rows of `length`: softmax(row * scale), where keep (if not NULL, one flag per column,
/// shared by all rows) marks columns to keep; the others are set to float32's lowest value first.
void kernel_softmax_rows(float *rows_data, size_t rows, size_t length, float scale, const uint8_t *keep);

/// Layer norm of each row of `length` over `rows` rows.
void kernel_layer_norm(const float *x, float *out, size_t rows, size_t length, const float *weight,
                       const float *bias, float eps);

#endif
