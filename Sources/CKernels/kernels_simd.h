/*
 * Internal SIMD helpers and K-quant block kernels shared by kernels_avx2.c and kernels_matmul.c.
 * A K-quant dot product is split into "unpack the weight super-block" and "dot the unpacked block
 * with one activation block", so the multi-row / multi-vector kernels reuse exactly the arithmetic
 * of the single-vector ones (bit-identical results by construction).
 */
#ifndef RAIF_KERNELS_SIMD_H
#define RAIF_KERNELS_SIMD_H

#include "CKernels.h"

#include <immintrin.h>
#include <string.h>

/* ---------------------------------------------------------------- helpers */

static inline float h2f(raif_fp16_t h) { return _cvtsh_ss(h); }
static inline raif_fp16_t f2h(float f) { return (raif_fp16_t)_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT); }

/* Sum of 8 floats: (hi + lo) -> pairwise -> final, the order llama.cpp uses. */
static inline float hsum8(__m256 x) {
    __m128 r = _mm256_extractf128_ps(x, 1);
    r = _mm_add_ps(r, _mm256_castps256_ps128(x));
    r = _mm_add_ps(r, _mm_movehl_ps(r, r));
    r = _mm_add_ss(r, _mm_movehdup_ps(r));
    return _mm_cvtss_f32(r);
}

static inline int hsum_i32_8(__m256i a) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
    s = _mm_add_epi32(s, _mm_unpackhi_epi64(s, s));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtsi128_si32(s);
}

/* 16 bytes of nibbles -> 32 bytes 0..15: low nibbles in bytes 0..15, high nibbles in 16..31. */
static inline __m256i unpack_nibbles(const uint8_t *p) {
    const __m128i t = _mm_loadu_si128((const __m128i *)p);
    const __m256i b = _mm256_set_m128i(_mm_srli_epi16(t, 4), t);
    return _mm256_and_si256(b, _mm256_set1_epi8(0x0f));
}

/* 32 bits -> 32 bytes: 0xff where bit j is set, 0x00 otherwise. */
static inline __m256i spread_bits(const uint8_t *p) {
    uint32_t bits;
    memcpy(&bits, p, 4);
    const __m256i shuffle = _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0);
    __m256i bytes = _mm256_shuffle_epi8(_mm256_set1_epi32((int)bits), shuffle);
    bytes = _mm256_or_si256(bytes, _mm256_set1_epi64x(0x7fbfdfeff7fbfdfe));
    return _mm256_cmpeq_epi8(bytes, _mm256_set1_epi64x(-1));
}

/* unsigned bytes x signed bytes -> 8 float lanes, each the sum of 4 adjacent products. */
static inline __m256 dot_u8_i8(__m256i u, __m256i s) {
    const __m256i p16 = _mm256_maddubs_epi16(u, s);
    return _mm256_cvtepi32_ps(_mm256_madd_epi16(_mm256_set1_epi16(1), p16));
}

/* signed bytes x signed bytes -> 8 float lanes (sign moved onto the second operand). */
static inline __m256 dot_i8_i8(__m256i x, __m256i y) {
    return dot_u8_i8(_mm256_sign_epi8(x, x), _mm256_sign_epi8(y, x));
}

/* Unpack the 8 six-bit scales (bytes 0..7) and mins (bytes 8..15) of a Q4_K / Q5_K super-block. */
static inline void k_scales_mins(const uint8_t scales[12], uint8_t out[16]) {
    uint32_t u[4];
    memcpy(u, scales, 12);
    const uint32_t m6 = 0x3f3f3f3f, m4 = 0x0f0f0f0f, m2 = 0x03030303;
    u[3] = ((u[2] >> 4) & m4) | (((u[1] >> 6) & m2) << 4);
    const uint32_t mins_lo = u[1] & m6;
    u[1] = (u[2] & m4) | (((u[0] >> 6) & m2) << 4);
    u[2] = mins_lo;
    u[0] &= m6;
    memcpy(out, u, 16);
}

/* Shuffle that broadcasts 16-bit scale pair (2i, 2i+1) -> all lanes, as a byte shuffle. */
static inline __m256i k4_scale_shuffle(int i) {
    return _mm256_set1_epi16((short)((2 * i) | ((2 * i + 1) << 8)));
}

/* ---------------------------------------------------------------- Q4_0 / Q4_1 / Q5_0 / Q5_1 quants */

/* Q4_0 quants as signed bytes q - 8. */
static inline __m256i q4_0_quants(const raif_block_q4_0 *x) {
    return _mm256_sub_epi8(unpack_nibbles(x->qs), _mm256_set1_epi8(8));
}

/* Q5_0 quants as signed bytes q - 16: bytes whose fifth bit is clear get 0xF0 OR-ed in. */
static inline __m256i q5_0_quants(const raif_block_q5_0 *x) {
    const __m256i hi = _mm256_andnot_si256(spread_bits(x->qh), _mm256_set1_epi8((char)0xf0));
    return _mm256_or_si256(unpack_nibbles(x->qs), hi);
}

