/*
 * AVX2 / FMA / F16C kernels. Each dot product performs the same per-block arithmetic in the same
 * order as llama.cpp's x86 AVX2 path (8 float lanes of per-block integer sums, one FMA per block,
 * the same horizontal reduction), so results match llama.cpp bit for bit, not just within a bound.
 * Tested against the scalar references in kernels_ref.c.
 */
#include "CKernels.h"

#include <immintrin.h>
#include <math.h>
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

/* ---------------------------------------------------------------- dequantization */

void raif_dequantize_row_f32(const void *x, float *y, int64_t k) { memcpy(y, x, (size_t)k * sizeof(float)); }

void raif_dequantize_row_f16(const void *vx, float *y, int64_t k) {
    const raif_fp16_t *x = vx;
    int64_t i = 0;
    for (; i + 8 <= k; i += 8) _mm256_storeu_ps(y + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i))));
    for (; i < k; i++) y[i] = h2f(x[i]);
}

void raif_dequantize_row_bf16(const void *vx, float *y, int64_t k) {
    const raif_bf16_t *x = vx;
    int64_t i = 0;
    for (; i + 8 <= k; i += 8) {
        const __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(x + i)));
        _mm256_storeu_ps(y + i, _mm256_castsi256_ps(_mm256_slli_epi32(w, 16)));
    }
    for (; i < k; i++) y[i] = raif_bf16_to_fp32(x[i]);
}

/* Store 32 signed bytes as floats q * d + m (multiply and add rounded separately, as ggml). */
static inline void store_block32(float *y, __m256i q, __m256 d, __m256 m) {
    const __m128i lo = _mm256_castsi256_si128(q), hi = _mm256_extracti128_si256(q, 1);
    const __m128i parts[4] = { lo, _mm_srli_si128(lo, 8), hi, _mm_srli_si128(hi, 8) };
    for (int p = 0; p < 4; p++) {
        const __m256 f = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(parts[p]));
        _mm256_storeu_ps(y + 8 * p, _mm256_add_ps(_mm256_mul_ps(f, d), m));
    }
}

/* Store 32 signed bytes as floats q * d (no added zero: keeps -0.0 for q = 0 with d < 0, as ggml). */
static inline void store_scaled32(float *y, __m256i q, __m256 d) {
    const __m128i lo = _mm256_castsi256_si128(q), hi = _mm256_extracti128_si256(q, 1);
    const __m128i parts[4] = { lo, _mm_srli_si128(lo, 8), hi, _mm_srli_si128(hi, 8) };
    for (int p = 0; p < 4; p++) {
        _mm256_storeu_ps(y + 8 * p, _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(parts[p])), d));
    }
}

void raif_dequantize_row_q8_0(const void *vx, float *y, int64_t k) {
    const raif_block_q8_0 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        store_scaled32(y + b * RAIF_QK, _mm256_loadu_si256((const __m256i *)x[b].qs), _mm256_set1_ps(h2f(x[b].d)));
    }
}

void raif_dequantize_row_q8_1(const void *vx, float *y, int64_t k) {
    const raif_block_q8_1 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        store_scaled32(y + b * RAIF_QK, _mm256_loadu_si256((const __m256i *)x[b].qs), _mm256_set1_ps(h2f(x[b].d)));
    }
}

void raif_dequantize_row_q8_K(const void *vx, float *y, int64_t k) {
    const raif_block_q8_K *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK_K; b++) {
        for (int c = 0; c < RAIF_QK_K / 32; c++) {
            store_scaled32(y + b * RAIF_QK_K + c * 32, _mm256_loadu_si256((const __m256i *)(x[b].qs + c * 32)),
                          _mm256_set1_ps(x[b].d));
        }
    }
}

