// A float32 GEMM whose right-hand matrix (a layer's weight) is packed once, as ONNX Runtime's MLAS keeps its
// weights: OpenBLAS packs both operands on every call, which costs a third of a small forward pass.
//
// C[m, n] (+)= A[m, k] * B[k, n], B given as a weight W[n, k] (B = W^T) and packed into panels of GEMM_NR
// columns, block of GEMM_KC depths by block: in the block of depths k0..<k0 + kc, panel q holds, for p = 0..<kc, the
// GEMM_NR values W[q * GEMM_NR + c, k0 + p] side by side (zeros past n), so a product reads its weight as one
// stream, in the order it computes. Within a block, a tile of rows of A (a few KiB, in L1) meets each panel of a group
// of GEMM_NC columns (in L2), in a micro-kernel that keeps the tile's 8 x GEMM_NR values of C in eight AVX-512
// registers and does one fused multiply-add with a broadcast value per row and depth (on CPUs without AVX-512, 6 rows
// in twelve AVX2 registers, a broadcast and two fused multiply-adds: the same sums, in the same order; each sum runs
// depth by depth whatever the tile's rows). A weight is larger than the
// caches, so up to GEMM_PREFETCH_ROWS rows per call the micro-kernel also asks for the next group's lines (into L2)
// while it computes on one, and the weight comes from memory while the FMA units work (measured: 10-20% faster at
// 32-128 rows, ~7% at 192-256, ~2% at 384-512, the lines spread evenly over the micro-kernel's depths; in bursts they
// pushed the group out of L2 from 256 rows on). Past 512 rows, not measured, the hardware's prefetcher is left to it.
#include "CKernels.h"
#include "vectorized.h"

#include <string.h>

#define GEMM_MR_MAX 8
#define GEMM_NR 16
#define GEMM_KC 256
#define GEMM_NC 128
#define GEMM_PREFETCH_ROWS 512

size_t kernel_gemm_panel_width(void) { return GEMM_NR; }

size_t kernel_gemm_packed_count(size_t n, size_t k) { return (n + GEMM_NR - 1) / GEMM_NR * GEMM_NR * k; }

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

// Whether whole transposed panels are packed with AVX-512 register transposes: on CPUs whose micro-kernels are
// AVX-512's (chosen at load, below).
static int transpose_avx512;

// Sixteen rows (`ld` apart) of sixteen values from `w`, stored transposed: out[c * GEMM_NR + r] = w[r * ld + c]. Pairs
// of rows interleaved by value, then by pair, then their 128-bit lanes gathered (64 shuffles for 256 values).
__attribute__((target("avx512f"))) static void transpose16(const float *w, ptrdiff_t ld, float *out) {
    __m512 r[16], t[16];
    for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_ps(w + i * ld);
    for (int i = 0; i < 16; i += 2) {  // lane L: rows i, i + 1 at columns 4L, 4L + 1 (lo) or 4L + 2, 4L + 3 (hi)
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int g = 0; g < 16; g += 4) {  // r[g + j], lane L: rows g..<g + 4 at column 4L + j
        __m512d lo = _mm512_castps_pd(t[g]), hi = _mm512_castps_pd(t[g + 1]);
        __m512d lo2 = _mm512_castps_pd(t[g + 2]), hi2 = _mm512_castps_pd(t[g + 3]);
        r[g] = _mm512_castpd_ps(_mm512_unpacklo_pd(lo, lo2));
        r[g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(lo, lo2));
        r[g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(hi, hi2));
        r[g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(hi, hi2));
    }
    for (int j = 0; j < 4; j++) {  // column 4L + j: lane L of r[j], r[4 + j], r[8 + j], r[12 + j]
        __m512 low01 = _mm512_shuffle_f32x4(r[j], r[4 + j], 0x44), low23 = _mm512_shuffle_f32x4(r[j], r[4 + j], 0xEE);
        __m512 high01 = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0x44), high23 = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0xEE);
        _mm512_storeu_ps(out + (0 + j) * GEMM_NR, _mm512_shuffle_f32x4(low01, high01, 0x88));
        _mm512_storeu_ps(out + (4 + j) * GEMM_NR, _mm512_shuffle_f32x4(low01, high01, 0xDD));
        _mm512_storeu_ps(out + (8 + j) * GEMM_NR, _mm512_shuffle_f32x4(low23, high23, 0x88));
        _mm512_storeu_ps(out + (12 + j) * GEMM_NR, _mm512_shuffle_f32x4(low23, high23, 0xDD));
    }
}
#else
static const int transpose_avx512 = 0;
static void transpose16(const float *w, ptrdiff_t ld, float *out) { (void)w, (void)ld, (void)out; }
#endif

