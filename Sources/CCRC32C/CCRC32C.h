// Hardware CRC32C (Castagnoli) for grpo-lambda frame checksums.
//
// Why a header: Swift cannot call the SSE4.2 `crc32` or the PCLMULQDQ carry-less multiply itself, and frames
// of several MiB must be checksummed at memory speed. Large inputs are folded 64 bytes at a time with
// carry-less multiplies (the method of Intel's "Fast CRC Computation Using PCLMULQDQ"; the `crc32` instruction
// alone is latency- or throughput-bound at ~5 GB/s on some CPUs, e.g. AMD Zen 1), and the folded remainder and
// short inputs go through the `crc32` instruction; inputs of about 6 KiB and more keep both units busy at once
// (part of each block folded, the rest in three `crc32` streams, in the proportion `ccrc32c_split` gives). Where
// the CPU has VPCLMULQDQ with AVX-512, 256 bytes are folded per step in 512-bit registers; where it has VPCLMULQDQ
// with AVX2 only, 128 bytes per step in 256-bit registers, again beside three `crc32` streams. Everything here is
// static inline: no library, no link step.
#ifndef CCRC32C_H
#define CCRC32C_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

// How a block of the hybrid loops is split: its first `fold_bytes` folded by carry-less multiplies, then three
// streams of `stream_bytes` through the `crc32` instruction, and the shifts that join the four parts (x^(8n−33)
// mod P, bit-reflected, for n = one, two and three streams' bytes). Which split keeps both units busy depends on
// the CPU — on Zen 5 the fold takes a quarter of the block best, where both units run at the same rate half, where
// `crc32` is slow (Zen 1) more — so CRC32C.swift times a few splits once and keeps the fastest. `fold_bytes` is a
// multiple of 128 and at least 256; `stream_bytes` a multiple of 8 and at least 8.
typedef struct {
    uint32_t fold_bytes, stream_bytes;
    uint32_t shift_one, shift_two, shift_three;
} ccrc32c_split;

// x^n mod P, bit-reflected (x^0 is the top bit; multiplying by x shifts right and reduces).
static inline uint32_t ccrc32c_x_power(size_t n) {
    uint32_t r = 0x80000000u;
    while (n--) r = (r & 1) ? (r >> 1) ^ 0x82F63B78u : r >> 1;
    return r;
}

static inline ccrc32c_split ccrc32c_make_split(uint32_t fold_bytes, uint32_t stream_bytes) {
    const ccrc32c_split split = {fold_bytes, stream_bytes, ccrc32c_x_power(8 * (size_t)stream_bytes - 33),
                                 ccrc32c_x_power(16 * (size_t)stream_bytes - 33),
                                 ccrc32c_x_power(24 * (size_t)stream_bytes - 33)};
    return split;
}

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

