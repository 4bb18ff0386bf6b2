// Hardware CRC32C (Castagnoli) for grpo-lambda frame checksums.
//
// Why a header: Swift cannot call the SSE4.2 `crc32` or the PCLMULQDQ carry-less multiply itself, and frames
// of several MiB must be checksummed at memory speed. Large inputs are folded 64 bytes at a time with
// carry-less multiplies (the method of Intel's "Fast CRC Computation Using PCLMULQDQ"; the `crc32` instruction
// alone is latency- or throughput-bound at ~5 GB/s on some CPUs, e.g. AMD Zen 1), and the folded remainder and
// short inputs go through the `crc32` instruction. Everything here is static inline: no library, no link step.
#ifndef CCRC32C_H
#define CCRC32C_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

static inline int ccrc32c_hardware_available(void) {
    return __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("pclmul");
}

static inline uint64_t ccrc32c_load64(const unsigned char *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

// Folds a 128-bit lane forward: lo·k_lo ⊕ hi·k_hi, where the constants are x^(D±32) mod P for a distance of
// D bits, bit-reflected and shifted left by one (the reflected-CRC convention).
__attribute__((target("sse4.2,pclmul")))
static inline __m128i ccrc32c_fold(__m128i lane, __m128i constants) {
    return _mm_xor_si128(_mm_clmulepi64_si128(lane, constants, 0x00), _mm_clmulepi64_si128(lane, constants, 0x11));
}

// Updates a finished CRC32C value `crc` (0 for a new checksum) with `len` bytes.
__attribute__((target("sse4.2,pclmul")))
static inline uint32_t ccrc32c_update_hardware(uint32_t crc, const void *data, size_t len) {
    const unsigned char *p = (const unsigned char *)data;
    uint64_t c = (uint32_t)~crc;
    if (len >= 128) {
        // Constants for CRC32C: distance 512 bits (four lanes) and 128 bits (one lane).
        const __m128i four = _mm_set_epi64x(0x9e4addf8, 0x740eef02);
        const __m128i one = _mm_set_epi64x(0x14cd00bd6, 0xf20c0dfe);
        __m128i x0 = _mm_loadu_si128((const __m128i *)(p + 0));
        __m128i x1 = _mm_loadu_si128((const __m128i *)(p + 16));
        __m128i x2 = _mm_loadu_si128((const __m128i *)(p + 32));
        __m128i x3 = _mm_loadu_si128((const __m128i *)(p + 48));
        x0 = _mm_xor_si128(x0, _mm_cvtsi32_si128((int)(uint32_t)c));  // the running CRC enters the first bytes
        p += 64;
        len -= 64;
        while (len >= 64) {
            x0 = _mm_xor_si128(ccrc32c_fold(x0, four), _mm_loadu_si128((const __m128i *)(p + 0)));
            x1 = _mm_xor_si128(ccrc32c_fold(x1, four), _mm_loadu_si128((const __m128i *)(p + 16)));
            x2 = _mm_xor_si128(ccrc32c_fold(x2, four), _mm_loadu_si128((const __m128i *)(p + 32)));
            x3 = _mm_xor_si128(ccrc32c_fold(x3, four), _mm_loadu_si128((const __m128i *)(p + 48)));
            p += 64;
            len -= 64;
        }
        __m128i x = _mm_xor_si128(ccrc32c_fold(x0, one), x1);
        x = _mm_xor_si128(ccrc32c_fold(x, one), x2);
        x = _mm_xor_si128(ccrc32c_fold(x, one), x3);
        while (len >= 16) {
            x = _mm_xor_si128(ccrc32c_fold(x, one), _mm_loadu_si128((const __m128i *)p));
            p += 16;
            len -= 16;
        }
        // The folded 16 bytes have the same CRC contribution as everything folded into them.
        c = __builtin_ia32_crc32di(0, (uint64_t)_mm_cvtsi128_si64(x));
        c = __builtin_ia32_crc32di(c, (uint64_t)_mm_extract_epi64(x, 1));
    }
    while (len >= 8) {
        c = __builtin_ia32_crc32di(c, ccrc32c_load64(p));
        p += 8;
        len -= 8;
    }
    while (len > 0) {
        c = __builtin_ia32_crc32qi((uint32_t)c, *p++);
        len--;
    }
    return ~(uint32_t)c;
}
#else
static inline int ccrc32c_hardware_available(void) { return 0; }
static inline uint32_t ccrc32c_update_hardware(uint32_t crc, const void *data, size_t len) {
    (void)data; (void)len;
    return crc;  // never called: ccrc32c_hardware_available() is 0
}
#endif

#endif