// One panel of one depth block: the GEMM_NR columns from j0 (zeros past n) of the depths k0..<k0 + kc. Read along n
// where that is contiguous (an attention head's values seen transposed), else transposed (a layer's weight, a head's
// keys): a whole panel 16 depths at a time in registers on AVX-512 (pack_panel's share of a qint8 8x128 forward 2.2
// -> 1.6%), the rest depth by depth with the stores in order, not vectorised: the scatter the compiler chose for it
// was half as fast as 16 moves.
VECTORIZED static void pack_panel(const float *w, size_t n, size_t j0, size_t k0, size_t kc, ptrdiff_t row_stride,
                                  ptrdiff_t col_stride, float *panel) {
    size_t columns = n - j0 < GEMM_NR ? n - j0 : GEMM_NR;
    if (columns < GEMM_NR) memset(panel, 0, kc * GEMM_NR * sizeof(float));
    const float *first = w + (ptrdiff_t)j0 * row_stride + (ptrdiff_t)k0 * col_stride;
    if (row_stride == 1) {
        for (size_t p = 0; p < kc; p++) {
            for (size_t c = 0; c < columns; c++) panel[p * GEMM_NR + c] = first[(ptrdiff_t)p * col_stride + (ptrdiff_t)c];
        }
        return;
    }
    size_t p = 0;
    if (transpose_avx512 && col_stride == 1 && columns == GEMM_NR) {
        for (; p + 16 <= kc; p += 16) transpose16(first + p, row_stride, panel + p * GEMM_NR);
    }
    for (; p < kc; p++) {
        _Pragma("clang loop vectorize(disable)") for (size_t c = 0; c < columns; c++) {
            panel[p * GEMM_NR + c] = first[(ptrdiff_t)c * row_stride + (ptrdiff_t)p * col_stride];
        }
    }
}

void kernel_gemm_pack(const float *w, size_t n, size_t k, ptrdiff_t row_stride, ptrdiff_t col_stride, float *packed) {
    size_t panels = (n + GEMM_NR - 1) / GEMM_NR;
    for (size_t k0 = 0; k0 < k; k0 += GEMM_KC) {
        size_t kc = k - k0 < GEMM_KC ? k - k0 : GEMM_KC;
        for (size_t q = 0; q < panels; q++) {
            pack_panel(w, n, q * GEMM_NR, k0, kc, row_stride, col_stride, packed + k0 * panels * GEMM_NR + q * GEMM_NR * kc);
        }
    }
}

// What a tile's sums are added to: a GemmAddends moved to the tile's first row and column at the first depth block,
// C's sums of the blocks before at the later ones (a residual that is C itself); NULL where there is none.
typedef struct {
    const float *bias, *residual;
    size_t ldr;
} tile_addends;

static tile_addends tile_at(const GemmAddends *addends, size_t row, size_t column) {
    if (!addends) return (tile_addends){NULL, NULL, 0};
    return (tile_addends){addends->bias ? addends->bias + column : NULL,
                          addends->residual ? addends->residual + row * addends->ldr + column : NULL, addends->ldr};
}

// The addend of column j of row r of a tile that has addends: bias + residual, or the one there is.
static inline float addend(const tile_addends *t, size_t r, size_t j) {
    if (t->bias && t->residual) return t->bias[j] + t->residual[r * t->ldr + j];
    return t->bias ? t->bias[j] : t->residual[r * t->ldr + j];
}