// The bytes left after folding: eight at a time, then one at a time, through the `crc32` instruction. `c` is
// the running (inverted) CRC; returns the finished value.
__attribute__((target("sse4.2")))
static inline uint32_t ccrc32c_finish(uint64_t c, const unsigned char *p, size_t len) {
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

// Constants for CRC32C: distance 512 bits (four 128-bit lanes) and 128 bits (one lane).
#define CCRC32C_FOLD_512 _mm_set_epi64x(0x9e4addf8, 0x740eef02)
#define CCRC32C_FOLD_128 _mm_set_epi64x(0x14cd00bd6, 0xf20c0dfe)

// Folds the remaining whole 16-byte blocks into one 128-bit lane and finishes: the folded 16 bytes have the same
// CRC contribution as everything folded into them.
__attribute__((target("sse4.2,pclmul")))
static inline uint32_t ccrc32c_finish_lane(__m128i x, const unsigned char *p, size_t len) {
    const __m128i one = CCRC32C_FOLD_128;
    while (len >= 16) {
        x = _mm_xor_si128(ccrc32c_fold(x, one), _mm_loadu_si128((const __m128i *)p));
        p += 16;
        len -= 16;
    }
    uint64_t c = __builtin_ia32_crc32di(0, (uint64_t)_mm_cvtsi128_si64(x));
    c = __builtin_ia32_crc32di(c, (uint64_t)_mm_extract_epi64(x, 1));
    return ccrc32c_finish(c, p, len);
}

// Folds four consecutive 128-bit lanes (x0 first) into one, then finishes as above.
__attribute__((target("sse4.2,pclmul")))
static inline uint32_t ccrc32c_finish_lanes(__m128i x0, __m128i x1, __m128i x2, __m128i x3, const unsigned char *p,
                                            size_t len) {
    const __m128i one = CCRC32C_FOLD_128;
    __m128i x = _mm_xor_si128(ccrc32c_fold(x0, one), x1);
    x = _mm_xor_si128(ccrc32c_fold(x, one), x2);
    x = _mm_xor_si128(ccrc32c_fold(x, one), x3);
    return ccrc32c_finish_lane(x, p, len);
}

// One step of the four-lane fold: each lane moved forward 512 bits and the next 64 bytes at `q` added in.
__attribute__((target("sse4.2,pclmul")))
static inline void ccrc32c_fold_step(__m128i *x0, __m128i *x1, __m128i *x2, __m128i *x3, const unsigned char *q,
                                     __m128i four) {
    *x0 = _mm_xor_si128(ccrc32c_fold(*x0, four), _mm_loadu_si128((const __m128i *)(q + 0)));
    *x1 = _mm_xor_si128(ccrc32c_fold(*x1, four), _mm_loadu_si128((const __m128i *)(q + 16)));
    *x2 = _mm_xor_si128(ccrc32c_fold(*x2, four), _mm_loadu_si128((const __m128i *)(q + 32)));
    *x3 = _mm_xor_si128(ccrc32c_fold(*x3, four), _mm_loadu_si128((const __m128i *)(q + 48)));
}

// The four lanes' first 64 bytes at `p`, with the register state `state` (the running CRC, inverted) entering the
// first bytes.
__attribute__((target("sse4.2,pclmul")))
static inline void ccrc32c_fold_start(__m128i *x0, __m128i *x1, __m128i *x2, __m128i *x3, const unsigned char *p,
                                      uint32_t state) {
    *x0 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(p + 0)), _mm_cvtsi32_si128((int)state));
    *x1 = _mm_loadu_si128((const __m128i *)(p + 16));
    *x2 = _mm_loadu_si128((const __m128i *)(p + 32));
    *x3 = _mm_loadu_si128((const __m128i *)(p + 48));
}

// Updates a finished CRC32C value `crc` (0 for a new checksum) with `len` bytes by the 128-bit fold alone.
__attribute__((target("sse4.2,pclmul")))
static inline uint32_t ccrc32c_update_fold128(uint32_t crc, const void *data, size_t len) {
    const unsigned char *p = (const unsigned char *)data;
    const uint64_t c = (uint32_t)~crc;
    if (len < 128) return ccrc32c_finish(c, p, len);
    const __m128i four = CCRC32C_FOLD_512;
    __m128i x0, x1, x2, x3;
    ccrc32c_fold_start(&x0, &x1, &x2, &x3, p, ~crc);
    p += 64;
    len -= 64;
    while (len >= 64) {
        ccrc32c_fold_step(&x0, &x1, &x2, &x3, p, four);
        p += 64;
        len -= 64;
    }
    return ccrc32c_finish_lanes(x0, x1, x2, x3, p, len);
}

// The register state `s` moved forward over `n` zero bytes (s · x^(8n) mod P): one carry-less multiply by
// k = x^(8n−33) mod P (bit-reflected; `ccrc32c_split` holds the ones a block needs), reduced by `crc32`.
__attribute__((target("sse4.2,pclmul")))
static inline uint32_t ccrc32c_shift(uint32_t s, uint32_t k) {
    const __m128i product = _mm_clmulepi64_si128(_mm_cvtsi32_si128((int)s), _mm_cvtsi32_si128((int)k), 0x00);
    return (uint32_t)__builtin_ia32_crc32di(0, (uint64_t)_mm_cvtsi128_si64(product));
}