void raif_dequantize_row_q4_0(const void *vx, float *y, int64_t k) {
    const raif_block_q4_0 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        const __m256i q = _mm256_sub_epi8(unpack_nibbles(x[b].qs), _mm256_set1_epi8(8));
        store_scaled32(y + b * RAIF_QK, q, _mm256_set1_ps(h2f(x[b].d)));
    }
}

void raif_dequantize_row_q4_1(const void *vx, float *y, int64_t k) {
    const raif_block_q4_1 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        store_block32(y + b * RAIF_QK, unpack_nibbles(x[b].qs), _mm256_set1_ps(h2f(x[b].d)),
                      _mm256_set1_ps(h2f(x[b].m)));
    }
}

void raif_dequantize_row_q5_0(const void *vx, float *y, int64_t k) {
    const raif_block_q5_0 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        /* bytes whose fifth bit is clear get 0xF0 (= q - 16 as a signed byte) */
        const __m256i hi = _mm256_andnot_si256(spread_bits(x[b].qh), _mm256_set1_epi8((char)0xf0));
        const __m256i q = _mm256_or_si256(unpack_nibbles(x[b].qs), hi);
        store_scaled32(y + b * RAIF_QK, q, _mm256_set1_ps(h2f(x[b].d)));
    }
}

void raif_dequantize_row_q5_1(const void *vx, float *y, int64_t k) {
    const raif_block_q5_1 *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK; b++) {
        const __m256i hi = _mm256_and_si256(spread_bits(x[b].qh), _mm256_set1_epi8(0x10));
        const __m256i q = _mm256_or_si256(unpack_nibbles(x[b].qs), hi);
        store_block32(y + b * RAIF_QK, q, _mm256_set1_ps(h2f(x[b].d)), _mm256_set1_ps(h2f(x[b].m)));
    }
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

void raif_dequantize_row_q4_K(const void *vx, float *y, int64_t k) {
    const raif_block_q4_K *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK_K; b++) {
        uint8_t sm[16];
        k_scales_mins(x[b].scales, sm);
        const float d = h2f(x[b].d), dmin = h2f(x[b].dmin);
        for (int c = 0; c < 4; c++) {
            const __m256i bytes = _mm256_loadu_si256((const __m256i *)(x[b].qs + 32 * c));
            const __m256i lo = _mm256_and_si256(bytes, _mm256_set1_epi8(15));
            const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), _mm256_set1_epi8(15));
            float *out = y + b * RAIF_QK_K + 64 * c;
            store_block32(out, lo, _mm256_set1_ps(d * sm[2 * c]), _mm256_set1_ps(-(dmin * sm[8 + 2 * c])));
            store_block32(out + 32, hi, _mm256_set1_ps(d * sm[2 * c + 1]), _mm256_set1_ps(-(dmin * sm[8 + 2 * c + 1])));
        }
    }
}

void raif_dequantize_row_q5_K(const void *vx, float *y, int64_t k) {
    const raif_block_q5_K *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK_K; b++) {
        uint8_t sm[16];
        k_scales_mins(x[b].scales, sm);
        const float d = h2f(x[b].d), dmin = h2f(x[b].dmin);
        const __m256i hbits = _mm256_loadu_si256((const __m256i *)x[b].qh);
        for (int c = 0; c < 4; c++) {
            const __m256i bytes = _mm256_loadu_si256((const __m256i *)(x[b].qs + 32 * c));
            const __m256i m0 = _mm256_set1_epi8((char)(1 << (2 * c))), m1 = _mm256_set1_epi8((char)(2 << (2 * c)));
            const __m256i h0 = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(hbits, m0), m0), _mm256_set1_epi8(16));
            const __m256i h1 = _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(hbits, m1), m1), _mm256_set1_epi8(16));
            const __m256i lo = _mm256_or_si256(_mm256_and_si256(bytes, _mm256_set1_epi8(15)), h0);
            const __m256i hi = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(bytes, 4), _mm256_set1_epi8(15)), h1);
            float *out = y + b * RAIF_QK_K + 64 * c;
            store_block32(out, lo, _mm256_set1_ps(d * sm[2 * c]), _mm256_set1_ps(-(dmin * sm[8 + 2 * c])));
            store_block32(out + 32, hi, _mm256_set1_ps(d * sm[2 * c + 1]), _mm256_set1_ps(-(dmin * sm[8 + 2 * c + 1])));
        }
    }
}

