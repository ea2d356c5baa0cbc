// float32 values rounded to bfloat16 and float16 as c10 rounds them (to nearest even; a NaN stays a quiet NaN),
// written so that loops over them vectorise.
#ifndef CKERNELS_ROUNDING_H
#define CKERNELS_ROUNDING_H

#include <stdint.h>
#include <string.h>

// The upper half of a float32 rounded to nearest even (c10's round_to_nearest_even); a NaN stays a quiet NaN.
static inline uint16_t bfloat16_bits(float value) {
    uint32_t bits;
    memcpy(&bits, &value, 4);
    if (value != value) return 0x7FC0;
    return (uint16_t)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
}

static inline float bfloat16_value(uint16_t half) {
    uint32_t bits = (uint32_t)half << 16;
    float value;
    memcpy(&value, &bits, 4);
    return value;
}

static inline float float16_value(float value) { return (float)(_Float16)value; }

static inline float bfloat16_rounded(float value) { return bfloat16_value(bfloat16_bits(value)); }

// `value` rounded to bfloat16 (type 1) or float16 (type 2).
static inline float rounded_to_type(float value, int type) {
    return type == 2 ? float16_value(value) : bfloat16_rounded(value);
}

#endif