// The three `crc32` streams of a block (`n` bytes each from `s`, after the folded part), 8-byte words
// `word..<end` of each. Unrolled explicitly: the trip count is only known at run time, and imported C compiled
// for size kept the loop rolled (10% slower on the 256-bit path).
__attribute__((target("sse4.2")))
static inline void ccrc32c_streams(uint64_t *c0, uint64_t *c1, uint64_t *c2, const unsigned char *s, size_t n,
                                   size_t word, size_t end) {
    const unsigned char *s1 = s + n, *s2 = s1 + n;
#pragma clang loop unroll_count(6)
    for (; word < end; word += 8) {
        *c0 = __builtin_ia32_crc32di(*c0, ccrc32c_load64(s + word));
        *c1 = __builtin_ia32_crc32di(*c1, ccrc32c_load64(s1 + word));
        *c2 = __builtin_ia32_crc32di(*c2, ccrc32c_load64(s2 + word));
    }
}

// The streams moved on by up to `bytes` bytes each from `word` (beside one fold step); returns where they stopped.
__attribute__((target("sse4.2")))
static inline size_t ccrc32c_streams_advance(uint64_t *c0, uint64_t *c1, uint64_t *c2, const unsigned char *s,
                                             size_t n, size_t word, size_t bytes) {
    const size_t end = word + bytes < n ? word + bytes : n;
    ccrc32c_streams(c0, c1, c2, s, n, word, end);
    return end;
}

// The register state after a whole block: each part's state shifted over the bytes after it, combined.
__attribute__((target("sse4.2,pclmul")))
static inline uint32_t ccrc32c_join_block(uint32_t folded, uint64_t c0, uint64_t c1, uint64_t c2, ccrc32c_split split) {
    return ccrc32c_shift(folded, split.shift_three) ^ ccrc32c_shift((uint32_t)c0, split.shift_two) ^
           ccrc32c_shift((uint32_t)c1, split.shift_one) ^ (uint32_t)c2;
}

// Stream bytes to take beside each of a block's `fold_steps` fold steps (after the first load) so that the
// streams end with the fold.
static inline size_t ccrc32c_stream_bytes_per_step(ccrc32c_split split, size_t fold_steps) {
    return (split.stream_bytes / 8 + fold_steps - 1) / fold_steps * 8;
}

// Updates a finished CRC32C value `crc` with `len` bytes, a block of `split` at a time with both of the core's CRC
// units busy: the block's first `fold_bytes` folded by carry-less multiplies, the rest as three streams of the
// `crc32` instruction, interleaved in one loop; the four partial states are then joined by shifting each over the
// bytes after it. Either unit alone is the bound on CPUs without VPCLMULQDQ (on Zen 5: 17 GB/s folding, 33 GB/s
// for three `crc32` streams, 43 GB/s for both with a quarter of each block folded); the rest of the input takes
// the fold alone.
__attribute__((target("sse4.2,pclmul")))
static inline uint32_t ccrc32c_update_hardware(uint32_t crc, const void *data, size_t len, ccrc32c_split split) {
    const unsigned char *p = (const unsigned char *)data;
    uint32_t state = ~crc;
    const __m128i four = CCRC32C_FOLD_512;
    const size_t block = split.fold_bytes + 3 * (size_t)split.stream_bytes, steps = split.fold_bytes / 64;
    const size_t per_step = ccrc32c_stream_bytes_per_step(split, steps - 1);
    while (len >= block) {
        __m128i x0, x1, x2, x3;
        ccrc32c_fold_start(&x0, &x1, &x2, &x3, p, state);
        uint64_t c0 = 0, c1 = 0, c2 = 0;
        const unsigned char *streams = p + split.fold_bytes;
        size_t word = 0;
        for (size_t step = 1; step < steps; step++) {
            ccrc32c_fold_step(&x0, &x1, &x2, &x3, p + 64 * step, four);
            word = ccrc32c_streams_advance(&c0, &c1, &c2, streams, split.stream_bytes, word, per_step);
        }
        ccrc32c_streams(&c0, &c1, &c2, streams, split.stream_bytes, word, split.stream_bytes);
        state = ccrc32c_join_block(~ccrc32c_finish_lanes(x0, x1, x2, x3, p, 0), c0, c1, c2, split);
        p += block;
        len -= block;
    }
    return ccrc32c_update_fold128(~state, p, len);
}