void raif_dequantize_row_q6_K(const void *vx, float *y, int64_t k) {
    const raif_block_q6_K *x = vx;
    for (int64_t b = 0; b < k / RAIF_QK_K; b++) {
        const float d = h2f(x[b].d);
        for (int half = 0; half < 2; half++) {
            const uint8_t *ql = x[b].ql + 64 * half, *qh = x[b].qh + 32 * half;
            const __m256i l0 = _mm256_loadu_si256((const __m256i *)ql);
            const __m256i l1 = _mm256_loadu_si256((const __m256i *)(ql + 32));
            const __m256i h = _mm256_loadu_si256((const __m256i *)qh);
            const __m256i m15 = _mm256_set1_epi8(15), m3 = _mm256_set1_epi8(3);
            __m256i q[4];
            q[0] = _mm256_or_si256(_mm256_and_si256(l0, m15), _mm256_slli_epi16(_mm256_and_si256(h, m3), 4));
            q[1] = _mm256_or_si256(_mm256_and_si256(l1, m15),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 2), m3), 4));
            q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m15),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 4), m3), 4));
            q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m15),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 6), m3), 4));
            for (int p = 0; p < 4; p++) {
                const __m256i qs = _mm256_sub_epi8(q[p], _mm256_set1_epi8(32));
                float *out = y + b * RAIF_QK_K + 128 * half + 32 * p;
                const int s0 = 8 * half + 2 * p;
                /* the 32 values span two sub-blocks of 16 with their own scales */
                const __m128i lo = _mm256_castsi256_si128(qs), hi = _mm256_extracti128_si256(qs, 1);
                const __m128i parts[4] = { lo, _mm_srli_si128(lo, 8), hi, _mm_srli_si128(hi, 8) };
                for (int i = 0; i < 4; i++) {
                    const __m256 sc = _mm256_set1_ps(d * (float)x[b].scales[s0 + i / 2]);
                    const __m256 f = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(parts[i]));
                    _mm256_storeu_ps(out + 8 * i, _mm256_mul_ps(sc, f));
                }
            }
        }
    }
}

/* ---------------------------------------------------------------- activation quantization */

void raif_quantize_row_f32(const float *x, void *y, int64_t k) { memcpy(y, x, (size_t)k * sizeof(float)); }

void raif_quantize_row_f16(const float *x, void *vy, int64_t k) {
    raif_fp16_t *y = vy;
    int64_t i = 0;
    for (; i + 8 <= k; i += 8) {
        _mm_storeu_si128((__m128i *)(y + i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    }
    for (; i < k; i++) y[i] = f2h(x[i]);
}

void raif_quantize_row_bf16(const float *x, void *y, int64_t k) { raif_quantize_row_bf16_ref(x, y, k); }

/* Max |x| of 32 floats, 8 lanes reduced as llama.cpp does. */
static inline float block_amax32(const float *x, __m256 v[4]) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (int i = 0; i < 4; i++) v[i] = _mm256_loadu_ps(x + 8 * i);
    __m256 m = _mm256_andnot_ps(sign, v[0]);
    m = _mm256_max_ps(m, _mm256_andnot_ps(sign, v[1]));
    m = _mm256_max_ps(m, _mm256_andnot_ps(sign, v[2]));
    m = _mm256_max_ps(m, _mm256_andnot_ps(sign, v[3]));
    __m128 m4 = _mm_max_ps(_mm256_extractf128_ps(m, 1), _mm256_castps256_ps128(m));
    m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
    m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
    return _mm_cvtss_f32(m4);
}

/* Scale 32 floats by id, round half to even, pack to 32 int8 in order; returns the int32 lanes' sum. */
static inline int quantize32(__m256 v[4], float id, int8_t *out) {
    const __m256 mul = _mm256_set1_ps(id);
    __m256i i[4];
    for (int p = 0; p < 4; p++) {
        i[p] = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v[p], mul), _MM_FROUND_TO_NEAREST_INT));
    }
    const int sum = hsum_i32_8(_mm256_add_epi32(_mm256_add_epi32(i[0], i[1]), _mm256_add_epi32(i[2], i[3])));
    __m256i a = _mm256_packs_epi32(i[0], i[1]);
    __m256i b = _mm256_packs_epi32(i[2], i[3]);
    a = _mm256_packs_epi16(a, b);
    a = _mm256_permutevar8x32_epi32(a, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256((__m256i *)out, a);
    return sum;
}