VECTORIZED void kernel_gemm_fill(float *c, size_t ldc, size_t rows, size_t cols, const GemmAddends *addends,
                                 size_t row0, size_t col0) {
    tile_addends tile = tile_at(addends, row0, col0);
    for (size_t r = 0; r < rows; r++) {
        for (size_t j = 0; j < cols; j++) c[r * ldc + j] = tile.bias || tile.residual ? addend(&tile, r, j) : 0.0f;
    }
}

#if defined(__x86_64__) && defined(__clang__)
#include "gemm_choice.h"
#include "prefetch.h"

int kernel_gemm_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

// addend() of the 8 columns from j, and of a whole row of 16.
__attribute__((target("avx2"), always_inline)) static inline __m256 addend8(const tile_addends *t, size_t r, size_t j) {
    if (t->bias && t->residual) return _mm256_add_ps(_mm256_loadu_ps(t->bias + j), _mm256_loadu_ps(t->residual + r * t->ldr + j));
    return _mm256_loadu_ps(t->bias ? t->bias + j : t->residual + r * t->ldr + j);
}

__attribute__((target("avx512f"), always_inline)) static inline __m512 addend16(const tile_addends *t, size_t r) {
    if (t->bias && t->residual) return _mm512_add_ps(_mm512_loadu_ps(t->bias), _mm512_loadu_ps(t->residual + r * t->ldr));
    return _mm512_loadu_ps(t->bias ? t->bias : t->residual + r * t->ldr);
}

// The first `cols` of a tile row's sums stored: added to what they go onto, or as they are.
static inline void finish_part(float *row, const float *tile, size_t cols, const tile_addends *onto, size_t r) {
    for (size_t j = 0; j < cols; j++) row[j] = onto ? tile[j] + addend(onto, r, j) : tile[j];
}

// One tile: rows r < MR of C = A[rows, 0..<kc] * panel[0..<kc] (+ onto), `cols` of its GEMM_NR columns kept; the first
// `lines` cache lines from `ahead` are prefetched into L2 on the way, spread evenly over the depths (prefetch.h).
#define MICRO_KERNEL(MR)                                                                                           \
    __attribute__((target("avx2,fma"))) static void micro_##MR(const float *a, size_t lda, const float *b,        \
                                                                size_t kc, float *c, size_t ldc, size_t cols,      \
                                                                const tile_addends *onto, const char *ahead,       \
                                                                size_t lines) {                                    \
        __m256 acc[MR][2];                                                                                         \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                          \
            acc[r][0] = _mm256_setzero_ps();                                                                       \
            acc[r][1] = _mm256_setzero_ps();                                                                       \
        }                                                                                                          \
        const float *rows[MR];                                                                                     \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) rows[r] = a + r * lda;                     \
        prefetch_spread spread = prefetch_spread_over(ahead, lines, kc);                                           \
        _Pragma("clang loop unroll_count(2)") for (size_t p = 0; p < kc; p++) {                                    \
            __m256 b0 = _mm256_load_ps(b + p * GEMM_NR), b1 = _mm256_load_ps(b + p * GEMM_NR + 8);                 \
            prefetch_step(&spread, p);                                                                             \
            _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                      \
                __m256 ar = _mm256_broadcast_ss(rows[r] + p);                                                      \
                acc[r][0] = _mm256_fmadd_ps(ar, b0, acc[r][0]);                                                    \
                acc[r][1] = _mm256_fmadd_ps(ar, b1, acc[r][1]);                                                    \
            }                                                                                                      \
        }                                                                                                          \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                          \
            float *row = c + r * ldc;                                                                              \
            if (cols == GEMM_NR) {                                                                                 \
                if (onto) {                                                                                        \
                    acc[r][0] = _mm256_add_ps(acc[r][0], addend8(onto, r, 0));                                     \
                    acc[r][1] = _mm256_add_ps(acc[r][1], addend8(onto, r, 8));                                     \
                }                                                                                                  \
                _mm256_storeu_ps(row, acc[r][0]);                                                                  \
                _mm256_storeu_ps(row + 8, acc[r][1]);                                                              \
            } else {                                                                                               \
                float tile[GEMM_NR];                                                                               \
                _mm256_storeu_ps(tile, acc[r][0]);                                                                 \
                _mm256_storeu_ps(tile + 8, acc[r][1]);                                                             \
                finish_part(row, tile, cols, onto, r);                                                             \
            }                                                                                                      \
        }                                                                                                          \
    }