/* Q5_1 quants as unsigned bytes 0..31. */
static inline __m256i q5_1_quants(const raif_block_q5_1 *x) {
    const __m256i hi = _mm256_and_si256(spread_bits(x->qh), _mm256_set1_epi8(0x10));
    return _mm256_or_si256(unpack_nibbles(x->qs), hi);
}

/* ---------------------------------------------------------------- K-quants: unpack + dot */

/* Activation bsums pairs -> 8 int16 (b0+b1, b2+b3, ...), the per-32 sums the mins multiply. */
static inline __m128i q8k_pair_sums(const raif_block_q8_K *y) {
    const __m256i bsums = _mm256_loadu_si256((const __m256i *)y->bsums);
    return _mm_hadd_epi16(_mm256_castsi256_si128(bsums), _mm256_extracti128_si256(bsums, 1));
}

/* A Q4_K (or Q5_K) super-block ready for dot products: 4 chunks of low / high 32-element quants,
 * each with its scale broadcast to 16-bit lanes, the 8 mins as int16, and the two f16 scales. */
typedef struct {
    __m256i lo[4], hi[4];
    __m256i scale_lo[4], scale_hi[4];
    __m128i mins;
    float d, dmin;
} raif_k4_unpacked;

static inline void k4_unpack_scales(const uint8_t scales[12], raif_k4_unpacked *u) {
    uint8_t sm[16];
    k_scales_mins(scales, sm);
    const __m256i mins_scales = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)sm));
    u->mins = _mm256_extracti128_si256(mins_scales, 1);
    const __m128i sc128 = _mm256_castsi256_si128(mins_scales);
    const __m256i scales2 = _mm256_set_m128i(sc128, sc128);
    for (int j = 0; j < 4; j++) {
        u->scale_lo[j] = _mm256_shuffle_epi8(scales2, k4_scale_shuffle(2 * j));
        u->scale_hi[j] = _mm256_shuffle_epi8(scales2, k4_scale_shuffle(2 * j + 1));
    }
}

static inline void q4_K_unpack(const raif_block_q4_K *x, raif_k4_unpacked *u) {
    const __m256i m4 = _mm256_set1_epi8(0xf);
    k4_unpack_scales(x->scales, u);
    for (int j = 0; j < 4; j++) {
        const __m256i bits = _mm256_loadu_si256((const __m256i *)(x->qs + 32 * j));
        u->lo[j] = _mm256_and_si256(bits, m4);
        u->hi[j] = _mm256_and_si256(_mm256_srli_epi16(bits, 4), m4);
    }
    u->d = h2f(x->d);
    u->dmin = h2f(x->dmin);
}

static inline void q5_K_unpack(const raif_block_q5_K *x, raif_k4_unpacked *u) {
    const __m256i m4 = _mm256_set1_epi8(0xf);
    k4_unpack_scales(x->scales, u);
    const __m256i hbits = _mm256_loadu_si256((const __m256i *)x->qh);
    for (int j = 0; j < 4; j++) {
        const __m256i bits = _mm256_loadu_si256((const __m256i *)(x->qs + 32 * j));
        const __m256i hm0 = _mm256_set1_epi8((char)(1 << (2 * j))), hm1 = _mm256_set1_epi8((char)(2 << (2 * j)));
        const __m256i h0 = _mm256_slli_epi16(_mm256_srli_epi16(_mm256_and_si256(hbits, hm0), 2 * j), 4);
        const __m256i h1 = _mm256_slli_epi16(_mm256_srli_epi16(_mm256_and_si256(hbits, hm1), 2 * j + 1), 4);
        u->lo[j] = _mm256_add_epi8(_mm256_and_si256(bits, m4), h0);
        u->hi[j] = _mm256_add_epi8(_mm256_and_si256(_mm256_srli_epi16(bits, 4), m4), h1);
    }
    u->d = h2f(x->d);
    u->dmin = h2f(x->dmin);
}

/* Integer part of a Q4_K / Q5_K super-block dot: 8 lanes of sum(scale * q * q8). */
static inline __m256i k4_sumi(const raif_k4_unpacked *u, const raif_block_q8_K *y) {
    const int8_t *q8 = y->qs;
    __m256i sumi = _mm256_setzero_si256();
    for (int j = 0; j < 4; j++) {
        __m256i pl = _mm256_maddubs_epi16(u->lo[j], _mm256_loadu_si256((const __m256i *)(q8 + 64 * j)));
        __m256i ph = _mm256_maddubs_epi16(u->hi[j], _mm256_loadu_si256((const __m256i *)(q8 + 64 * j + 32)));
        pl = _mm256_madd_epi16(u->scale_lo[j], pl);
        ph = _mm256_madd_epi16(u->scale_hi[j], ph);
        sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(pl, ph));
    }
    return sumi;
}