void raif_quantize_row_q8_0(const float *x, void *vy, int64_t k) {
    raif_block_q8_0 *y = vy;
    for (int64_t b = 0; b < k / RAIF_QK; b++, x += RAIF_QK) {
        __m256 v[4];
        const float amax = block_amax32(x, v);
        const float d = amax / 127.0f;
        y[b].d = f2h(d);
        quantize32(v, amax != 0.0f ? 127.0f / amax : 0.0f, y[b].qs);
    }
}

void raif_quantize_row_q8_1(const float *x, void *vy, int64_t k) {
    raif_block_q8_1 *y = vy;
    for (int64_t b = 0; b < k / RAIF_QK; b++, x += RAIF_QK) {
        __m256 v[4];
        const float amax = block_amax32(x, v);
        const float d = amax / 127.0f;
        y[b].d = f2h(d);
        const int sum = quantize32(v, amax != 0.0f ? 127.0f / amax : 0.0f, y[b].qs);
        y[b].s = f2h(d * (float)sum);
    }
}

/* llama.cpp uses its scalar reference for Q8_K on x86 as well. */
void raif_quantize_row_q8_K(const float *x, void *y, int64_t k) { raif_quantize_row_q8_K_ref(x, y, k); }

/* ---------------------------------------------------------------- dot products */

void raif_vec_dot_f32_f32(int n, float *s, const void *vw, const void *va) {
    const float *x = vw, *y = va;
    const int np = n & ~31;
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    for (int i = 0; i < np; i += 32) {
        for (int j = 0; j < 4; j++) {
            acc[j] = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8 * j), _mm256_loadu_ps(y + i + 8 * j), acc[j]);
        }
    }
    acc[0] = _mm256_add_ps(acc[0], acc[2]);
    acc[1] = _mm256_add_ps(acc[1], acc[3]);
    acc[0] = _mm256_add_ps(acc[0], acc[1]);
    const __m128 t0 = _mm_add_ps(_mm256_castps256_ps128(acc[0]), _mm256_extractf128_ps(acc[0], 1));
    const __m128 t1 = _mm_hadd_ps(t0, t0);
    float sum = _mm_cvtss_f32(_mm_hadd_ps(t1, t1));
    for (int i = np; i < n; i++) sum += x[i] * y[i];
    *s = sum;
}

void raif_vec_dot_f16_f16(int n, float *s, const void *vw, const void *va) {
    const raif_fp16_t *x = vw, *y = va;
    const int np = n & ~31;
    __m256 acc[4] = { _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps() };
    for (int i = 0; i < np; i += 32) {
        for (int j = 0; j < 4; j++) {
            const __m256 a = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i + 8 * j)));
            const __m256 b = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(y + i + 8 * j)));
            acc[j] = _mm256_fmadd_ps(a, b, acc[j]);
        }
    }
    acc[0] = _mm256_add_ps(acc[0], acc[2]);
    acc[1] = _mm256_add_ps(acc[1], acc[3]);
    acc[0] = _mm256_add_ps(acc[0], acc[1]);
    const __m128 t0 = _mm_add_ps(_mm256_castps256_ps128(acc[0]), _mm256_extractf128_ps(acc[0], 1));
    const __m128 t1 = _mm_hadd_ps(t0, t0);
    double sum = _mm_cvtss_f32(_mm_hadd_ps(t1, t1));
    for (int i = np; i < n; i++) sum += (double)(h2f(x[i]) * h2f(y[i]));
    *s = (float)sum;
}

