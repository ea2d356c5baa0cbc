// The int8 GEMM of a dynamically quantized linear layer, as PyTorch's `quantize_dynamic` runs it on fbgemm:
// activations quantized per tensor to 7-bit unsigned values (`reduce_range`), weights per tensor to signed 8-bit,
// int32 sums, then y = scale * (sum - zero_point * column_sum) + bias in float32.
//
// The weight W[n, k] is packed into panels of QGEMM_NR columns, depths in groups of four (k padded with zeros):
// group g of panel q holds, column by column, the four bytes W[q * QGEMM_NR + c, 4g ..< 4g + 4]. The micro-kernel
// broadcasts four activation bytes of a row, multiplies them with a panel's group (vpmaddubsw: unsigned by signed,
// pairs summed into 16 bits, which 7-bit activations cannot overflow), sums the pairs into 32 bits (vpmaddwd by
// ones) and adds: 64 multiply-adds in six instructions, twice what float32 FMAs do. With AVX512_VNNI a group is one
// 64-byte register and vpdpbusd does a row's 64 multiply-adds in one instruction, eight rows a tile.
#include "CKernels.h"
#include "vectorized.h"
#include "gemm_choice.h"

#include <math.h>

#define QGEMM_MR 4
#define QGEMM_NR 16
#define QGEMM_NC 4  // panels per block
#define QGEMM_PREFETCH_ROWS 64  // spread evenly: 5% faster at 64 rows, slower at 256

size_t kernel_qgemm_panel_width(void) { return QGEMM_NR; }

// Rows per tile of the AVX512_VNNI micro-kernel: eight accumulators cover vpdpbusd's latency.
#define QGEMM_VNNI_MR 8

// Whether the int8 products run on AVX512_VNNI (vpdpbusd: a row's four activation bytes times a group of the
// panel, summed into 32 bits, in one instruction: the same sums as the AVX2 path's three instructions, since
// 7-bit activations never saturate vpmaddubsw).
// Chosen once at load (gemm_choice.h).
static int vnni_chosen;

#if defined(__x86_64__) && defined(__clang__)
__attribute__((constructor)) static void choose_qgemm_kernels(void) {
    __builtin_cpu_init();
    vnni_chosen = __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512bw") && !gemm_avx2_forced();
}
#endif

static int qgemm_vnni(void) { return vnni_chosen; }

size_t kernel_qgemm_row_tile(void) { return qgemm_vnni() ? QGEMM_VNNI_MR : QGEMM_MR; }

size_t kernel_qgemm_depth(size_t k) { return (k + 3) / 4 * 4; }

size_t kernel_qgemm_packed_count(size_t n, size_t k) {
    return (n + QGEMM_NR - 1) / QGEMM_NR * QGEMM_NR * kernel_qgemm_depth(k);
}

void kernel_qgemm_pack(const int8_t *w, size_t n, size_t k, int8_t *packed, int32_t *column_sums) {
    size_t depth = kernel_qgemm_depth(k);
    for (size_t j = 0; j < (n + QGEMM_NR - 1) / QGEMM_NR * QGEMM_NR; j++) {
        int8_t *panel = packed + j / QGEMM_NR * QGEMM_NR * depth;
        int32_t sum = 0;
        for (size_t p = 0; p < depth; p++) {
            int8_t value = j < n && p < k ? w[j * k + p] : 0;
            panel[(p / 4) * QGEMM_NR * 4 + (j % QGEMM_NR) * 4 + p % 4] = value;
            sum += value;
        }
        if (j < n) column_sums[j] = sum;
    }
}

// In MIN_MAX_LANES independent lanes, which the compiler turns into vector registers (one running minimum for the
// whole array is a chain of scalar instructions, each waiting for the last), combined at the end; each lane keeps
// `x < lo ? x : lo`, as vminps does, so a NaN is never taken. The lanes start from the infinities, not from x[0]: a
// part of an array that starts with a NaN still has the range of its other values.
#define MIN_MAX_LANES 32