// Whether the CPU (and the OS) runs the 512-bit carry-less multiply (VPCLMULQDQ with AVX-512 F: Ice Lake,
// Sapphire Rapids, Zen 4 and later).
static inline int ccrc32c_vpclmul_available(void) {
    return ccrc32c_hardware_available() && __builtin_cpu_supports("vpclmulqdq") && __builtin_cpu_supports("avx512f");
}

#define CCRC32C_VPCLMUL __attribute__((target("sse4.2,pclmul,avx512f,vpclmulqdq")))

// Four 128-bit lanes at once: lo·k_lo ⊕ hi·k_hi ⊕ next (one three-way XOR).
CCRC32C_VPCLMUL static inline __m512i ccrc32c_fold512(__m512i lanes, __m512i constants, __m512i next) {
    return _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(lanes, constants, 0x00),
                                     _mm512_clmulepi64_epi128(lanes, constants, 0x11), next, 0x96);
}

// The 64 bytes at `p + offset`, also stored at `d + offset` when `d` is not NULL (checksumming while copying).
CCRC32C_VPCLMUL static inline __m512i ccrc32c_take512(const unsigned char *p, unsigned char *d, size_t offset) {
    const __m512i v = _mm512_loadu_si512((const void *)(p + offset));
    if (d) _mm512_storeu_si512((void *)(d + offset), v);
    return v;
}

// The same CRC, 256 bytes a step in four 512-bit accumulators (sixteen 128-bit lanes): folded four by four into
// one 512-bit accumulator, then into one 128-bit lane and finished as above. Short inputs take the 128-bit path.
// With a destination, the bytes are also copied there in the same pass (each is loaded once, for both). The other
// paths are copied and checksummed piece by piece (CRC32C.copyUpdating): one loop for both slowed their plain
// checksum more than it sped up their copies.
CCRC32C_VPCLMUL static inline uint32_t ccrc32c_copy_update_vpclmul(uint32_t crc, void *destination, const void *data,
                                                                   size_t len) {
    if (len < 512) {
        if (destination) memcpy(destination, data, len);
        return ccrc32c_update_fold128(crc, data, len);
    }
    const unsigned char *p = (const unsigned char *)data;
    unsigned char *d = (unsigned char *)destination;
    // Distance 2048 bits (x^2080 and x^2016 mod P, reflected and shifted as above) and 512 bits.
    const __m512i by2048 = _mm512_broadcast_i32x4(_mm_set_epi64x(0xb9e02b86, 0xdcb17aa4));
    const __m512i by512 = _mm512_broadcast_i32x4(CCRC32C_FOLD_512);
    __m512i z0 = ccrc32c_take512(p, d, 0);
    __m512i z1 = ccrc32c_take512(p, d, 64);
    __m512i z2 = ccrc32c_take512(p, d, 128);
    __m512i z3 = ccrc32c_take512(p, d, 192);
    z0 = _mm512_xor_si512(z0, _mm512_zextsi128_si512(_mm_cvtsi32_si128((int)~crc)));
    for (p += 256, d = d ? d + 256 : d, len -= 256; len >= 256; p += 256, d = d ? d + 256 : d, len -= 256) {
        z0 = ccrc32c_fold512(z0, by2048, ccrc32c_take512(p, d, 0));
        z1 = ccrc32c_fold512(z1, by2048, ccrc32c_take512(p, d, 64));
        z2 = ccrc32c_fold512(z2, by2048, ccrc32c_take512(p, d, 128));
        z3 = ccrc32c_fold512(z3, by2048, ccrc32c_take512(p, d, 192));
    }
    __m512i z = ccrc32c_fold512(z0, by512, z1);
    z = ccrc32c_fold512(z, by512, z2);
    z = ccrc32c_fold512(z, by512, z3);
    for (; len >= 64; p += 64, d = d ? d + 64 : d, len -= 64) z = ccrc32c_fold512(z, by512, ccrc32c_take512(p, d, 0));
    if (d) memcpy(d, p, len);
    return ccrc32c_finish_lanes(_mm512_extracti32x4_epi32(z, 0), _mm512_extracti32x4_epi32(z, 1),
                                _mm512_extracti32x4_epi32(z, 2), _mm512_extracti32x4_epi32(z, 3), p, len);
}