static inline __m256 load_bf16x8(const raif_bf16_t *p) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p)), 16));
}

void raif_vec_dot_bf16_bf16(int n, float *s, const void *vw, const void *va) {
    const raif_bf16_t *x = vw, *y = va;
    int i = 0;
    __m256 c1 = _mm256_setzero_ps(), c2 = _mm256_setzero_ps(), c3 = _mm256_setzero_ps(), c4 = _mm256_setzero_ps();
    for (; i + 32 <= n; i += 32) {
        c1 = _mm256_add_ps(_mm256_mul_ps(load_bf16x8(x + i), load_bf16x8(y + i)), c1);
        c2 = _mm256_add_ps(_mm256_mul_ps(load_bf16x8(x + i + 8), load_bf16x8(y + i + 8)), c2);
        c3 = _mm256_add_ps(_mm256_mul_ps(load_bf16x8(x + i + 16), load_bf16x8(y + i + 16)), c3);
        c4 = _mm256_add_ps(_mm256_mul_ps(load_bf16x8(x + i + 24), load_bf16x8(y + i + 24)), c4);
    }
    c1 = _mm256_add_ps(_mm256_add_ps(c1, c3), _mm256_add_ps(c2, c4));
    double sum = hsum8(c1);
    for (; i < n; i++) sum += (double)(raif_bf16_to_fp32(x[i]) * raif_bf16_to_fp32(y[i]));
    *s = (float)sum;
}

void raif_vec_dot_q8_0_q8_0(int n, float *s, const void *vw, const void *va) {
    const raif_block_q8_0 *x = vw;
    const raif_block_q8_0 *y = va;
    __m256 acc = _mm256_setzero_ps();
    for (int b = 0; b < n / RAIF_QK; b++) {
        const __m256 d = _mm256_set1_ps(h2f(x[b].d) * h2f(y[b].d));
        const __m256 q = dot_i8_i8(_mm256_loadu_si256((const __m256i *)x[b].qs),
                                   _mm256_loadu_si256((const __m256i *)y[b].qs));
        acc = _mm256_fmadd_ps(d, q, acc);
    }
    *s = hsum8(acc);
}

void raif_vec_dot_q4_0_q8_0(int n, float *s, const void *vw, const void *va) {
    const raif_block_q4_0 *x = vw;
    const raif_block_q8_0 *y = va;
    __m256 acc = _mm256_setzero_ps();
    for (int b = 0; b < n / RAIF_QK; b++) {
        const __m256 d = _mm256_set1_ps(h2f(x[b].d) * h2f(y[b].d));
        const __m256i qx = _mm256_sub_epi8(unpack_nibbles(x[b].qs), _mm256_set1_epi8(8));
        const __m256 q = dot_i8_i8(qx, _mm256_loadu_si256((const __m256i *)y[b].qs));
        acc = _mm256_fmadd_ps(d, q, acc);
    }
    *s = hsum8(acc);
}

