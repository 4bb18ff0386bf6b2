// Float32 kernels for the policy engine that Swift cannot generate itself on a portable build.
//
// Why a header: the engine is built for baseline x86-64 (SSE2: no FMA, no 256-bit vectors), so that the
// binary runs on any x86-64, and Swift has no per-function target attribute. The decode projections
// (a few rows against a whole weight matrix, once per sampled token) are bound by instruction issue in
// that code. Here the same product is written with AVX2/FMA intrinsics under `target("avx2,fma")`, and the
// caller picks it at run time (`ckernels_avx2_fma_available`). Everything is static inline: no library, no
// link step. On other architectures the functions are stubs that are never called.
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>

#if defined(__x86_64__)
#include <immintrin.h>

// Whether the CPU (and the OS, which must save the 256-bit registers) supports AVX2 and FMA.
static inline int ckernels_avx2_fma_available(void) {
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

// Whether the CPU (and the OS) supports AVX (OpenBLAS's Sandybridge kernels).
static inline int ckernels_avx_available(void) { return __builtin_cpu_supports("avx"); }

// Whether the CPU (and the OS) supports the AVX-512 subsets OpenBLAS's SkylakeX kernels use (F, BW, DQ, VL).
static inline int ckernels_avx512_available(void) {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}

#define CKERNELS_AVX2_FMA __attribute__((target("avx2,fma")))
#define CKERNELS_INLINE static inline __attribute__((always_inline))

// Lanes 0..<remaining set (remaining in 1...7): loads past the end of a row read nothing.
CKERNELS_AVX2_FMA CKERNELS_INLINE __m256i ckernels_tail_mask(ptrdiff_t remaining) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)remaining), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// The lane sums of a, b, c, d as one vector [Σa, Σb, Σc, Σd].
CKERNELS_AVX2_FMA CKERNELS_INLINE __m128 ckernels_sum4(__m256 a, __m256 b, __m256 c, __m256 d) {
    const __m256 abcd = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
    return _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1));
}

// One step of a register block: eight lanes at offset i of weight rows 0..<C and input rows 0..<R, loaded
// with LOAD (plain, or masked for the tail); rows and columns past R and C cost nothing (constants).
#define CKERNELS_DECODE_ROW(r, LOAD)                                                                          \
    do {                                                                                                      \
        const __m256 xv = LOAD(x + (r) * k + i);                                                              \
        a##r##0 = _mm256_fmadd_ps(xv, w0, a##r##0);                                                           \
        if (C > 1) a##r##1 = _mm256_fmadd_ps(xv, w1, a##r##1);                                                \
        if (C > 2) a##r##2 = _mm256_fmadd_ps(xv, w2, a##r##2);                                                \
    } while (0)
#define CKERNELS_DECODE_STEP(LOAD)                                                                            \
    do {                                                                                                      \
        const __m256 w0 = LOAD(w + i);                                                                        \
        const __m256 w1 = C > 1 ? LOAD(w + k + i) : zero;                                                     \
        const __m256 w2 = C > 2 ? LOAD(w + 2 * k + i) : zero;                                                 \
        CKERNELS_DECODE_ROW(0, LOAD);                                                                         \
        if (R > 1) CKERNELS_DECODE_ROW(1, LOAD);                                                              \
        if (R > 2) CKERNELS_DECODE_ROW(2, LOAD);                                                              \
        if (R > 3) CKERNELS_DECODE_ROW(3, LOAD);                                                              \
    } while (0)
#define CKERNELS_LOAD(p) _mm256_loadu_ps(p)
#define CKERNELS_MASKED_LOAD(p) _mm256_maskload_ps((p), mask)

// out[0..<C] = sums[0..<C] + bias[0..<C] (bias may be NULL), or added to out when accumulate.
CKERNELS_AVX2_FMA CKERNELS_INLINE void ckernels_decode_store(float *out, __m128 sums, const float *bias,
                                                             int accumulate, const int C) {
    float values[4];
    _mm_storeu_ps(values, sums);
    for (int c = 0; c < C; c++) {
        const float value = values[c] + (bias ? bias[c] : 0.0f);
        out[c] = accumulate ? out[c] + value : value;
    }
}

