// Hardware CRC32C (Castagnoli) for grpo-lambda frame checksums.
//
// Why a header: Swift cannot call the SSE4.2 `crc32` instruction itself, and frames of several MiB must be
// checksummed at memory speed. Three independent streams hide the instruction's 3-cycle latency; their CRCs
// are merged with "shift by N zero bytes" tables that the Swift side computes once (CRC32C.swift).
// Everything here is static inline: no library, no link step.
#ifndef CCRC32C_H
#define CCRC32C_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#define CCRC32C_HAS_HARDWARE 1

static inline int ccrc32c_hardware_available(void) {
    return __builtin_cpu_supports("sse4.2");
}

static inline uint64_t ccrc32c_load64(const unsigned char *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

// Multiplies a raw CRC register by x^(8*block) mod P using four 256-entry tables (one per byte).
static inline uint64_t ccrc32c_shift(const uint32_t *table, uint64_t crc) {
    return (uint64_t)(table[crc & 0xff] ^ table[256 + ((crc >> 8) & 0xff)] ^
                      table[512 + ((crc >> 16) & 0xff)] ^ table[768 + ((crc >> 24) & 0xff)]);
}

// Checksums three consecutive `block`-byte blocks as three independent streams (hiding the instruction's
// latency), then merges them: crc(A‖B) = shift(crc(A), |B|) ⊕ crc_from_zero(B).
__attribute__((target("sse4.2")))
static inline uint64_t ccrc32c_three_blocks(uint64_t c0, const unsigned char *p, size_t block, const uint32_t *table) {
    uint64_t c1 = 0, c2 = 0;
    const unsigned char *end = p + block;
    do {
        c0 = __builtin_ia32_crc32di(c0, ccrc32c_load64(p));
        c1 = __builtin_ia32_crc32di(c1, ccrc32c_load64(p + block));
        c2 = __builtin_ia32_crc32di(c2, ccrc32c_load64(p + 2 * block));
        p += 8;
    } while (p < end);
    c0 = ccrc32c_shift(table, c0) ^ c1;
    return ccrc32c_shift(table, c0) ^ c2;
}

// Updates a finished CRC32C value `crc` (0 for a new checksum) with `len` bytes.
// `long_table`/`short_table` shift by `long_block`/`short_block` bytes (multiples of 8).
__attribute__((target("sse4.2")))
static inline uint32_t ccrc32c_update_hardware(uint32_t crc, const void *data, size_t len,
                                               const uint32_t *long_table, size_t long_block,
                                               const uint32_t *short_table, size_t short_block) {
    const unsigned char *p = (const unsigned char *)data;
    uint64_t c0 = (uint32_t)~crc;
    while (len > 0 && ((uintptr_t)p & 7) != 0) {
        c0 = __builtin_ia32_crc32qi((uint32_t)c0, *p++);
        len--;
    }
    for (; len >= 3 * long_block; p += 3 * long_block, len -= 3 * long_block) {
        c0 = ccrc32c_three_blocks(c0, p, long_block, long_table);
    }
    for (; len >= 3 * short_block; p += 3 * short_block, len -= 3 * short_block) {
        c0 = ccrc32c_three_blocks(c0, p, short_block, short_table);
    }
    while (len >= 8) {
        c0 = __builtin_ia32_crc32di(c0, ccrc32c_load64(p));
        p += 8;
        len -= 8;
    }
    while (len > 0) {
        c0 = __builtin_ia32_crc32qi((uint32_t)c0, *p++);
        len--;
    }
    return ~(uint32_t)c0;
}
#else
#define CCRC32C_HAS_HARDWARE 0
static inline int ccrc32c_hardware_available(void) { return 0; }
static inline uint32_t ccrc32c_update_hardware(uint32_t crc, const void *data, size_t len,
                                               const uint32_t *long_table, size_t long_block,
                                               const uint32_t *short_table, size_t short_block) {
    (void)data; (void)len; (void)long_table; (void)long_block; (void)short_table; (void)short_block;
    return crc;  // never called: ccrc32c_hardware_available() is 0
}
#endif

#endif
