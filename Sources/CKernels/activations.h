// The float32 functions the kernels share, written branch-free so that loops over them vectorise: exp and GELU as
// PyTorch's CPU kernels compute them.
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

// GELU as PyTorch 2.15 computes it on the CPU (`F.gelu` of a contiguous float32 or bfloat16 tensor goes to oneDNN's
// `eltwise_gelu_erf`): erf(x / sqrt(2)) by a degree-5 polynomial in |x| chosen from 24 intervals by the bits of |x|
// (oneDNN's gelu_erf_minimax tables, coefficients by degree), its sign copied from x, then (x * (1 + erf)) * 0.5.
// Bit-exact with torch on all 2^32 float32 inputs; +-inf give NaN and the far negative tail -0, as there.
static const uint32_t gelu_erf_coefficients[6][32] = {  // 25 used, padded for two 16-wide registers
    {0xa6f2cb94, 0x32827792, 0x3381cc0c, 0x34523d4a, 0x351ac44d, 0x35f36d88, 0x36ee8229, 0x37b8a3bb, 0x3867a213,
     0x3940033b, 0x3a2a5a1d, 0x3ae35863, 0x3b7828f2, 0x3c08b14b, 0x3c515ed3, 0xbb503236, 0xbd8d8e5e, 0xbe8abcd9,
     0xbf0c19a2, 0xbeccb328, 0x3e176ced, 0x3f470d99, 0x3f7abb28, 0x3f800000, 0},
    {0x3f4c422a, 0x3f4c421f, 0x3f4c4207, 0x3f4c41cb, 0x3f4c413b, 0x3f4c3fad, 0x3f4c3a2f, 0x3f4c2d40, 0x3f4c146a,
     0x3f4bc341, 0x3f4ad08c, 0x3f48f8cf, 0x3f45fac7, 0x3f404e07, 0x3f3b980f, 0x3f48dff3, 0x3f78b21b, 0x3fbb0704,
     0x40019c32, 0x3fe536d6, 0x3f81331e, 0x3e6c8684, 0x3c98f936, 0, 0x3f800000},
    {0xb62173f4, 0x3735e4cf, 0x37f2ff89, 0x388c23be, 0x3917535c, 0x39ab2ab0, 0x3a60fadb, 0x3af9b960, 0x3b6e5491,
     0x3c0a4ec5, 0x3ca5aa8c, 0x3d2138d9, 0x3d8737d4, 0x3ddfb660, 0x3e0f27ab, 0x3d94004b, 0xbe0efdeb, 0xbf1d96c3,
     0xbf89db58, 0xbf6d9897, 0xbef69fb8, 0xbdc4f8a8, 0xbbde6422, 0, 0},
    {0xbe081a19, 0xbe084570, 0xbe08639b, 0xbe089837, 0xbe08f409, 0xbe09ab95, 0xbe0b66d0, 0xbe0e400a, 0xbe124df8,
     0xbe1bde02, 0xbe2f19c9, 0xbe4931bf, 0xbe685fbc, 0xbe89c95f, 0xbe96cbca, 0xbe8044aa, 0xbe0550f2, 0x3dcfd6a1,
     0x3e94c826, 0x3e79345f, 0x3decec91, 0x3ca46568, 0x3aa1e00a, 0, 0},
    {0xba3d61db, 0x39f097a3, 0x3a5845dc, 0x3ab1fa35, 0x3b0cefb8, 0x3b653ab6, 0x3bcae527, 0x3c221712, 0x3c6c5840,
     0x3cc0a703, 0x3d1dcc19, 0x3d63656d, 0x3d955907, 0x3dbf9910, 0x3dd53f69, 0x3db7dcef, 0x3d639ebe, 0xba6ede48,
     0xbd22be69, 0xbd041cf1, 0xbc64f5ab, 0xbb097a32, 0xb8ebf380, 0, 0},
    {0x3cb7d80c, 0x3c9b6050, 0x3c978d11, 0x3c92e850, 0x3c8d058b, 0x3c848454, 0x3c6cd623, 0x3c4c824b, 0x3c2a7935,
     0x3be0b390, 0x3b0651ac, 0xbb232f53, 0xbbd42fa0, 0xbc2c5366, 0xbc492c9e, 0xbc2a7aa6, 0xbbd55d04, 0xba823a76,
     0x3b102aa8, 0x3ae25a7e, 0x3a31f792, 0x38b84375, 0x3689bb5a, 0, 0}};