// One register block: input rows x[0..<R] (stride k) against weight rows w[0..<C] (stride k), R ≤ 4, C ≤ 3:
// 12 accumulators, 3 weight vectors and 1 input vector fill the 16 ymm registers. Writes
// out[r * n + c] = Σ x[r]·w[c] + bias[c] (added to out[r * n + c] when accumulate). R and C are constants
// at every call site, and the code is written out (named accumulators, no arrays or loops over R and C):
// Swift's optimiser, which compiles this header, neither unrolls such loops nor keeps such arrays in registers.
//
// Meanwhile it prefetches the next weight rows, the two cache lines at *prefetch each step (advancing *prefetch
// by stride floats) up to prefetch_end: without that, memory is busy only while the first block of
// rows reads a block of weights and idle while the other row blocks reuse it from L1, and the kernel waits on
// memory (24–30 instead of 33–37 GFLOP/s per core on the SMALL shapes with 16 rows).
CKERNELS_AVX2_FMA CKERNELS_INLINE void ckernels_decode_block(float *out, const float *x, const float *w,
                                                             const float *bias, ptrdiff_t k, ptrdiff_t n,
                                                             int accumulate, const int R, const int C,
                                                             const float **prefetch, const float *prefetch_end,
                                                             ptrdiff_t stride) {
    const __m256 zero = _mm256_setzero_ps();
    __m256 a00 = zero, a01 = zero, a02 = zero, a10 = zero, a11 = zero, a12 = zero;
    __m256 a20 = zero, a21 = zero, a22 = zero, a30 = zero, a31 = zero, a32 = zero;
    const float *next = *prefetch;
    ptrdiff_t i = 0;
    for (; i + 8 <= k; i += 8) {
        if (next < prefetch_end) {
            _mm_prefetch((const char *)next, _MM_HINT_T0);
            _mm_prefetch((const char *)(next + 16), _MM_HINT_T0);
            next += stride;
        }
        CKERNELS_DECODE_STEP(CKERNELS_LOAD);
    }
    *prefetch = next;
    if (i < k) {
        const __m256i mask = ckernels_tail_mask(k - i);
        CKERNELS_DECODE_STEP(CKERNELS_MASKED_LOAD);
    }
    ckernels_decode_store(out, ckernels_sum4(a00, a01, a02, zero), bias, accumulate, C);
    if (R > 1) ckernels_decode_store(out + n, ckernels_sum4(a10, a11, a12, zero), bias, accumulate, C);
    if (R > 2) ckernels_decode_store(out + 2 * n, ckernels_sum4(a20, a21, a22, zero), bias, accumulate, C);
    if (R > 3) ckernels_decode_store(out + 3 * n, ckernels_sum4(a30, a31, a32, zero), bias, accumulate, C);
}

// The twelve shapes of block, each its own function: inlined into one loop nest, the blocks' pointers and the
// loops' state outgrow the 16 general registers and the inner loop reloads its pointers from the stack.
#define CKERNELS_DECODE_BLOCK_SHAPE(R, C)                                                                     \
    CKERNELS_AVX2_FMA __attribute__((noinline)) static void ckernels_decode_block_##R##x##C(                 \
        float *out, const float *x, const float *w, const float *bias, ptrdiff_t k, ptrdiff_t n, int accumulate, \
        const float **prefetch, const float *prefetch_end, ptrdiff_t stride) {                                \
        ckernels_decode_block(out, x, w, bias, k, n, accumulate, R, C, prefetch, prefetch_end, stride);       \
    }
CKERNELS_DECODE_BLOCK_SHAPE(1, 1)
CKERNELS_DECODE_BLOCK_SHAPE(1, 2)
CKERNELS_DECODE_BLOCK_SHAPE(1, 3)
CKERNELS_DECODE_BLOCK_SHAPE(2, 1)
CKERNELS_DECODE_BLOCK_SHAPE(2, 2)
CKERNELS_DECODE_BLOCK_SHAPE(2, 3)
CKERNELS_DECODE_BLOCK_SHAPE(3, 1)
CKERNELS_DECODE_BLOCK_SHAPE(3, 2)
CKERNELS_DECODE_BLOCK_SHAPE(3, 3)
CKERNELS_DECODE_BLOCK_SHAPE(4, 1)
CKERNELS_DECODE_BLOCK_SHAPE(4, 2)
CKERNELS_DECODE_BLOCK_SHAPE(4, 3)

// The block of R rows × C columns (R, C constants at every call site, so the switch folds away).
CKERNELS_AVX2_FMA CKERNELS_INLINE void ckernels_decode_block_shape(float *out, const float *x, const float *w,
                                                                   const float *bias, ptrdiff_t k, ptrdiff_t n,
                                                                   int accumulate, const int R, const int C,
                                                                   const float **prefetch,
                                                                   const float *prefetch_end, ptrdiff_t stride) {
#define CKERNELS_CASE(R, C)                                                                                   \
    case R * 4 + C:                                                                                           \
        ckernels_decode_block_##R##x##C(out, x, w, bias, k, n, accumulate, prefetch, prefetch_end, stride);   \
        break
    switch (R * 4 + C) {
    CKERNELS_CASE(1, 1); CKERNELS_CASE(1, 2); CKERNELS_CASE(1, 3);
    CKERNELS_CASE(2, 1); CKERNELS_CASE(2, 2); CKERNELS_CASE(2, 3);
    CKERNELS_CASE(3, 1); CKERNELS_CASE(3, 2); CKERNELS_CASE(3, 3);
    CKERNELS_CASE(4, 1); CKERNELS_CASE(4, 2); CKERNELS_CASE(4, 3);
    default: break;
    }
#undef CKERNELS_CASE
}