CCRC32C_VPCLMUL static inline uint32_t ccrc32c_update_vpclmul(uint32_t crc, const void *data, size_t len) {
    return ccrc32c_copy_update_vpclmul(crc, NULL, data, len);
}
#undef CCRC32C_VPCLMUL

// Whether the CPU runs the 256-bit carry-less multiply with AVX2 (VEX-encoded VPCLMULQDQ: AMD Zen 3, Intel Alder
// Lake and later client cores — CPUs with the instruction but without AVX-512).
static inline int ccrc32c_vpclmul256_available(void) {
    return ccrc32c_hardware_available() && __builtin_cpu_supports("vpclmulqdq") && __builtin_cpu_supports("avx2");
}

#define CCRC32C_VPCLMUL256 __attribute__((target("sse4.2,pclmul,avx2,vpclmulqdq")))

// Two 128-bit lanes at once: lo·k_lo ⊕ hi·k_hi ⊕ next.
CCRC32C_VPCLMUL256 static inline __m256i ccrc32c_fold256(__m256i lanes, __m256i constants, __m256i next) {
    return _mm256_xor_si256(_mm256_xor_si256(_mm256_clmulepi64_epi128(lanes, constants, 0x00),
                                             _mm256_clmulepi64_epi128(lanes, constants, 0x11)), next);
}

// Four 256-bit accumulators (eight 128-bit lanes, y0 first) folded into one 128-bit lane.
CCRC32C_VPCLMUL256 static inline __m128i ccrc32c_join256(__m256i y0, __m256i y1, __m256i y2, __m256i y3) {
    const __m256i by256 = _mm256_broadcastsi128_si256(_mm_set_epi64x(0xba4fc28e, 0x1384aa63a));  // x^224, x^288
    __m256i y = ccrc32c_fold256(y0, by256, y1);
    y = ccrc32c_fold256(y, by256, y2);
    y = ccrc32c_fold256(y, by256, y3);
    return _mm_xor_si128(ccrc32c_fold(_mm256_castsi256_si128(y), CCRC32C_FOLD_128), _mm256_extracti128_si256(y, 1));
}

// Distance 1024 bits (x^1056 and x^992 mod P, reflected and shifted as above): one step of four accumulators.
#define CCRC32C_FOLD_1024 _mm256_broadcastsi128_si256(_mm_set_epi64x(0x0d3b6092, 0x6992cea2))

// One step of the four-accumulator fold: each moved forward 1024 bits and the next 128 bytes at `q` added in.
CCRC32C_VPCLMUL256 static inline void ccrc32c_fold256_step(__m256i *y0, __m256i *y1, __m256i *y2, __m256i *y3,
                                                           const unsigned char *q, __m256i by1024) {
    *y0 = ccrc32c_fold256(*y0, by1024, _mm256_loadu_si256((const __m256i *)(q + 0)));
    *y1 = ccrc32c_fold256(*y1, by1024, _mm256_loadu_si256((const __m256i *)(q + 32)));
    *y2 = ccrc32c_fold256(*y2, by1024, _mm256_loadu_si256((const __m256i *)(q + 64)));
    *y3 = ccrc32c_fold256(*y3, by1024, _mm256_loadu_si256((const __m256i *)(q + 96)));
}

// The four accumulators' first 128 bytes at `p`, with the register state `state` entering the first bytes.
CCRC32C_VPCLMUL256 static inline void ccrc32c_fold256_start(__m256i *y0, __m256i *y1, __m256i *y2, __m256i *y3,
                                                            const unsigned char *p, uint32_t state) {
    *y0 = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)p),
                           _mm256_zextsi128_si256(_mm_cvtsi32_si128((int)state)));
    *y1 = _mm256_loadu_si256((const __m256i *)(p + 32));
    *y2 = _mm256_loadu_si256((const __m256i *)(p + 64));
    *y3 = _mm256_loadu_si256((const __m256i *)(p + 96));
}