// The same tile on AVX-512: a row's 16 columns in one register, one fused multiply-add with the row's value broadcast
// from memory per row and depth. Zen 4 splits a 512-bit FMA in two halves, so the ceiling is the same; half the
// instructions and loads bring the kernel closer to it (measured +2-6% on the model's shapes, one core and two). Each
// sum takes the same steps in the same order: the outputs are the AVX2 kernel's, bit for bit.
#define MICRO_KERNEL_AVX512(MR)                                                                                    \
    __attribute__((target("avx512f,fma"))) static void micro512_##MR(                                              \
        const float *a, size_t lda, const float *b, size_t kc, float *c, size_t ldc, size_t cols,                  \
        const tile_addends *onto, const char *ahead, size_t lines) {                                               \
        __m512 acc[MR];                                                                                            \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) acc[r] = _mm512_setzero_ps();              \
        const float *rows[MR];                                                                                     \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) rows[r] = a + r * lda;                     \
        prefetch_spread spread = prefetch_spread_over(ahead, lines, kc);                                           \
        _Pragma("clang loop unroll_count(2)") for (size_t p = 0; p < kc; p++) {                                    \
            __m512 bp = _mm512_load_ps(b + p * GEMM_NR);                                                           \
            prefetch_step(&spread, p);                                                                             \
            _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                      \
                acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(rows[r][p]), bp, acc[r]);                                  \
            }                                                                                                      \
        }                                                                                                          \
        _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                                          \
            float *row = c + r * ldc;                                                                              \
            if (cols == GEMM_NR) {                                                                                 \
                if (onto) acc[r] = _mm512_add_ps(acc[r], addend16(onto, r));                                       \
                _mm512_storeu_ps(row, acc[r]);                                                                     \
            } else {                                                                                               \
                float tile[GEMM_NR];                                                                               \
                _mm512_storeu_ps(tile, acc[r]);                                                                    \
                finish_part(row, tile, cols, onto, r);                                                             \
            }                                                                                                      \
        }                                                                                                          \
    }

MICRO_KERNEL(1)
MICRO_KERNEL(2)
MICRO_KERNEL(3)
MICRO_KERNEL(4)
MICRO_KERNEL(5)
MICRO_KERNEL(6)
MICRO_KERNEL_AVX512(1)
MICRO_KERNEL_AVX512(2)
MICRO_KERNEL_AVX512(3)
MICRO_KERNEL_AVX512(4)
MICRO_KERNEL_AVX512(5)
MICRO_KERNEL_AVX512(6)
MICRO_KERNEL_AVX512(7)
MICRO_KERNEL_AVX512(8)

typedef void (*micro_kernel)(const float *, size_t, const float *, size_t, float *, size_t, size_t,
                             const tile_addends *, const char *, size_t);
// A CPU's micro-kernels: its tile's rows, and the kernel for each tile of 1 to `rows` rows. AVX-512's 32 registers
// hold a tile of 8 rows: a split of 64 or 128 rows then ends in no narrow tile (with 6-row tiles, a core of a 128-row
// product took 66 rows and the other 62; measured +2.5% at 128 rows and +5% at 32 on one core, the same at 64).
typedef struct {
    size_t rows;
    micro_kernel kernels[GEMM_MR_MAX + 1];
} micro_kernels;
static const micro_kernels avx2_kernels = {6, {0, micro_1, micro_2, micro_3, micro_4, micro_5, micro_6}};
static const micro_kernels avx512_kernels = {
    8, {0, micro512_1, micro512_2, micro512_3, micro512_4, micro512_5, micro512_6, micro512_7, micro512_8}};

// The micro-kernels this CPU runs, chosen once at load: AVX-512's where it has them (gemm_choice.h).
static const micro_kernels *chosen_kernels = &avx2_kernels;

__attribute__((constructor)) static void choose_kernels(void) {
    __builtin_cpu_init();
    chosen_kernels = __builtin_cpu_supports("avx512f") && !gemm_avx2_forced() ? &avx512_kernels : &avx2_kernels;
    transpose_avx512 = chosen_kernels == &avx512_kernels;
}