VECTORIZED void kernel_min_max(const float *x, size_t n, float *min, float *max) {
    float lo[MIN_MAX_LANES], hi[MIN_MAX_LANES];
    for (size_t l = 0; l < MIN_MAX_LANES; l++) lo[l] = INFINITY, hi[l] = -INFINITY;
    size_t whole = n / MIN_MAX_LANES * MIN_MAX_LANES;
    for (size_t i = 0; i < whole; i += MIN_MAX_LANES) {
        for (size_t l = 0; l < MIN_MAX_LANES; l++) {
            lo[l] = x[i + l] < lo[l] ? x[i + l] : lo[l];
            hi[l] = x[i + l] > hi[l] ? x[i + l] : hi[l];
        }
    }
    for (size_t i = whole; i < n; i++) {
        lo[0] = x[i] < lo[0] ? x[i] : lo[0];
        hi[0] = x[i] > hi[0] ? x[i] : hi[0];
    }
    for (size_t l = 1; l < MIN_MAX_LANES; l++) {
        lo[0] = lo[l] < lo[0] ? lo[l] : lo[0];
        hi[0] = hi[l] > hi[0] ? hi[l] : hi[0];
    }
    *min = lo[0];
    *max = hi[0];
}

VECTORIZED float kernel_abs_max(const float *x, size_t n) {
    float largest[MIN_MAX_LANES] = {0};
    int nan[MIN_MAX_LANES] = {0};
    size_t whole = n / MIN_MAX_LANES * MIN_MAX_LANES;
    for (size_t i = 0; i < whole; i += MIN_MAX_LANES) {
        for (size_t l = 0; l < MIN_MAX_LANES; l++) {
            float value = fabsf(x[i + l]);
            largest[l] = value > largest[l] ? value : largest[l];
            nan[l] |= value != value;
        }
    }
    for (size_t i = whole; i < n; i++) {
        float value = fabsf(x[i]);
        largest[0] = value > largest[0] ? value : largest[0];
        nan[0] |= value != value;
    }
    for (size_t l = 1; l < MIN_MAX_LANES; l++) {
        largest[0] = largest[l] > largest[0] ? largest[l] : largest[0];
        nan[0] |= nan[l];
    }
    return nan[0] ? NAN : largest[0];
}

VECTORIZED void kernel_quantize_symmetric(const float *x, size_t n, float inverse_scale, int8_t *q) {
    for (size_t i = 0; i < n; i++) {
        float value = x[i] * inverse_scale;
        q[i] = value != value ? 127 : (int8_t)fminf(fmaxf(nearbyintf(value), -128.0f), 127.0f);
    }
}

VECTORIZED void kernel_qgemm_quantize(const float *x, size_t m, size_t k, float scale, int32_t zero_point,
                                      uint8_t *q) {
    size_t depth = kernel_qgemm_depth(k);
    float inverse = 1.0f / scale;
    for (size_t i = 0; i < m; i++) {
        const float *row = x + i * k;
        uint8_t *out = q + i * depth;
        for (size_t p = 0; p < k; p++) {
            float value = (float)zero_point + nearbyintf(row[p] * inverse);
            out[p] = (uint8_t)fminf(fmaxf(value, 0.0f), 127.0f);
        }
        for (size_t p = k; p < depth; p++) out[p] = 0;
    }
}

#if defined(__x86_64__) && defined(__clang__)
#include "prefetch.h"

int kernel_qgemm_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}

// The first `cols` outputs of a row of a tile that is not whole, one by one.
static void qtile_part(const int32_t *sums, float *row, size_t cols, const QGemmOutput *out, size_t column) {
    for (size_t c = 0; c < cols; c++) {
        size_t j = column + c;
        float value = (float)(sums[c] - out->zero_point * out->column_sums[j]) * out->scale;
        if (out->bias) value += out->bias[j];
        row[c] = out->accumulate ? row[c] + value : value;
    }
}