// The same CRC, 128 bytes a step in four 256-bit accumulators, by the fold alone. Short inputs take the
// 128-bit path.
CCRC32C_VPCLMUL256 static inline uint32_t ccrc32c_update_fold256(uint32_t crc, const void *data, size_t len) {
    if (len < 256) return ccrc32c_update_fold128(crc, data, len);
    const unsigned char *p = (const unsigned char *)data;
    const __m256i by1024 = CCRC32C_FOLD_1024;
    __m256i y0, y1, y2, y3;
    ccrc32c_fold256_start(&y0, &y1, &y2, &y3, p, ~crc);
    for (p += 128, len -= 128; len >= 128; p += 128, len -= 128) ccrc32c_fold256_step(&y0, &y1, &y2, &y3, p, by1024);
    return ccrc32c_finish_lane(ccrc32c_join256(y0, y1, y2, y3), p, len);
}

// As `ccrc32c_update_hardware`, with the folded part of each block folded 128 bytes a step in 256-bit registers
// beside the three `crc32` streams (on Zen 5 each unit alone runs at ~33 GB/s, and the timing picks half).
CCRC32C_VPCLMUL256 static inline uint32_t ccrc32c_update_vpclmul256(uint32_t crc, const void *data, size_t len,
                                                                    ccrc32c_split split) {
    const unsigned char *p = (const unsigned char *)data;
    uint32_t state = ~crc;
    const __m256i by1024 = CCRC32C_FOLD_1024;
    const size_t block = split.fold_bytes + 3 * (size_t)split.stream_bytes, steps = split.fold_bytes / 128;
    const size_t per_step = ccrc32c_stream_bytes_per_step(split, steps - 1);
    while (len >= block) {
        __m256i y0, y1, y2, y3;
        ccrc32c_fold256_start(&y0, &y1, &y2, &y3, p, state);
        uint64_t c0 = 0, c1 = 0, c2 = 0;
        const unsigned char *streams = p + split.fold_bytes;
        size_t word = 0;
        for (size_t step = 1; step < steps; step++) {
            ccrc32c_fold256_step(&y0, &y1, &y2, &y3, p + 128 * step, by1024);
            word = ccrc32c_streams_advance(&c0, &c1, &c2, streams, split.stream_bytes, word, per_step);
        }
        ccrc32c_streams(&c0, &c1, &c2, streams, split.stream_bytes, word, split.stream_bytes);
        state = ccrc32c_join_block(~ccrc32c_finish_lane(ccrc32c_join256(y0, y1, y2, y3), p, 0), c0, c1, c2, split);
        p += block;
        len -= block;
    }
    return ccrc32c_update_fold256(~state, p, len);
}
#undef CCRC32C_FOLD_1024
#undef CCRC32C_VPCLMUL256
#undef CCRC32C_FOLD_512
#undef CCRC32C_FOLD_128
#else
static inline int ccrc32c_hardware_available(void) { return 0; }
static inline int ccrc32c_vpclmul_available(void) { return 0; }
static inline int ccrc32c_vpclmul256_available(void) { return 0; }
static inline uint32_t ccrc32c_update_hardware(uint32_t crc, const void *data, size_t len, ccrc32c_split split) {
    (void)data; (void)len; (void)split;
    return crc;  // never called: ccrc32c_hardware_available() is 0
}
static inline uint32_t ccrc32c_update_vpclmul(uint32_t crc, const void *data, size_t len) {
    (void)data; (void)len;
    return crc;  // never called: ccrc32c_vpclmul_available() is 0
}
static inline uint32_t ccrc32c_copy_update_vpclmul(uint32_t crc, void *destination, const void *data, size_t len) {
    (void)destination; (void)data; (void)len;
    return crc;  // never called: ccrc32c_vpclmul_available() is 0
}
static inline uint32_t ccrc32c_update_vpclmul256(uint32_t crc, const void *data, size_t len, ccrc32c_split split) {
    (void)data; (void)len; (void)split;
    return crc;  // never called: ccrc32c_vpclmul256_available() is 0
}
#endif

#endif