static const micro_kernels *kernels_for_this_cpu(void) { return chosen_kernels; }

size_t kernel_gemm_row_tile(void) { return kernels_for_this_cpu()->rows; }

#define GROUP (GEMM_NC / GEMM_NR)

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

// Where the group after panels q0..<q1 of the depth block at k0 starts in the packed weight, and how many cache lines
// it has: the next panels of this block, else the first of the next block (within this call's panels), else none.
static const char *next_group(const float *packed, size_t k, size_t width, size_t k0, size_t q1, size_t first_panel,
                              size_t end_panel, size_t *lines) {
    size_t kc = min_size(k - k0, GEMM_KC), next_k0 = q1 < end_panel ? k0 : k0 + kc;
    if (next_k0 >= k) { *lines = 0; return (const char *)packed; }
    size_t q = q1 < end_panel ? q1 : first_panel, next_kc = min_size(k - next_k0, GEMM_KC);
    *lines = min_size(end_panel - q, GROUP) * GEMM_NR * next_kc * sizeof(float) / 64;
    return (const char *)(packed + next_k0 * width + q * GEMM_NR * next_kc);
}

// The rows of the tile that starts `left` rows before the end, with tiles of `mr` rows: `mr`, but a tail of `mr` + 1
// or + 2 rows is cut in two halves, not a whole tile and one of 1 or 2 rows, which would stream a panel for a small
// part of a tile's work.
static size_t tile_rows(size_t left, size_t mr) { return left > mr && left < mr + 3 ? (left + 1) / 2 : min_size(left, mr); }

void kernel_gemm_packed(const float *a, size_t lda, size_t m, size_t k, const float *packed, size_t n, float *c,
                        size_t ldc, const GemmAddends *addends, size_t first_panel, size_t end_panel) {
    const micro_kernels *micro = kernels_for_this_cpu();
    size_t width = (n + GEMM_NR - 1) / GEMM_NR * GEMM_NR, row_blocks = 0;
    for (size_t i = 0; i < m; i += tile_rows(m - i, micro->rows)) row_blocks++;
    for (size_t k0 = 0; k0 < k; k0 += GEMM_KC) {
        size_t kc = min_size(k - k0, GEMM_KC);
        const float *block = packed + k0 * width;
        for (size_t q0 = first_panel; q0 < end_panel; q0 += GROUP) {
            size_t q1 = min_size(q0 + GROUP, end_panel), total;
            const char *ahead = next_group(packed, k, width, k0, q1, first_panel, end_panel, &total);
            if (m > GEMM_PREFETCH_ROWS) total = 0;
            size_t share = (total + row_blocks * (q1 - q0) - 1) / (row_blocks * (q1 - q0)), done = 0;
            for (size_t i = 0, rows; i < m; i += rows) {
                rows = tile_rows(m - i, micro->rows);
                for (size_t q = q0; q < q1; q++) {
                    size_t j = q * GEMM_NR, lines = min_size(total - done, share);
                    float *tile = c + i * ldc + j;
                    tile_addends onto = k0 > 0 ? (tile_addends){NULL, tile, ldc} : tile_at(addends, i, j);
                    micro->kernels[rows](a + i * lda + k0, lda, block + q * GEMM_NR * kc, kc, tile, ldc,
                                        min_size(n - j, GEMM_NR), onto.bias || onto.residual ? &onto : NULL,
                                        ahead + done * 64, lines);
                    done += lines;
                }
            }
        }
    }
}
#else
int kernel_gemm_available(void) { return 0; }

size_t kernel_gemm_row_tile(void) { return 1; }

void kernel_gemm_packed(const float *a, size_t lda, size_t m, size_t k, const float *packed, size_t n, float *c,
                        size_t ldc, const GemmAddends *addends, size_t first_panel, size_t end_panel) {
    (void)a, (void)lda, (void)m, (void)k, (void)packed, (void)n, (void)c, (void)ldc, (void)addends;
    (void)first_panel, (void)end_panel;
}
#endif