// The float32 outputs of one row of a tile: y = scale * (sums - zero_point * column_sums) + bias (+ y), eight
// columns at a time when the tile is whole.
__attribute__((target("avx2"), always_inline)) static inline void qtile_row(__m256i sums0, __m256i sums1, float *row,
                                                                          size_t cols, const QGemmOutput *out,
                                                                          size_t column) {
    if (cols == QGEMM_NR) {
        const __m256i zero_point = _mm256_set1_epi32(out->zero_point);
        const __m256 scale = _mm256_set1_ps(out->scale);
        __m256i sums[2] = {sums0, sums1};
        for (int h = 0; h < 2; h++) {
            __m256i column_sums = _mm256_loadu_si256((const __m256i *)(out->column_sums + column + 8 * h));
            __m256i centred = _mm256_sub_epi32(sums[h], _mm256_mullo_epi32(zero_point, column_sums));
            __m256 value = _mm256_mul_ps(_mm256_cvtepi32_ps(centred), scale);
            if (out->bias) value = _mm256_add_ps(value, _mm256_loadu_ps(out->bias + column + 8 * h));
            if (out->accumulate) value = _mm256_add_ps(_mm256_loadu_ps(row + 8 * h), value);
            _mm256_storeu_ps(row + 8 * h, value);
        }
        return;
    }
    int32_t sums[QGEMM_NR];
    _mm256_storeu_si256((__m256i *)sums, sums0);
    _mm256_storeu_si256((__m256i *)(sums + 8), sums1);
    qtile_part(sums, row, cols, out, column);
}

// One tile: rows r < MR of y = scale * (A q-rows * panel - zero_point * column_sums) + bias (+ y), `cols` kept; the
// first `lines` cache lines from `ahead` are prefetched into L2 on the way, spread evenly over the groups of four depths
// (prefetch.h).
#define QMICRO_KERNEL(MR)                                                                                          \
    __attribute__((target("avx2"))) static void qmicro_##MR(const uint8_t *a, size_t depth, const int8_t *b, \
                                                                float *y, size_t ldy, size_t cols,                 \
                                                                const QGemmOutput *out, size_t column,             \
                                                                const char *ahead, size_t lines) {                 \
        __m256i acc[MR][2];                                                                                        \
        const __m256i ones = _mm256_set1_epi16(1);                                                                 \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                          \
            acc[r][0] = _mm256_setzero_si256();                                                                    \
            acc[r][1] = _mm256_setzero_si256();                                                                    \
        }                                                                                                          \
        prefetch_spread spread = prefetch_spread_over(ahead, lines, depth / 4);                                    \
        for (size_t g = 0; g < depth / 4; g++) {                                                                   \
            __m256i b0 = _mm256_load_si256((const __m256i *)(b + g * QGEMM_NR * 4));                               \
            __m256i b1 = _mm256_load_si256((const __m256i *)(b + g * QGEMM_NR * 4 + 32));                          \
            prefetch_step(&spread, g);                                                                             \
            _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                      \
                int32_t four;                                                                                      \
                __builtin_memcpy(&four, a + r * depth + g * 4, 4);                                                 \
                __m256i ar = _mm256_set1_epi32(four);                                                              \
                acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(_mm256_maddubs_epi16(ar, b0), ones));    \
                acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(_mm256_maddubs_epi16(ar, b1), ones));    \
            }                                                                                                      \
        }                                                                                                          \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                          \
            qtile_row(acc[r][0], acc[r][1], y + r * ldy, cols, out, column);                                       \
        }                                                                                                          \
    }

QMICRO_KERNEL(1)
QMICRO_KERNEL(2)
QMICRO_KERNEL(3)
QMICRO_KERNEL(4)

typedef void (*qmicro_kernel)(const uint8_t *, size_t, const int8_t *, float *, size_t, size_t, const QGemmOutput *,
                              size_t, const char *, size_t);
static const qmicro_kernel qmicro_kernels[QGEMM_MR + 1] = {0, qmicro_1, qmicro_2, qmicro_3, qmicro_4};

#define VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vnni")))

// One row of a VNNI tile: y = scale * (sums - zero_point * column_sums) + bias (+ y), as qtile_row computes it, the
// sixteen columns in one register when the tile is whole.
VNNI_TARGET static inline void qtile_row16(__m512i sums, float *row, size_t cols, const QGemmOutput *out, size_t column) {
    if (cols == QGEMM_NR) {
        __m512i column_sums = _mm512_loadu_si512((const void *)(out->column_sums + column));
        __m512i centred = _mm512_sub_epi32(sums, _mm512_mullo_epi32(_mm512_set1_epi32(out->zero_point), column_sums));
        __m512 value = _mm512_mul_ps(_mm512_cvtepi32_ps(centred), _mm512_set1_ps(out->scale));
        if (out->bias) value = _mm512_add_ps(value, _mm512_loadu_ps(out->bias + column));
        if (out->accumulate) value = _mm512_add_ps(_mm512_loadu_ps(row), value);
        _mm512_storeu_ps(row, value);
        return;
    }
    int32_t lanes[QGEMM_NR];
    _mm512_storeu_si512((void *)lanes, sums);
    qtile_part(lanes, row, cols, out, column);
}

