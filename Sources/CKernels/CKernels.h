// Float32 kernels for the policy engine that Swift cannot generate itself on a portable build.
//
// Why a header: the engine is built for baseline x86-64 (SSE2: no FMA, no 256-bit vectors), so that the
// binary runs on any x86-64, and Swift has no per-function target attribute. The decode projections
// (a few rows against a whole weight matrix, once per sampled token) are bound by instruction issue in
// that code. Here the same product is written with vector intrinsics under a per-function target, once
// (CKernelsDecode.inc) and instantiated for AVX2/FMA (`ckernels_decode_columns_avx2_fma`) and for AVX-512
// (`ckernels_decode_columns_avx512`); the caller picks one at run time (`ckernels_avx2_fma_available`,
// `ckernels_avx512_available`). Everything is static inline: no library, no link step. On other
// architectures the functions are stubs that are never called.
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

#define CK_NAME_PASTE(x, isa) ckernels_##x##_##isa
#define CK_NAME_EXPAND(x, isa) CK_NAME_PASTE(x, isa)
#define CK_NAME(x) CK_NAME_EXPAND(x, CK_ISA)

// AVX2 + FMA: 8 lanes (Haswell, Zen and later). ckernels_decode_columns_avx2_fma.
#define CK_ISA avx2_fma
#define CK_TARGET __attribute__((target("avx2,fma")))
#define CK_VEC __m256
#define CK_LANES 8
#define CK_ZERO() _mm256_setzero_ps()
#define CK_LOAD(p) _mm256_loadu_ps(p)
#define CK_FMADD(a, b, c) _mm256_fmadd_ps(a, b, c)
#define CK_MASK_T __m256i
#define CK_TAIL_MASK(n) _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7))
#define CK_MASKED_LOAD(p, m) _mm256_maskload_ps((p), (m))
#define CK_SUM4(a, b, c, d) ckernels_sum4_avx2_fma(a, b, c, d)

// The lane sums of a, b, c, d as one vector [Σa, Σb, Σc, Σd].
CK_TARGET static inline __m128 ckernels_sum4_avx2_fma(__m256 a, __m256 b, __m256 c, __m256 d) {
    const __m256 abcd = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
    return _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1));
}
#include "CKernelsDecode.inc"

// AVX-512 (F; the availability check asks for the BW, DQ and VL OpenBLAS's SkylakeX kernels want too): 16
// lanes, masked tails by a k-register (Skylake-X, Ice Lake, Sapphire Rapids, Zen 4 and later).
// ckernels_decode_columns_avx512.
#define CK_ISA avx512
#define CK_TARGET __attribute__((target("avx512f")))
#define CK_VEC __m512
#define CK_LANES 16
#define CK_ZERO() _mm512_setzero_ps()
#define CK_LOAD(p) _mm512_loadu_ps(p)
#define CK_FMADD(a, b, c) _mm512_fmadd_ps(a, b, c)
#define CK_MASK_T __mmask16
#define CK_TAIL_MASK(n) ((__mmask16)((1u << (n)) - 1u))
#define CK_MASKED_LOAD(p, m) _mm512_maskz_loadu_ps((m), (p))
#define CK_SUM4(a, b, c, d) ckernels_sum4_avx512(a, b, c, d)

// The lane sums of a, b, c, d as one vector [Σa, Σb, Σc, Σd]: each folded to 8 lanes, then as with AVX2.
CK_TARGET static inline __m256 ckernels_fold_avx512(__m512 a) {
    return _mm256_add_ps(_mm512_castps512_ps256(a), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a), 1)));
}
CK_TARGET static inline __m128 ckernels_sum4_avx512(__m512 a, __m512 b, __m512 c, __m512 d) {
    const __m256 abcd = _mm256_hadd_ps(_mm256_hadd_ps(ckernels_fold_avx512(a), ckernels_fold_avx512(b)),
                                       _mm256_hadd_ps(ckernels_fold_avx512(c), ckernels_fold_avx512(d)));
    return _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1));
}
#include "CKernelsDecode.inc"
#undef CK_NAME
#undef CK_NAME_EXPAND
#undef CK_NAME_PASTE

// A hint to the core that the thread is spinning on a flag (the engine's fork-join helpers): it saves power and
// lets the sibling hyper-thread run.
static inline void ckernels_spin_pause(void) { _mm_pause(); }

#else
static inline void ckernels_spin_pause(void) {}
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
static inline void ckernels_decode_columns_avx512(float *out, const float *input, const float *weight,
                                                  const float *bias, ptrdiff_t rows, ptrdiff_t k, ptrdiff_t n,
                                                  ptrdiff_t first, ptrdiff_t last, int accumulate) {
    // Never called: ckernels_avx512_available() is 0.
    ckernels_decode_columns_avx2_fma(out, input, weight, bias, rows, k, n, first, last, accumulate);
}
#endif

#endif