/* One Q4_K super-block into the running sums (as llama.cpp: mins in a 4-lane accumulator). */
static inline void q4_K_dot_block(const raif_k4_unpacked *u, const raif_block_q8_K *y, __m256 *acc, __m128 *acc_m) {
    const float d = y->d * u->d;
    const float dmin = -y->d * u->dmin;
    const __m128i prod = _mm_madd_epi16(u->mins, q8k_pair_sums(y));
    *acc_m = _mm_fmadd_ps(_mm_set1_ps(dmin), _mm_cvtepi32_ps(prod), *acc_m);
    *acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(k4_sumi(u, y)), *acc);
}

static inline float q4_K_finish(__m256 acc, __m128 acc_m) {
    acc_m = _mm_add_ps(acc_m, _mm_movehl_ps(acc_m, acc_m));
    acc_m = _mm_add_ss(acc_m, _mm_movehdup_ps(acc_m));
    return hsum8(acc) + _mm_cvtss_f32(acc_m);
}

/* One Q5_K super-block into the running sums (as llama.cpp: mins summed into a scalar). */
static inline void q5_K_dot_block(const raif_k4_unpacked *u, const raif_block_q8_K *y, __m256 *acc, float *summs) {
    const float d = y->d * u->d;
    const float dmin = -y->d * u->dmin;
    const __m128i prod = _mm_madd_epi16(u->mins, q8k_pair_sums(y));
    const __m128i zero = _mm_setzero_si128();
    const __m128i h = _mm_hadd_epi32(_mm_hadd_epi32(prod, zero), zero);
    *summs += dmin * (float)_mm_extract_epi32(h, 0);
    *acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(k4_sumi(u, y)), *acc);
}

/* A Q6_K super-block ready for dot products: 8 chunks of 32 quants 0..63, each chunk's two 16-bit
 * scales (lanes 0..3 / 4..7), the 16 scales as int16 (for the -32 offset), and d. */
typedef struct {
    __m256i q[8];
    __m256i scale[8];
    __m256i scales16;
    float d;
} raif_q6_K_unpacked;

static inline void q6_K_unpack(const raif_block_q6_K *x, raif_q6_K_unpacked *u) {
    const __m256i m3 = _mm256_set1_epi8(3), m15 = _mm256_set1_epi8(15);
    for (int half = 0; half < 2; half++) {
        const uint8_t *ql = x->ql + 64 * half, *qh = x->qh + 32 * half;
        const __m256i l0 = _mm256_loadu_si256((const __m256i *)ql);
        const __m256i l1 = _mm256_loadu_si256((const __m256i *)(ql + 32));
        const __m256i h = _mm256_loadu_si256((const __m256i *)qh);
        __m256i *q = u->q + 4 * half;
        q[0] = _mm256_or_si256(_mm256_and_si256(l0, m15), _mm256_slli_epi16(_mm256_and_si256(h, m3), 4));
        q[1] = _mm256_or_si256(_mm256_and_si256(l1, m15),
                               _mm256_slli_epi16(_mm256_and_si256(h, _mm256_set1_epi8(12)), 2));
        q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m15),
                               _mm256_and_si256(h, _mm256_set1_epi8(48)));
        q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m15),
                               _mm256_srli_epi16(_mm256_and_si256(h, _mm256_set1_epi8((char)0xc0)), 2));
    }
    const __m128i scales = _mm_loadu_si128((const __m128i *)x->scales);
    for (int i = 0; i < 8; i++) {
        /* sub-block 2i for 16-bit lanes 0..7 (int32 lanes 0..3), 2i + 1 for lanes 8..15 */
        const __m128i pick = _mm_set_epi64x(0x0101010101010101ll * (2 * i + 1), 0x0101010101010101ll * (2 * i));
        u->scale[i] = _mm256_cvtepi8_epi16(_mm_shuffle_epi8(scales, pick));
    }
    u->scales16 = _mm256_cvtepi8_epi16(scales);
    u->d = h2f(x->d);
}

/* One Q6_K super-block into the running sum: sum(scale * q * q8) - 32 * sum(scale * bsum). */
static inline void q6_K_dot_block(const raif_q6_K_unpacked *u, const raif_block_q8_K *y, __m256 *acc) {
    const float d = y->d * u->d;
    const __m256i bsums = _mm256_loadu_si256((const __m256i *)y->bsums);
    const __m256i offset = _mm256_slli_epi32(_mm256_madd_epi16(bsums, u->scales16), 5);
    const int8_t *q8 = y->qs;
    __m256i sumi = _mm256_setzero_si256();
    for (int half = 0; half < 2; half++) {
        __m256i p[4];
        for (int i = 0; i < 4; i++) {
            p[i] = _mm256_maddubs_epi16(u->q[4 * half + i], _mm256_loadu_si256((const __m256i *)(q8 + 128 * half + 32 * i)));
            p[i] = _mm256_madd_epi16(u->scale[4 * half + i], p[i]);
        }
        sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(p[0], p[1]));
        sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(p[2], p[3]));
    }
    sumi = _mm256_sub_epi32(sumi, offset);
    *acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sumi), *acc);
}

#endif /* RAIF_KERNELS_SIMD_H */