void raif_vec_dot_q4_1_q8_1(int n, float *s, const void *vw, const void *va) {
    const raif_block_q4_1 *x = vw;
    const raif_block_q8_1 *y = va;
    __m256 acc = _mm256_setzero_ps();
    float summs = 0.0f;
    for (int b = 0; b < n / RAIF_QK; b++) {
        summs += h2f(x[b].m) * h2f(y[b].s);
        const __m256 d = _mm256_mul_ps(_mm256_set1_ps(h2f(x[b].d)), _mm256_set1_ps(h2f(y[b].d)));
        const __m256 q = dot_u8_i8(unpack_nibbles(x[b].qs), _mm256_loadu_si256((const __m256i *)y[b].qs));
        acc = _mm256_fmadd_ps(d, q, acc);
    }
    *s = hsum8(acc) + summs;
}

void raif_vec_dot_q5_0_q8_0(int n, float *s, const void *vw, const void *va) {
    const raif_block_q5_0 *x = vw;
    const raif_block_q8_0 *y = va;
    __m256 acc = _mm256_setzero_ps();
    for (int b = 0; b < n / RAIF_QK; b++) {
        const __m256 d = _mm256_set1_ps(h2f(x[b].d) * h2f(y[b].d));
        const __m256i hi = _mm256_andnot_si256(spread_bits(x[b].qh), _mm256_set1_epi8((char)0xf0));
        const __m256i qx = _mm256_or_si256(unpack_nibbles(x[b].qs), hi);
        const __m256 q = dot_i8_i8(qx, _mm256_loadu_si256((const __m256i *)y[b].qs));
        acc = _mm256_fmadd_ps(d, q, acc);
    }
    *s = hsum8(acc);
}

void raif_vec_dot_q5_1_q8_1(int n, float *s, const void *vw, const void *va) {
    const raif_block_q5_1 *x = vw;
    const raif_block_q8_1 *y = va;
    __m256 acc = _mm256_setzero_ps();
    float summs = 0.0f;
    for (int b = 0; b < n / RAIF_QK; b++) {
        const __m256 dx = _mm256_set1_ps(h2f(x[b].d));
        summs += h2f(x[b].m) * h2f(y[b].s);
        const __m256i hi = _mm256_and_si256(spread_bits(x[b].qh), _mm256_set1_epi8(0x10));
        const __m256i qx = _mm256_or_si256(unpack_nibbles(x[b].qs), hi);
        const __m256 dy = _mm256_set1_ps(h2f(y[b].d));
        const __m256 q = dot_u8_i8(qx, _mm256_loadu_si256((const __m256i *)y[b].qs));
        acc = _mm256_fmadd_ps(q, _mm256_mul_ps(dx, dy), acc);
    }
    *s = hsum8(acc) + summs;
}

/* Shuffle that broadcasts 16-bit scale pair (2i, 2i+1) -> all lanes, as a byte shuffle. */
static inline __m256i k4_scale_shuffle(int i) {
    return _mm256_set1_epi16((short)((2 * i) | ((2 * i + 1) << 8)));
}