static inline float bits_float(uint32_t bits) {
    float value;
    memcpy(&value, &bits, 4);
    return value;
}

static inline float gelu_erf(float x) {
    uint32_t bits;
    memcpy(&bits, &x, 4);
    uint32_t magnitude = bits & 0x7FFFFFFFu;
    float a = bits_float(magnitude);
    int32_t interval = (int32_t)(magnitude + 0xC21FFFFFu) >> 21;
    interval = interval < 1 ? 1 : interval > 24 ? 24 : interval;
    interval = a > bits_float(0x40B15CEE) ? 23 : interval;  // |x| past ~5.54: erf is 1 (a NaN keeps 24)
    float p = bits_float(gelu_erf_coefficients[5][interval]);
    for (int degree = 4; degree >= 0; degree--) p = fmaf(p, a, bits_float(gelu_erf_coefficients[degree][interval]));
    uint32_t erf_bits;
    memcpy(&erf_bits, &p, 4);
    float erf = bits_float(erf_bits ^ (bits & 0x80000000u));
    return (x * (erf + 1.0f)) * 0.5f;
}

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

#define AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl")))

// The coefficients of degree `degree` for each lane's interval: the table's row in two registers, one permute.
AVX512_TARGET static inline __m512 gelu_erf_coefficient(int degree, __m512i interval) {
    const float *row = (const float *)gelu_erf_coefficients[degree];
    return _mm512_permutex2var_ps(_mm512_loadu_ps(row), interval, _mm512_loadu_ps(row + 16));
}

// gelu_erf of sixteen values, as oneDNN's kernel computes them (its table lookups as permutes, not gathers).
AVX512_TARGET static inline __m512 gelu_erf16(__m512 x) {
    __m512i bits = _mm512_castps_si512(x);
    __m512i magnitude = _mm512_and_si512(bits, _mm512_set1_epi32(0x7FFFFFFF));
    __m512 a = _mm512_castsi512_ps(magnitude);
    __m512i interval = _mm512_srai_epi32(_mm512_add_epi32(magnitude, _mm512_set1_epi32((int)0xC21FFFFFu)), 21);
    interval = _mm512_min_epi32(_mm512_max_epi32(interval, _mm512_set1_epi32(1)), _mm512_set1_epi32(24));
    __mmask16 saturated = _mm512_cmp_ps_mask(a, _mm512_set1_ps(bits_float(0x40B15CEE)), _CMP_GT_OQ);
    interval = _mm512_mask_mov_epi32(interval, saturated, _mm512_set1_epi32(23));
    __m512 p = gelu_erf_coefficient(5, interval);
    for (int degree = 4; degree >= 0; degree--) p = _mm512_fmadd_ps(p, a, gelu_erf_coefficient(degree, interval));
    __m512 sign = _mm512_castsi512_ps(_mm512_and_si512(bits, _mm512_set1_epi32((int)0x80000000u)));
    __m512 erf = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(p), _mm512_castps_si512(sign)));
    return _mm512_mul_ps(_mm512_mul_ps(x, _mm512_add_ps(erf, _mm512_set1_ps(1.0f))), _mm512_set1_ps(0.5f));
}

// out[i] = gelu_erf(x[i] (+ bias[i])) for i < n, sixteen at a time, the tail masked; `out` may be `x`.
AVX512_TARGET static inline void gelu_erf_avx512(const float *x, const float *bias, float *out, size_t n) {
    for (size_t i = 0; i < n; i += 16) {
        __mmask16 lanes = n - i >= 16 ? 0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        __m512 v = _mm512_maskz_loadu_ps(lanes, x + i);
        if (bias) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(lanes, bias + i));
        _mm512_mask_storeu_ps(out + i, lanes, gelu_erf16(v));
    }
}

// Whether gelu_erf_avx512 runs here.
static inline int gelu_has_avx512(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
}
#endif

#endif