// qmicro_MR on AVX512_VNNI: a group of the panel is one 64-byte register, each row's four bytes broadcast into it.
#define QVNNI_KERNEL(MR)                                                                                           \
    VNNI_TARGET static void qvnni_##MR(const uint8_t *a, size_t depth, const int8_t *b, float *y, size_t ldy,       \
                                       size_t cols, const QGemmOutput *out, size_t column, const char *ahead,       \
                                       size_t lines) {                                                             \
        __m512i acc[MR];                                                                                           \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) acc[r] = _mm512_setzero_si512();           \
        prefetch_spread spread = prefetch_spread_over(ahead, lines, depth / 4);                                    \
        for (size_t g = 0; g < depth / 4; g++) {                                                                   \
            __m512i group = _mm512_load_si512((const void *)(b + g * QGEMM_NR * 4));                               \
            prefetch_step(&spread, g);                                                                             \
            _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                      \
                int32_t four;                                                                                      \
                __builtin_memcpy(&four, a + r * depth + g * 4, 4);                                                 \
                acc[r] = _mm512_dpbusd_epi32(acc[r], _mm512_set1_epi32(four), group);                              \
            }                                                                                                      \
        }                                                                                                          \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                          \
            qtile_row16(acc[r], y + r * ldy, cols, out, column);                                                   \
        }                                                                                                          \
    }

QVNNI_KERNEL(1)
QVNNI_KERNEL(2)
QVNNI_KERNEL(3)
QVNNI_KERNEL(4)
QVNNI_KERNEL(5)
QVNNI_KERNEL(6)
QVNNI_KERNEL(7)
QVNNI_KERNEL(8)

static const qmicro_kernel qvnni_kernels[QGEMM_VNNI_MR + 1] = {0,        qvnni_1, qvnni_2, qvnni_3, qvnni_4,
                                                               qvnni_5, qvnni_6, qvnni_7, qvnni_8};

void kernel_qgemm(const uint8_t *a, size_t m, size_t k, const int8_t *packed, size_t n, float *y,
                  const QGemmOutput *out, size_t first_panel, size_t end_panel) {
    size_t depth = kernel_qgemm_depth(k), panel_bytes = QGEMM_NR * depth;
    int vnni = qgemm_vnni();
    size_t tile = vnni ? QGEMM_VNNI_MR : QGEMM_MR, row_blocks = (m + tile - 1) / tile;
    const qmicro_kernel *kernels = vnni ? qvnni_kernels : qmicro_kernels;
    // a few panels at a time (in L2) meet every row, while the next few are fetched
    for (size_t q0 = first_panel; q0 < end_panel; q0 += QGEMM_NC) {
        size_t q1 = q0 + QGEMM_NC < end_panel ? q0 + QGEMM_NC : end_panel;
        size_t next = end_panel - q1 < QGEMM_NC ? end_panel - q1 : QGEMM_NC;
        size_t total = m > QGEMM_PREFETCH_ROWS ? 0 : next * panel_bytes / 64, calls = row_blocks * (q1 - q0);
        size_t share = (total + calls - 1) / calls, done = 0;
        const char *ahead = (const char *)(packed + q1 * panel_bytes);
        for (size_t i = 0; i < m; i += tile) {
            size_t rows = m - i < tile ? m - i : tile;
            for (size_t q = q0; q < q1; q++) {
                size_t j = q * QGEMM_NR, cols = n - j < QGEMM_NR ? n - j : QGEMM_NR;
                size_t lines = total - done < share ? total - done : share;
                kernels[rows](a + i * depth, depth, packed + q * panel_bytes, y + i * n + j, n, cols, out, j,
                                     ahead + done * 64, lines);
                done += lines;
            }
        }
    }
}
#else
int kernel_qgemm_available(void) { return 0; }

void kernel_qgemm(const uint8_t *a, size_t m, size_t k, const int8_t *packed, size_t n, float *y,
                  const QGemmOutput *out, size_t first_panel, size_t end_panel) {
    (void)a, (void)m, (void)k, (void)packed, (void)n, (void)y, (void)out, (void)first_panel, (void)end_panel;
}
#endif