void raif_vec_dot_q4_K_q8_K(int n, float *s, const void *vw, const void *va) {
    const raif_block_q4_K *x = vw;
    const raif_block_q8_K *y = va;
    const __m256i m4 = _mm256_set1_epi8(0xf);
    __m256 acc = _mm256_setzero_ps();
    __m128 acc_m = _mm_setzero_ps();
    for (int b = 0; b < n / RAIF_QK_K; b++) {
        const float d = y[b].d * h2f(x[b].d);
        const float dmin = -y[b].d * h2f(x[b].dmin);
        uint8_t sm[16];
        k_scales_mins(x[b].scales, sm);
        const __m256i mins_scales = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)sm));
        const __m256i bsums = _mm256_loadu_si256((const __m256i *)y[b].bsums);
        const __m128i q8s = _mm_hadd_epi16(_mm256_castsi256_si128(bsums), _mm256_extracti128_si256(bsums, 1));
        const __m128i prod = _mm_madd_epi16(_mm256_extracti128_si256(mins_scales, 1), q8s);
        acc_m = _mm_fmadd_ps(_mm_set1_ps(dmin), _mm_cvtepi32_ps(prod), acc_m);

        const __m128i sc128 = _mm256_castsi256_si128(mins_scales);
        const __m256i scales = _mm256_set_m128i(sc128, sc128);
        const uint8_t *q4 = x[b].qs;
        const int8_t *q8 = y[b].qs;
        __m256i sumi = _mm256_setzero_si256();
        for (int j = 0; j < 4; j++) {
            const __m256i scale_l = _mm256_shuffle_epi8(scales, k4_scale_shuffle(2 * j));
            const __m256i scale_h = _mm256_shuffle_epi8(scales, k4_scale_shuffle(2 * j + 1));
            const __m256i bits = _mm256_loadu_si256((const __m256i *)q4);
            q4 += 32;
            const __m256i lo = _mm256_and_si256(bits, m4);
            const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(bits, 4), m4);
            __m256i pl = _mm256_maddubs_epi16(lo, _mm256_loadu_si256((const __m256i *)q8));
            q8 += 32;
            __m256i ph = _mm256_maddubs_epi16(hi, _mm256_loadu_si256((const __m256i *)q8));
            q8 += 32;
            pl = _mm256_madd_epi16(scale_l, pl);
            ph = _mm256_madd_epi16(scale_h, ph);
            sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(pl, ph));
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sumi), acc);
    }
    acc_m = _mm_add_ps(acc_m, _mm_movehl_ps(acc_m, acc_m));
    acc_m = _mm_add_ss(acc_m, _mm_movehdup_ps(acc_m));
    *s = hsum8(acc) + _mm_cvtss_f32(acc_m);
}

void raif_vec_dot_q5_K_q8_K(int n, float *s, const void *vw, const void *va) {
    const raif_block_q5_K *x = vw;
    const raif_block_q8_K *y = va;
    const __m256i m4 = _mm256_set1_epi8(0xf);
    __m256 acc = _mm256_setzero_ps();
    float summs = 0.0f;
    for (int b = 0; b < n / RAIF_QK_K; b++) {
        const float d = y[b].d * h2f(x[b].d);
        const float dmin = -y[b].d * h2f(x[b].dmin);
        uint8_t sm[16];
        k_scales_mins(x[b].scales, sm);
        const __m256i mins_scales = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)sm));
        const __m256i bsums = _mm256_loadu_si256((const __m256i *)y[b].bsums);
        const __m128i q8s = _mm_hadd_epi16(_mm256_castsi256_si128(bsums), _mm256_extracti128_si256(bsums, 1));
        const __m128i prod = _mm_madd_epi16(_mm256_extracti128_si256(mins_scales, 1), q8s);
        const __m128i zero = _mm_setzero_si128();
        const __m128i h = _mm_hadd_epi32(_mm_hadd_epi32(prod, zero), zero);
        summs += dmin * (float)_mm_extract_epi32(h, 0);

        const __m128i sc128 = _mm256_castsi256_si128(mins_scales);
        const __m256i scales = _mm256_set_m128i(sc128, sc128);
        const __m256i hbits = _mm256_loadu_si256((const __m256i *)x[b].qh);
        const uint8_t *q5 = x[b].qs;
        const int8_t *q8 = y[b].qs;
        __m256i sumi = _mm256_setzero_si256();
        for (int j = 0; j < 4; j++) {
            const __m256i scale_0 = _mm256_shuffle_epi8(scales, k4_scale_shuffle(2 * j));
            const __m256i scale_1 = _mm256_shuffle_epi8(scales, k4_scale_shuffle(2 * j + 1));
            const __m256i bits = _mm256_loadu_si256((const __m256i *)q5);
            q5 += 32;
            const __m256i hm0 = _mm256_set1_epi8((char)(1 << (2 * j))), hm1 = _mm256_set1_epi8((char)(2 << (2 * j)));
            const __m256i h0 = _mm256_slli_epi16(_mm256_srli_epi16(_mm256_and_si256(hbits, hm0), 2 * j), 4);
            const __m256i h1 = _mm256_slli_epi16(_mm256_srli_epi16(_mm256_and_si256(hbits, hm1), 2 * j + 1), 4);
            const __m256i q0 = _mm256_add_epi8(_mm256_and_si256(bits, m4), h0);
            const __m256i q1 = _mm256_add_epi8(_mm256_and_si256(_mm256_srli_epi16(bits, 4), m4), h1);
            __m256i p0 = _mm256_maddubs_epi16(q0, _mm256_loadu_si256((const __m256i *)q8));
            q8 += 32;
            __m256i p1 = _mm256_maddubs_epi16(q1, _mm256_loadu_si256((const __m256i *)q8));
            q8 += 32;
            p0 = _mm256_madd_epi16(scale_0, p0);
            p1 = _mm256_madd_epi16(scale_1, p1);
            sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(p0, p1));
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sumi), acc);
    }
    *s = hsum8(acc) + summs;
}