#undef CKERNELS_DECODE_BLOCK_SHAPE
#undef CKERNELS_DECODE_ROW
#undef CKERNELS_DECODE_STEP
#undef CKERNELS_LOAD
#undef CKERNELS_MASKED_LOAD

// Weight rows w[0..<C] against every input row, four rows at a time, prefetching the C weight rows after
// them (those before weight_end), spread over the row blocks: advancing half a cache line per step with more
// than 8 rows, one line with 5–8, two with 1–4 (so that they arrive in time even for a single row block).
CKERNELS_AVX2_FMA CKERNELS_INLINE void ckernels_decode_column_block(float *out, const float *input, const float *w,
                                                                    const float *bias, ptrdiff_t rows, ptrdiff_t k,
                                                                    ptrdiff_t n, int accumulate, const int C,
                                                                    const float *weight_end) {
    const float *next = w + C * k;
    const float *next_end = next + (weight_end - next < C * k ? weight_end - next : C * k);
    const ptrdiff_t stride = rows > 8 ? 8 : rows > 4 ? 16 : 32;
    ptrdiff_t b = 0;
    for (; b + 4 <= rows; b += 4) {
        float *o = out + b * n;
        const float *x = input + b * k;
        ckernels_decode_block_shape(o, x, w, bias, k, n, accumulate, 4, C, &next, next_end, stride);
    }
    float *o = out + b * n;
    const float *x = input + b * k;
    switch (rows - b) {
    case 3: ckernels_decode_block_shape(o, x, w, bias, k, n, accumulate, 3, C, &next, next_end, stride); break;
    case 2: ckernels_decode_block_shape(o, x, w, bias, k, n, accumulate, 2, C, &next, next_end, stride); break;
    case 1: ckernels_decode_block_shape(o, x, w, bias, k, n, accumulate, 1, C, &next, next_end, stride); break;
    default: break;
    }
}

// The decode projection for output columns first..<last: out[r, j] = Σ_i input[r, i]·weight[j, i] + bias[j]
// (added to out[r, j] when accumulate != 0) for r in 0..<rows. input [rows, k] (stride k), weight [n, k]
// (stride k), out [rows, n] (stride n), bias [n] or NULL. Each weight row is read from memory once per
// call: three at a time, reused from L1 by every block of four input rows.
CKERNELS_AVX2_FMA static inline void ckernels_decode_columns_avx2_fma(float *out, const float *input,
                                                                      const float *weight, const float *bias,
                                                                      ptrdiff_t rows, ptrdiff_t k, ptrdiff_t n,
                                                                      ptrdiff_t first, ptrdiff_t last,
                                                                      int accumulate) {
    const float *end = weight + last * k;
    ptrdiff_t j = first;
    for (; j + 3 <= last; j += 3)
        ckernels_decode_column_block(out + j, input, weight + j * k, bias ? bias + j : NULL, rows, k, n, accumulate,
                                     3, end);
    const float *b = bias ? bias + j : NULL;
    if (last - j == 2)
        ckernels_decode_column_block(out + j, input, weight + j * k, b, rows, k, n, accumulate, 2, end);
    else if (last - j == 1)
        ckernels_decode_column_block(out + j, input, weight + j * k, b, rows, k, n, accumulate, 1, end);
}

#undef CKERNELS_AVX2_FMA
#undef CKERNELS_INLINE
#else
static inline int ckernels_avx2_fma_available(void) { return 0; }
static inline int ckernels_avx512_available(void) { return 0; }
static inline int ckernels_avx_available(void) { return 0; }
static inline void ckernels_decode_columns_avx2_fma(float *out, const float *input, const float *weight,
                                                    const float *bias, ptrdiff_t rows, ptrdiff_t k, ptrdiff_t n,
                                                    ptrdiff_t first, ptrdiff_t last, int accumulate) {
    // Never called: ckernels_avx2_fma_available() is 0.
    (void)out; (void)input; (void)weight; (void)bias; (void)rows; (void)k; (void)n; (void)first; (void)last;
    (void)accumulate;
}
#endif

#endif
