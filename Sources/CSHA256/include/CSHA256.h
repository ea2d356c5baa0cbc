// The SHA-256 compression function (FIPS 180-4) over whole 64-byte blocks; Hub's SHA256 does the padding.
#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// Folds `blocks` consecutive 64-byte blocks at `data` into `state` (eight words).
void sha256_compress_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