void raif_vec_dot_q6_K_q8_K(int n, float *s, const void *vw, const void *va) {
    const raif_block_q6_K *x = vw;
    const raif_block_q8_K *y = va;
    const __m256i m3 = _mm256_set1_epi8(3), m15 = _mm256_set1_epi8(15);
    __m256 acc = _mm256_setzero_ps();
    for (int b = 0; b < n / RAIF_QK_K; b++) {
        const float d = y[b].d * h2f(x[b].d);
        const __m256i bsums = _mm256_loadu_si256((const __m256i *)y[b].bsums);
        const __m128i scales = _mm_loadu_si128((const __m128i *)x[b].scales);
        /* 32 * sum(scale * bsum): the "-32" offset of every quant, per lane */
        const __m256i offset = _mm256_slli_epi32(_mm256_madd_epi16(bsums, _mm256_cvtepi8_epi16(scales)), 5);
        const uint8_t *ql = x[b].ql, *qh = x[b].qh;
        const int8_t *q8 = y[b].qs;
        __m256i sumi = _mm256_setzero_si256();
        for (int half = 0; half < 2; half++) {
            const __m256i l0 = _mm256_loadu_si256((const __m256i *)ql);
            const __m256i l1 = _mm256_loadu_si256((const __m256i *)(ql + 32));
            const __m256i h = _mm256_loadu_si256((const __m256i *)qh);
            ql += 64;
            qh += 32;
            __m256i q[4];
            q[0] = _mm256_or_si256(_mm256_and_si256(l0, m15), _mm256_slli_epi16(_mm256_and_si256(h, m3), 4));
            q[1] = _mm256_or_si256(_mm256_and_si256(l1, m15),
                                   _mm256_slli_epi16(_mm256_and_si256(h, _mm256_set1_epi8(12)), 2));
            q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m15),
                                   _mm256_and_si256(h, _mm256_set1_epi8(48)));
            q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m15),
                                   _mm256_srli_epi16(_mm256_and_si256(h, _mm256_set1_epi8((char)0xc0)), 2));
            __m256i p[4];
            for (int i = 0; i < 4; i++) {
                p[i] = _mm256_maddubs_epi16(q[i], _mm256_loadu_si256((const __m256i *)q8));
                q8 += 32;
                /* sub-blocks (8*half + 2i) for lanes 0..3 and (8*half + 2i + 1) for lanes 4..7 */
                const int s0 = 8 * half + 2 * i;
                const __m256i sc = _mm256_set_m128i(_mm_set1_epi16(x[b].scales[s0 + 1]), _mm_set1_epi16(x[b].scales[s0]));
                p[i] = _mm256_madd_epi16(sc, p[i]);
            }
            sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(p[0], p[1]));
            sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(p[2], p[3]));
        }
        sumi = _mm256_sub_epi32(sumi, offset);
        acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sumi), acc);
    }
    *s = hsum8(acc);
}
